import { isRequired, recordValues, type Schema } from './schema.js';

export interface TypeContext {
  /** Prints a reference to a named schema; the default is its bare name. */
  readonly reference?: (schema: Schema & { readonly $id: string }) => string;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

export function propertyKey(name: string): string {
  return identifier.test(name) ? name : JSON.stringify(name);
}

function docComment(text: string | undefined): string {
  return text ? `/** ${text} */ ` : '';
}

/** The TypeScript type a schema describes. Named schemas print as references unless `declare`. */
export function printType(schema: Schema, context: TypeContext = {}, declare = false): string {
  if (schema.$id && !declare) {
    return context.reference ? context.reference({ ...schema, $id: schema.$id }) : schema.$id;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map((member) => printType(member, context)).join(' | ');
  switch (schema.type) {
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
      const item = printType(schema.items ?? {}, context);
      return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return printObject(schema, context);
    default:
      return 'unknown';
  }
}

function printObject(schema: Schema, context: TypeContext): string {
  const values = recordValues(schema);
  if (values) return `Record<string, ${printType(values, context)}>`;
  const members = Object.entries(schema.properties ?? {}).map(
    ([name, property]) =>
      `${docComment(property.description)}${propertyKey(name)}${isRequired(schema, name) ? '' : '?'}: ${printType(property, context)};`,
  );
  if (schema.additionalProperties === true) members.push('[field: string]: unknown;');
  if (members.length === 0) {
    return schema.additionalProperties === false
      ? 'Record<string, never>'
      : 'Record<string, unknown>';
  }
  return `{ ${members.join(' ')} }`;
}
