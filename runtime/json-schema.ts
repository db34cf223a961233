import type { Check } from './validate.js';

/**
 * The JSON Schema subset noex-client reads, and the one place that says what
 * each keyword means. Its readers (generated types and validators, the CLI's
 * help, a typed bucket's record checks) all take a schema apart with
 * `shapeOf`, so a keyword is understood by every one of them or refused by
 * every one. No TypeBox here: the record checks load this in browsers.
 */
export interface Schema {
  readonly $id?: string;
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly description?: string;
  /** The field carries a credential (protocol/shapes.ts `Secret`). */
  readonly secret?: boolean;
  /** In a bucket's methods, the runtime type of this name for its records (protocol/shapes.ts). */
  readonly typedAs?: string;
}

/** Keywords that only describe; every other keyword of `Schema` changes what is accepted. */
const annotations = [
  '$id',
  '$schema',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'secret',
  'typedAs',
];
const keywords = [
  'type',
  'const',
  'enum',
  'anyOf',
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
];
const types = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];

export const formats: Readonly<Record<string, RegExp>> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
  date: /^\d{4}-\d\d-\d\d$/,
  uri: /^[a-z][a-z\d+.-]*:\S+$/i,
};

/** What a schema is, as its readers tell cases apart. */
export type Shape =
  /** One of these literal values (`const` is one). */
  | { readonly kind: 'enum'; readonly values: readonly unknown[] }
  /** A union of objects told apart by the literal value of `tag`. */
  | { readonly kind: 'tagged'; readonly tag: string; readonly members: readonly Schema[] }
  | { readonly kind: 'union'; readonly members: readonly Schema[] }
  | { readonly kind: 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'any' }
  | { readonly kind: 'array'; readonly items: Schema }
  /** `Type.Record(Type.String(), values)`. */
  | { readonly kind: 'record'; readonly values: Schema }
  | { readonly kind: 'object'; readonly properties: Readonly<Record<string, Schema>> };

/** The shape of one schema (not its children); throws on what no reader understands. */
export function shapeOf(schema: Schema, where = 'schema'): Shape {
  for (const key of Object.keys(schema)) {
    if (!keywords.includes(key) && !annotations.includes(key)) {
      throw new TypeError(`${where}: schema keyword "${key}" is not supported`);
    }
  }
  if (schema.type !== undefined && !types.includes(schema.type)) {
    throw new TypeError(`${where}: type ${JSON.stringify(schema.type)} is not supported`);
  }
  if (schema.format !== undefined && !formats[schema.format]) {
    throw new TypeError(`${where}: format "${schema.format}" is not supported`);
  }
  if (schema.const !== undefined) return { kind: 'enum', values: [schema.const] };
  if (schema.enum) return { kind: 'enum', values: schema.enum };
  const members = schema.anyOf;
  if (members) {
    if (members.every((m) => m.const !== undefined)) {
      return { kind: 'enum', values: members.map((m) => m.const) };
    }
    const tag = discriminator(members);
    return tag ? { kind: 'tagged', tag, members } : { kind: 'union', members };
  }
  switch (schema.type) {
    case 'array':
      return { kind: 'array', items: schema.items ?? {} };
    case 'object': {
      const patterns = Object.values(schema.patternProperties ?? {});
      if (patterns.length > 1)
        throw new TypeError(`${where}: records have exactly one key pattern`);
      if (patterns[0]) return { kind: 'record', values: patterns[0] };
      return { kind: 'object', properties: schema.properties ?? {} };
    }
    case undefined:
      return { kind: 'any' };
    default:
      return { kind: schema.type as 'string' };
  }
}

/** The field whose literal value tells the objects of a union apart, if there is one. */
function discriminator(members: readonly Schema[]): string | undefined {
  if (members.length < 2 || !members.every((m) => m.type === 'object' && m.properties)) {
    return undefined;
  }
  return Object.keys(members[0]!.properties!).find((name) =>
    members.every((m) => isRequired(m, name) && m.properties![name]!.const !== undefined),
  );
}

/**
 * The schema of the value of a union that is that value or null
 * (`Type.Union([X, Type.Null()])`); undefined for any other union. Its checks
 * accept null and give any other value the value schema's own messages.
 */
export function orNullOf(members: readonly Schema[]): Schema | undefined {
  if (members.length !== 2) return undefined;
  const at = members.findIndex((m) => m.type === 'null' && Object.keys(m).length === 1);
  return at < 0 ? undefined : members[1 - at];
}

export function isRequired(schema: Schema, property: string): boolean {
  return schema.required?.includes(property) ?? false;
}

/** The schemas directly inside this one. */
export function children(schema: Schema): Schema[] {
  return [
    ...(schema.anyOf ?? []),
    ...Object.values(schema.properties ?? {}),
    ...Object.values(schema.patternProperties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ];
}

/** Throws where a schema or any schema inside it uses what no reader understands. */
export function assertSupported(schema: Schema, where = 'schema'): void {
  shapeOf(schema, where);
  for (const child of children(schema)) assertSupported(child, where);
}

/** A short description of the values a schema accepts, for messages. */
export function describe(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const members = schema.anyOf ?? schema.enum?.map((value) => ({ const: value }));
  if (members) return members.map(describe).join(' or ');
  if (schema.type === 'string' && schema.minLength === 1 && schema.maxLength === undefined) {
    return 'non-empty string';
  }
  if (schema.type === 'integer' && schema.minimum === 1) return 'positive integer';
  return schema.type ?? 'any value';
}

/** The keywords that add a test to a string, number or array check. */
export type Refinement =
  'pattern' | 'format' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum' | 'maxItems';
const refinementKeywords: readonly Refinement[] = [
  'pattern',
  'format',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'maxItems',
];

/** The refinements a schema has, with their values, in the order they are checked. */
export function refinementsOf(schema: Schema): [Refinement, string | number][] {
  return refinementKeywords.flatMap((keyword) =>
    schema[keyword] === undefined ? [] : [[keyword, schema[keyword]]],
  );
}

/** `check`, then the test of one refinement keyword (failing with its own message). */
export function refine(check: Check, keyword: Refinement, value: string | number): Check {
  const [test, message] = refinementTest(keyword, value);
  return (v, p, o) => {
    if (!check(v, p, o)) return false;
    if (test(v as never)) return true;
    o?.push({ path: p ?? '', message });
    return false;
  };
}

function refinementTest(
  keyword: Refinement,
  value: string | number,
): [(value: never) => boolean, string] {
  switch (keyword) {
    case 'pattern': {
      const pattern = new RegExp(value as string, 'u');
      return [(v: string) => pattern.test(v), `expected to match ${value}`];
    }
    case 'format':
      return [(v: string) => formats[value as string]!.test(v), `expected ${value} format`];
    case 'maximum':
      return [(v: number) => v <= (value as number), `expected at most ${value}`];
    case 'exclusiveMinimum':
      return [(v: number) => v > (value as number), `expected more than ${value}`];
    case 'exclusiveMaximum':
      return [(v: number) => v < (value as number), `expected less than ${value}`];
    case 'maxItems':
      return [(v: unknown[]) => v.length <= (value as number), `expected at most ${value} item(s)`];
  }
}
