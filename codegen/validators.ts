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
  /** The combinators the emitted expressions call. */
  readonly used = new Set<string>();
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
    if (schema.const !== undefined) return this.call('lit', JSON.stringify(schema.const));
    if (schema.anyOf) return this.union(schema);
    switch (schema.type) {
      case 'string':
        if (schema.minLength === undefined && schema.maxLength === undefined)
          return this.call('str');
        return schema.maxLength === undefined
          ? this.call('str', String(schema.minLength))
          : this.call('str', bound(schema.minLength, '0'), String(schema.maxLength));
      case 'number':
        return this.call('num', ...(schema.minimum === undefined ? [] : [String(schema.minimum)]));
      case 'integer':
        return this.call('int', ...(schema.minimum === undefined ? [] : [String(schema.minimum)]));
      case 'boolean':
        return this.value('bool');
      case 'null':
        return this.value('nul');
      case 'array':
        return this.call(
          'arr',
          this.expression(schema.items ?? {}),
          ...(schema.minItems ? [String(schema.minItems)] : []),
        );
      case 'object':
        return this.object(schema);
      default:
        return this.value('any');
    }
  }

  private call(combinator: string, ...args: string[]): string {
    this.used.add(combinator);
    return `${combinator}(${args.join(', ')})`;
  }

  private value(combinator: string): string {
    this.used.add(combinator);
    return combinator;
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
        (member) =>
          `${JSON.stringify(member.properties![key]!.const)}: ${this.object(member, key)}`,
      );
      return this.call('tagged', JSON.stringify(key), `{ ${branches.join(', ')} }`);
    }
    if (schema.anyOf!.every((member) => member.const !== undefined)) {
      return this.call('enm', ...schema.anyOf!.map((member) => JSON.stringify(member.const)));
    }
    const options = schema.anyOf!.map((member) => this.expression(member));
    return this.call('oneOf', JSON.stringify(describe(schema)), ...options);
  }

  /**
   * An object schema. `tag` names a field `tagged` has already matched: a
   * closed object only needs to know it, an open one can leave it out.
   */
  private object(schema: Schema, tag?: string): string {
    const values = recordValues(schema);
    if (values) return this.call('rec', this.expression(values));
    const closed = schema.additionalProperties === false;
    const properties = Object.entries(schema.properties ?? {}).filter(
      ([name]) => closed || name !== tag,
    );
    const fields = properties.map(([name, property]) => {
      const check =
        isUnknown(property) || name === tag ? this.value('any') : this.expression(property);
      return `${JSON.stringify(name)}: ${isRequired(schema, name) ? check : this.call('opt', check)}`;
    });
    return this.call(closed ? 'req' : 'obj', `{ ${fields.join(', ')} }`);
  }
}
