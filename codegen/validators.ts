import { describe, isRequired, orNullOf, refinementsOf, shapeOf, type Schema } from './schema.js';

/**
 * Turns schemas into expressions over the combinators of runtime/validate.ts
 * (`obj`, `arr`, `str`, ...). Named schemas become constants that the
 * expressions refer to, declared before their first use.
 */

const isUnknown = (schema: Schema) => shapeOf(schema).kind === 'any' && !schema.$id;

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
    const shape = shapeOf(schema);
    const refined = (check: string) =>
      refinementsOf(schema).reduce(
        (inner, [keyword, value]) =>
          this.call('refine', inner, JSON.stringify(keyword), JSON.stringify(value)),
        check,
      );
    switch (shape.kind) {
      case 'enum':
        return schema.const !== undefined
          ? this.call('lit', JSON.stringify(schema.const))
          : this.call('enm', ...shape.values.map((value) => JSON.stringify(value)));
      case 'tagged':
        return this.tagged(shape.tag, shape.members);
      case 'union': {
        const value = orNullOf(shape.members);
        if (value) return this.call('orNull', this.expression(value));
        return this.call(
          'oneOf',
          JSON.stringify(describe(schema)),
          ...shape.members.map((member) => this.expression(member)),
        );
      }
      case 'string':
        if (schema.minLength === undefined && schema.maxLength === undefined)
          return refined(this.call('str'));
        return refined(
          schema.maxLength === undefined
            ? this.call('str', String(schema.minLength))
            : this.call('str', bound(schema.minLength, '0'), String(schema.maxLength)),
        );
      case 'number':
      case 'integer':
        return refined(
          this.call(
            shape.kind === 'number' ? 'num' : 'int',
            ...(schema.minimum === undefined ? [] : [String(schema.minimum)]),
          ),
        );
      case 'boolean':
        return this.value('bool');
      case 'null':
        return this.value('nul');
      case 'array':
        return refined(
          this.call(
            'arr',
            this.expression(shape.items),
            ...(schema.minItems ? [String(schema.minItems)] : []),
          ),
        );
      case 'record':
        return this.call('rec', this.expression(shape.values));
      case 'object':
        return this.object(schema);
      case 'any':
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

  private tagged(tag: string, members: readonly Schema[]): string {
    const branches = members.map(
      (member) => `${JSON.stringify(member.properties![tag]!.const)}: ${this.object(member, tag)}`,
    );
    return this.call('tagged', JSON.stringify(tag), `{ ${branches.join(', ')} }`);
  }

  /**
   * An object schema. `tag` names a field `tagged` has already matched: a
   * closed object only needs to know it, an open one can leave it out.
   */
  private object(schema: Schema, tag?: string): string {
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
