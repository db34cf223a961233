import { BucketSchema } from './record-schema.js';
import type { RecordSchema } from './schema-check.js';
import type { CallOptions, ClientOptions } from './types.js';

/**
 * The shape of an application as `noex generate` describes it (`type App` in
 * the generated file): buckets, queries and procedures by name. A client
 * typed by it (`NoexClient<App>`) takes and returns these types; the default,
 * {@link UntypedApp}, is the SDK without an app.
 */

declare const appBucket: unique symbol;

/**
 * A bucket of a generated app: its stored records (without the server's
 * metadata), what `insert` takes and what `update` takes. Branded, so that a
 * record type of a hand-typed bucket is never mistaken for one.
 */
export interface AppBucket<R extends object, I extends object = R, U extends object = Partial<I>> {
  readonly [appBucket]: { record: R; insert: I; update: U };
}

/** A query of an app: the params `subscribe` takes (`undefined`: none) and the result it delivers. */
export interface AppQuery {
  params: unknown;
  result: unknown;
}

/** A procedure of an app: the input `call` takes (`undefined` where it may be left out) and its `return` value. */
export interface AppProcedure {
  input: Record<string, unknown> | undefined;
  result: unknown;
}

/** What a `type App` must look like. */
export interface AppShape {
  buckets: { [name: string]: object };
  queries: { [name: string]: AppQuery };
  procedures: { [name: string]: AppProcedure };
}

/** No app: any bucket, query or procedure name, with untyped records, params and results. */
export interface UntypedApp {
  buckets: { [name: string]: Record<string, unknown> };
  queries: { [name: string]: { params: unknown; result: unknown } };
  procedures: { [name: string]: { input: Record<string, unknown> | undefined; result: unknown } };
}

/** The stored record of a bucket type `T`: an app bucket's record, else `T` itself. */
export type RecordOf<T> = T extends { readonly [appBucket]: { record: infer R } } ? R : T;
/** What `insert` takes for a bucket type `T`, or undefined when `T` is no app bucket. */
export type InsertOf<T> = T extends { readonly [appBucket]: { insert: infer I } } ? I : undefined;
/** What `update` takes for a bucket type `T`, or undefined when `T` is no app bucket. */
export type UpdateOf<T> = T extends { readonly [appBucket]: { update: infer U } } ? U : undefined;

/** A bucket name the app knows (any name for {@link UntypedApp}). */
export type BucketName<A extends AppShape> = keyof A['buckets'] & string;
/** A query name the app knows. */
export type QueryName<A extends AppShape> = keyof A['queries'] & string;
/** A procedure name the app knows. */
export type ProcedureName<A extends AppShape> = keyof A['procedures'] & string;

/** The result a query delivers. */
export type QueryResult<A extends AppShape, Q extends QueryName<A>> = A['queries'][Q]['result'];

/** What follows the query (and callback) in `subscribe` and `watch`: params where the query takes them, then options. */
export type QueryArgs<
  A extends AppShape,
  Q extends QueryName<A>,
  O,
> = undefined extends A['queries'][Q]['params']
  ? [params?: A['queries'][Q]['params'], options?: O]
  : [params: A['queries'][Q]['params'], options?: O];

/** What follows the name in `procedures.call`: the input (optional where it may be left out), then options. */
export type ProcedureArgs<
  A extends AppShape,
  P extends ProcedureName<A>,
> = undefined extends A['procedures'][P]['input']
  ? [input?: A['procedures'][P]['input'], options?: CallOptions]
  : [input: A['procedures'][P]['input'], options?: CallOptions];

/** A procedure's result (`Untyped`, the protocol's), with `result` typed `R` where the app declares it. */
export type ProcedureOutcome<R, Untyped extends { result?: unknown }> = unknown extends R
  ? Untyped
  : Omit<Untyped, 'result'> & { result: R };

/**
 * An explicit type argument opens a name the app does not know (a bucket or
 * query created at run time): `bucket<Log>('logs-2024')`. Without one, the
 * parameter is `never`, so an unknown name does not compile.
 */
