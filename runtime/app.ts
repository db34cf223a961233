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
