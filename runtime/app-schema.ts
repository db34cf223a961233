/** The shape of an application, and of its buckets' fields: types that depend on nothing else. */

/**
 * The shape of an application as `noex generate` describes it (`type App` in
 * the generated file): buckets, queries and procedures by name. A client
 * typed by it (`NoexClient<App>`) takes and returns these types in
 * `client.store` and `client.procedures`; the default, {@link UntypedApp}, is
 * the SDK without an app, its objects exactly the generated classes.
 */

export declare const appBucket: unique symbol;
export declare const untyped: unique symbol;

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
export interface UntypedApp extends AppShape {
  readonly [untyped]: true;
  buckets: { [name: string]: Record<string, unknown> };
  queries: { [name: string]: { params: unknown; result: unknown } };
  procedures: { [name: string]: { input: Record<string, unknown> | undefined; result: unknown } };
}

/** The stored record of a bucket type `T`: an app bucket's record, else `T` itself. */
export type RecordOf<T> = T extends { readonly [appBucket]: { record: infer R } } ? R : T;
/** What `insert` takes for an app bucket type `T`. */
export type InsertOf<T> = T extends { readonly [appBucket]: { insert: infer I } } ? I : never;
/** What `update` takes for an app bucket type `T`. */
export type UpdateOf<T> = T extends { readonly [appBucket]: { update: infer U } } ? U : never;
/** Whether `T` is a bucket of a generated app. */
export type IsAppBucket<T> = [T] extends [{ readonly [appBucket]: unknown }] ? true : false;

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