export type RuntimeName<T> = [T] extends [never] ? never : string;

/** The field language of bucket schemas, as far as the record checks read it. */
export interface AppField {
  type: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'date';
  required?: boolean;
  default?: unknown;
  generated?: string;
  enum?: readonly unknown[];
  format?: string;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: { [field: string]: AppField };
  items?: AppField;
  [option: string]: unknown;
}

/** The buckets of an app as the generated file carries them: each one's key and field definitions. */
export interface AppSchema {
  buckets: { [name: string]: { key: string; schema: { [field: string]: AppField } } };
}

/** The options of a generated `createClient`: the client's, but the app's schema, which it passes itself. */
export type AppClientOptions = Omit<ClientOptions, 'app'>;

/** JSON Schema formats with the same meaning as the store's; `iso-date` is left to the server. */
const FORMATS: Record<string, string> = { email: 'email', url: 'uri' };

/** The store's pattern as a check can use it (Unicode mode); undefined when that mode refuses it. */
function usablePattern(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    return undefined; // the server still checks it
  }
}

/** A present value's schema: the field's type and the rules the store checks for it. */
function valueSchema(field: AppField): Record<string, unknown> {
  if (Array.isArray(field.enum) && field.enum.length > 0) return { enum: [...field.enum] };
  switch (field.type) {
    case 'string': {
      const pattern = field.pattern === undefined ? undefined : usablePattern(field.pattern);
      const format = field.format === undefined ? undefined : FORMATS[field.format];
      return {
        type: 'string',
        ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
        ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
        ...(pattern !== undefined ? { pattern } : {}),
        ...(format !== undefined ? { format } : {}),
      };
    }
    case 'number':
      return {
        type: 'number',
        ...(field.min !== undefined ? { minimum: field.min } : {}),
        ...(field.max !== undefined ? { maximum: field.max } : {}),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      // The store takes a number (ms) or any string.
      return { anyOf: [{ type: 'string' }, { type: 'number' }] };
    case 'object':
      return field.properties ? objectSchema(field.properties, false) : { type: 'object' };
    case 'array':
      return field.items ? { type: 'array', items: valueSchema(field.items) } : { type: 'array' };
    default:
      return {};
  }
}

/** Null passes where the store lets a field be empty (it is not required). */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.enum)) return { enum: [...schema.enum, null] };
  if (Array.isArray(schema.anyOf)) return { anyOf: [...schema.anyOf, { type: 'null' }] };
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return schema;
}

function objectSchema(fields: { [field: string]: AppField }, insert: boolean): RecordSchema {
  const required: string[] = [];
  const properties: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const mustBeGiven =
      field.required === true && !(insert && (field.default !== undefined || field.generated));
    if (mustBeGiven) required.push(name);
    properties[name] = field.required === true ? valueSchema(field) : nullable(valueSchema(field));
  }
  return { type: 'object', properties, required };
}

/**
 * The JSON Schema of what a bucket's records may hold, for the typed-bucket
 * checks: the rules the store enforces (required, type, enum, min/max,
 * minLength/maxLength, pattern, the email and url formats), with null allowed
 * where a field is not required. Fields the store fills on insert (`default`,
 * `generated`) need not be given.
 */
export function recordSchemaOf(fields: { [field: string]: AppField }): RecordSchema {
  return objectSchema(fields, true);
}

/**
 * The record checks of an app's buckets: what the client hands a call to a
 * bucket of the app, as it would a typed bucket's schema. They start loading
 * with the client, so that calls made once they are in are checked and sent
 * at once, in order with the client's other calls.
 */
export class AppBuckets {
  readonly #schemas = new Map<string, BucketSchema>();

  constructor(app: AppSchema) {
    for (const [name, { schema }] of Object.entries(app.buckets)) {
      this.#schemas.set(name, new BucketSchema(recordSchemaOf(schema)));
    }
  }

  /** The checks of a bucket of the app; undefined for any other bucket. */
  for(bucket: string): BucketSchema | undefined {
    return this.#schemas.get(bucket);
  }
}
