import type { Static, TObject } from 'typebox';
import type { Bucket, BucketKind } from './api-base.js';
import type { ClientOptions } from './options.js';
import type { CallOptions } from './requests.js';
import type { WatchOptions } from './streams.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';

/**
 * The shape of an application as `noex generate` describes it (`type App` in
 * the generated file): buckets, queries and procedures by name. A client
 * typed by it (`NoexClient<App>`) takes and returns these types in
 * `client.store` and `client.procedures`; the default, {@link UntypedApp}, is
 * the SDK without an app, its objects exactly the generated classes.
 */

declare const appBucket: unique symbol;
declare const untyped: unique symbol;

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

/** A bucket name the app knows. */
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

/** What follows the name in `client.procedures.call()`: the input (optional where it may be left out), then options. */
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
 * An explicit type argument opens a name the app does not know (a bucket,
 * query or procedure created at run time): `bucket<Log>('logs-2024')`.
 * Without one the parameter is `never`, so an unknown name does not compile.
 */
export type RuntimeName<T> = [T] extends [never] ? never : string;

/** `client.store`'s methods that take their names' types from the app. */
export interface AppStoreMethods<A extends AppShape, K extends BucketKind> {
  /** The operations on one bucket, its records typed by the app's schema; makes no request. */
  bucket<N extends BucketName<A>>(name: N): Bucket<K, A['buckets'][N]>;
  /** A bucket the app does not know (created at run time), its records typed `T`; makes no request. */
  bucket<T extends object = never>(name: RuntimeName<T>): Bucket<K, T>;
  /**
   * The operations on one bucket whose records the schema describes: every
   * record sent and received is checked against it; makes no request.
   */
  bucket<S extends TObject>(name: string, schema: S): Bucket<K, Static<S>>;

  /** Subscribe to a reactive query: the callback gets the current result at once and every changed result after; survives reconnects. */
  subscribe<Q extends QueryName<A>>(
    query: Q,
    callback: (data: QueryResult<A, Q>) => void,
    ...rest: QueryArgs<A, Q, SubscribeOptions>
  ): Promise<Unsubscribe>;
  /** A query the app does not know (defined at run time), its results typed `R`. */
  subscribe<R = never>(
    query: RuntimeName<R>,
    callback: (data: R) => void,
    params?: unknown,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;

  /**
   * A reactive query as an async iterator: the current result, then each
   * change; a slow consumer gets the latest result. `break` or an aborted
   * signal unsubscribes.
   */
  watch<Q extends QueryName<A>>(
    query: Q,
    ...rest: QueryArgs<A, Q, WatchOptions>
  ): AsyncIterableIterator<QueryResult<A, Q>>;
  /** A query the app does not know (defined at run time), its results typed `R`. */
  watch<R = never>(
    query: RuntimeName<R>,
    params?: unknown,
    options?: WatchOptions,
  ): AsyncIterableIterator<R>;
}

/** `client.procedures`'s `call`, taking its names' types from the app. */
export interface AppProcedureMethods<A extends AppShape, Result extends { result?: unknown }> {
  /** Run a procedure; resolves its `return` value as `result` and every `as` output as `results`. */
  call<N extends ProcedureName<A>>(
    name: N,
    ...rest: ProcedureArgs<A, N>
  ): Promise<ProcedureOutcome<A['procedures'][N]['result'], Result>>;
  /** A procedure the app does not know (registered at run time), its `return` value typed `R`. */
  call<R = never>(
    name: RuntimeName<R>,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<ProcedureOutcome<R, Result>>;
}

/** `client.store` of a client typed by `A`: the generated store `S`, its bucket kind `K`. */
export type StoreOf<A extends AppShape, S, K extends BucketKind> = A extends {
  readonly [untyped]: true;
}
  ? S
  : Omit<S, keyof AppStoreMethods<A, K>> & AppStoreMethods<A, K>;

/** `client.procedures` of a client typed by `A`: the generated procedures object `P`. */
export type ProceduresOf<
  A extends AppShape,
  P extends { call(name: string, ...rest: never[]): Promise<{ result?: unknown }> },
> = A extends { readonly [untyped]: true }
  ? P
  : Omit<P, 'call'> & AppProcedureMethods<A, Awaited<ReturnType<P['call']>>>;

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
