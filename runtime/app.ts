import type { Static, TObject } from 'typebox';
import type { Bucket, BucketKind } from './api-base.js';
import type { ClientOptions } from './options.js';
import type { CallOptions } from './requests.js';
import type { WatchOptions } from './streams.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';
import { untyped, type AppShape } from './app-schema.js';

export * from './app-schema.js';

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

/** The options of a generated `createClient`: the client's, but the app's schema, which it passes itself. */
export type AppClientOptions = Omit<ClientOptions, 'app'>;
