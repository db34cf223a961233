import type { Issue } from './errors.js';
import { describe, orNullOf, refine, refinementsOf, shapeOf, type Schema } from './json-schema.js';
import type { RequestValidationError, ResultValidationError } from './errors.js';
import type * as checks from './validate.js';
import type { Check } from './validate.js';

/** A JSON Schema (what TypeBox builds) for the records of a typed bucket. */
export type ObjectSchema = Readonly<Record<string, unknown>>;

/**
 * What schema checks are made of, and the errors record checks raise: handed
 * over by the core, which holds them, so that the lazily loaded checks share
 * no module with it.
 */
export type Combinators = Pick<
  typeof checks,
  | 'any'
  | 'arr'
  | 'bool'
  | 'enm'
  | 'int'
  | 'lit'
  | 'nul'
  | 'num'
  | 'obj'
  | 'oneOf'
  | 'opt'
  | 'orNull'
  | 'rec'
  | 'str'
  | 'tagged'
> & {
  RequestValidationError: typeof RequestValidationError;
  ResultValidationError: typeof ResultValidationError;
};

/**
 * Builds a check from a record schema at run time, with the same building
 * blocks the generated validators use (no eval). Keywords no reader of
 * runtime/json-schema.ts understands are refused when the bucket is created,
 * never silently ignored.
 */
export function checkFromSchema(c: Combinators, schema: ObjectSchema, where = 'schema'): Check {
  const s = schema as Schema;
  const shape = shapeOf(s, where);
  const sub = (child: Schema, at: string) => checkFromSchema(c, child as ObjectSchema, at);
  let check: Check;
  switch (shape.kind) {
    case 'enum':
      return s.const !== undefined
        ? c.lit(s.const as string)
        : c.enm(...(shape.values as string[]));
    case 'tagged': {
      const branches = shape.members.map((m, i) => [
        String(m.properties![shape.tag]!.const),
        sub(m, `${where}.anyOf[${i}]`),
      ]);
      return c.tagged(shape.tag, Object.fromEntries(branches));
    }
    case 'union': {
      const value = orNullOf(shape.members);
      if (value) return c.orNull(sub(value, `${where}.anyOf[${shape.members.indexOf(value)}]`));
      return c.oneOf(describe(s), ...shape.members.map((m, i) => sub(m, `${where}.anyOf[${i}]`)));
    }
    case 'string':
      check = c.str(s.minLength ?? 0, s.maxLength ?? Infinity);
      break;
    case 'number':
      check = c.num(s.minimum);
      break;
    case 'integer':
      check = c.int(s.minimum);
      break;
    case 'boolean':
      return c.bool;
    case 'null':
      return c.nul;
    case 'any':
      return c.any;
    case 'array':
      check = c.arr(s.items ? sub(s.items, `${where}.items`) : c.any, s.minItems ?? 0);
      break;
    case 'record':
      return c.rec(sub(shape.values, `${where}.patternProperties`));
    case 'object': {
      const required = new Set(s.required ?? []);
      const fields = Object.entries(shape.properties).map(([k, v]) => {
        const field = sub(v, `${where}.${k}`);
        return [k, required.has(k) ? field : c.opt(field)] as const;
      });
      return c.obj(Object.fromEntries(fields), s.additionalProperties === false);
    }
  }
  for (const [keyword, value] of refinementsOf(s)) check = refine(check, keyword, value);
  return check;
}

/** The issues of a value against a check, or undefined when it matches. */
export function issuesOf(check: Check, value: unknown, path: string): Issue[] | undefined {
  if (check(value)) return undefined;
  const out: Issue[] = [];
  check(value, path, out);
  return out;
}
