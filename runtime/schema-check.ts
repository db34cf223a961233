import type { Issue } from './errors.js';
import type { Combinators } from './record-schema.js';
import type { Check } from './validate.js';

/** A JSON Schema (what TypeBox builds) for the records of a typed bucket. */
export type RecordSchema = Readonly<Record<string, unknown>>;

const annotations = new Set([
  '$id',
  '$schema',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

const formats: Record<string, RegExp> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
  date: /^\d{4}-\d\d-\d\d$/,
  uri: /^[a-z][a-z\d+.-]*:\S+$/i,
};

/** Adds a test to a check, failing with `message` when the base check passed but `test` does not. */
function refine(base: Check, test: (value: never) => boolean, message: string): Check {
  return (v, p, o) => {
    if (!base(v, p, o)) return false;
    if (test(v as never)) return true;
    o?.push({ path: p ?? '', message });
    return false;
  };
}

/**
 * Builds a check from a record schema at run time, with the same building
 * blocks the generated validators use (no eval). Validation keywords it does
 * not know are refused when the bucket is created, never silently ignored.
 */
export function checkFromSchema(c: Combinators, schema: RecordSchema, where = 'schema'): Check {
  const { any, arr, bool, int, lit, nul, num, obj, oneOf, opt, rec, str } = c;
  const s = schema as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const known = new Set([
    'const',
    'enum',
    'anyOf',
    'type',
    'properties',
    'required',
    'additionalProperties',
    'patternProperties',
    'items',
    'minItems',
    'maxItems',
    'minLength',
    'maxLength',
    'pattern',
    'format',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
  ]);
  for (const key of Object.keys(s)) {
    if (!known.has(key) && !annotations.has(key))
      throw new TypeError(`${where}: schema keyword "${key}" is not supported`);
  }
  if (s.const !== undefined) return lit(s.const);
  if (Array.isArray(s.enum))
    return oneOf(s.enum.map((v: unknown) => JSON.stringify(v)).join(' or '), ...s.enum.map(lit));
  if (Array.isArray(s.anyOf)) {
    const members = s.anyOf as RecordSchema[];
    const expected = members.map((m) =>
      m.const !== undefined ? JSON.stringify(m.const) : String(m.type ?? 'any value'),
    );
    return oneOf(
      expected.join(' or '),
      ...members.map((m, i) => checkFromSchema(c, m, `${where}.anyOf[${i}]`)),
    );
  }
  let check: Check;
  switch (s.type) {
    case 'string': {
      check = str(s.minLength ?? 0, s.maxLength ?? Infinity);
      if (s.pattern !== undefined) {
        const pattern = new RegExp(s.pattern, 'u');
        check = refine(check, (v: string) => pattern.test(v), `expected to match ${s.pattern}`);
      }
      if (s.format !== undefined) {
        const format = formats[s.format];
        if (!format) throw new TypeError(`${where}: format "${s.format}" is not supported`);
        check = refine(check, (v: string) => format.test(v), `expected ${s.format} format`);
      }
      return check;
    }
    case 'number':
    case 'integer': {
      check = s.type === 'integer' ? int(s.minimum) : num(s.minimum);
      if (s.maximum !== undefined)
        check = refine(check, (v: number) => v <= s.maximum, `expected at most ${s.maximum}`);
      if (s.exclusiveMinimum !== undefined) {
        check = refine(
          check,
          (v: number) => v > s.exclusiveMinimum,
          `expected more than ${s.exclusiveMinimum}`,
        );
      }
      if (s.exclusiveMaximum !== undefined) {
        check = refine(
          check,
          (v: number) => v < s.exclusiveMaximum,
          `expected less than ${s.exclusiveMaximum}`,
        );
      }
      return check;
    }
    case 'boolean':
      return bool;
    case 'null':
      return nul;
    case 'array': {
      check = arr(s.items ? checkFromSchema(c, s.items, `${where}.items`) : any, s.minItems ?? 0);
      if (s.maxItems !== undefined)
        check = refine(
          check,
          (v: unknown[]) => v.length <= s.maxItems,
          `expected at most ${s.maxItems} item(s)`,
        );
      return check;
    }
    case 'object': {
      if (s.patternProperties) {
        const [values] = Object.values(s.patternProperties) as RecordSchema[];
        return rec(checkFromSchema(c, values!, `${where}.patternProperties`));
      }
      const properties = Object.entries((s.properties ?? {}) as Record<string, RecordSchema>);
      const required = new Set<string>(s.required ?? []);
      return obj(
        Object.fromEntries(
          properties.map(([k, v]) => {
            const check = checkFromSchema(c, v, `${where}.${k}`);
            return [k, required.has(k) ? check : opt(check)];
          }),
        ),
        s.additionalProperties === false,
      );
    }
    case undefined:
      return any;
    default:
      throw new TypeError(`${where}: type ${JSON.stringify(s.type)} is not supported`);
  }
}

/** The issues of a value against a check, or undefined when it matches. */
export function issuesOf(check: Check, value: unknown, path: string): Issue[] | undefined {
  if (check(value)) return undefined;
  const out: Issue[] = [];
  check(value, path, out);
  return out;
}
