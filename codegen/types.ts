import { isRequired, shapeOf, type Schema } from './schema.js';

export interface TypeContext {
  /** Prints a reference to a named schema; the default is its bare name. */
  readonly reference?: (schema: Schema & { readonly $id: string }) => string;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

export function propertyKey(name: string): string {
  return identifier.test(name) ? name : JSON.stringify(name);
}

/** A field's own description; a named type's is on its declaration. */
function docComment(text: string | undefined): string {
  return text ? `/** ${text} */ ` : '';
}

/** The TypeScript type a schema describes. Named schemas print as references unless `declare`. */
export function printType(schema: Schema, context: TypeContext = {}, declare = false): string {
  if (schema.$id && !declare) {
    return context.reference ? context.reference({ ...schema, $id: schema.$id }) : schema.$id;
  }
  const shape = shapeOf(schema);
  switch (shape.kind) {
    case 'enum':
      return shape.values.map((value) => JSON.stringify(value)).join(' | ');
    case 'tagged':
    case 'union':
      return shape.members.map((member) => printType(member, context)).join(' | ');
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = printType(shape.items, context);
      return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'record':
      return `Record<string, ${printType(shape.values, context)}>`;
    case 'object':
      return printObject(schema, context);
    case 'any':
      return 'unknown';
  }
}

function printObject(schema: Schema, context: TypeContext): string {
  const members = Object.entries(schema.properties ?? {}).map(
    ([name, property]) =>
      `${docComment(property.$id ? undefined : property.description)}${propertyKey(name)}${isRequired(schema, name) ? '' : '?'}: ${printType(property, context)};`,
  );
  if (schema.additionalProperties === true) members.push('[field: string]: unknown;');
  if (members.length === 0) {
    return schema.additionalProperties === false
      ? 'Record<string, never>'
      : 'Record<string, unknown>';
  }
  return `{ ${members.join(' ')} }`;
}
