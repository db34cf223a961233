import { isRequired, recordValues, type Schema } from './schema.js';

/**
 * Turns schemas into expressions over the combinators of runtime/validate.ts
 * (`obj`, `arr`, `str`, ...). Named schemas become constants that the
 * expressions refer to, declared before their first use.
 */

const isUnknown = (schema: Schema) =>
  !schema.$id && schema.type === undefined && !schema.anyOf && schema.const === undefined;

/** A short description of the values a schema accepts, for error messages. */
export function describe(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(describe).join(' or ');
  if (schema.type === 'string' && schema.minLength === 1 && schema.maxLength === undefined) {
    return 'non-empty string';
  }
  if (schema.type === 'integer' && schema.minimum === 1) return 'positive integer';
  return schema.type ?? 'any value';
}

/** The literal value every member of a union has at the same key, if there is such a key. */
function discriminator(schema: Schema): string | undefined {
  const members = schema.anyOf ?? [];
  if (members.length < 2 || !members.every((m) => m.type === 'object' && m.properties))
    return undefined;
  return Object.keys(members[0]!.properties!).find((name) =>
    members.every((m) => isRequired(m, name) && m.properties![name]!.const !== undefined),
  );
}

const bound = (value: number | undefined, none: string) =>
  value === undefined ? none : String(value);

export class ValidatorEmitter {
  /** Named schemas the emitted expressions refer to, in an order where each follows those it uses. */
  readonly named: string[] = [];
  private readonly seen = new Set<string>();
  private readonly declarations = new Map<string, string>();

  constructor(private readonly lookup: (name: string) => Schema) {}

  /** The declarations of the named checks, in dependency order. */
  constants(): string[] {
    return this.named.map((name) => `const ${name}: Check = ${this.declarations.get(name)};`);
  }

  expression(schema: Schema, declare = false): string {
    if (schema.$id && !declare) return this.reference(schema.$id);
    if (schema.const !== undefined) return `lit(${JSON.stringify(schema.const)})`;
    if (schema.anyOf) return this.union(schema);
    switch (schema.type) {
      case 'string':
        if (schema.minLength === undefined && schema.maxLength === undefined) return 'str()';
        return schema.maxLength === undefined
          ? `str(${schema.minLength})`
          : `str(${bound(schema.minLength, '0')}, ${schema.maxLength})`;
      case 'number':
        return `num(${schema.minimum ?? ''})`;
      case 'integer':
        return `int(${schema.minimum ?? ''})`;
      case 'boolean':
        return 'bool';
      case 'null':
        return 'nul';
      case 'array':
        return `arr(${this.expression(schema.items ?? {})}${schema.minItems ? `, ${schema.minItems}` : ''})`;
      case 'object':
        return this.object(schema);
      default:
        return 'any';
    }
  }

  private reference(name: string): string {
    if (!this.seen.has(name)) {
      this.seen.add(name);
      this.declarations.set(name, this.expression(this.lookup(name), true));
      this.named.push(name);
    }
    return name;
  }

  private union(schema: Schema): string {
    const key = discriminator(schema);
    if (key) {
      const branches = schema.anyOf!.map(
        (member) => `${JSON.stringify(member.properties![key]!.const)}: ${this.object(member)}`,
      );
      return `tagged(${JSON.stringify(key)}, { ${branches.join(', ')} })`;
    }
    const options = schema.anyOf!.map((member) => this.expression(member));
    return `oneOf(${JSON.stringify(describe(schema))}, ${options.join(', ')})`;
  }

  private object(schema: Schema): string {
    const values = recordValues(schema);
    if (values) return `rec(${this.expression(values)})`;
    const properties = Object.entries(schema.properties ?? {});
    const fields = properties.map(
      ([name, property]) =>
        `${JSON.stringify(name)}: ${isUnknown(property) ? 'any' : this.expression(property)}`,
    );
    const optional = properties.filter(([name]) => !isRequired(schema, name)).map(([name]) => name);
    const closed = schema.additionalProperties === false;
    const args = [`{ ${fields.join(', ')} }`];
    if (optional.length || closed) args.push(JSON.stringify(optional));
    if (closed) args.push('true');
    return `obj(${args.join(', ')})`;
  }
}
