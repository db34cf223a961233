import type { Static, TObject } from 'typebox';
import { BucketSchema } from './bucket-schema.js';
import type { Caller, OperationMap } from './client.js';
import type { BucketPage, BucketRecord } from './record-types.js';
import type { CallOptions } from './requests.js';
import { pages, watchAll, watchLatest, type WatchOptions } from './streams.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';

/**
 * The handwritten half of the client objects. generated/client.ts declares one
 * method per operation, on classes that extend these; the methods built on
 * operations (streams, typed buckets) live here, where the type checker reads
 * them as they are written.
 */

/** A client object: its methods hand their operation to the core. */
export abstract class ApiBase<Ops extends OperationMap<Ops>> {
  /** @internal The client makes its objects; applications get them from it. */
  constructor(protected readonly core: Caller<Ops>) {}
}

/**
 * The generated bucket class as a function of its record type: the generated
 * store says `api` is its bucket class of `records`, so that `bucket<T>()`
 * here can return that class of `T` without naming it.
 */
export interface BucketKind {
  readonly records: unknown;
  readonly api: unknown;
}

/** The bucket class of a kind, for records `T`. */
export type Bucket<K extends BucketKind, T> = (K & { readonly records: T })['api'];

/** `client.store`: opens buckets and streams reactive queries. */
export abstract class StoreBase<
  Ops extends OperationMap<Ops>,
  K extends BucketKind,
> extends ApiBase<Ops> {
  /**
   * The operations on one bucket, its records typed `T`; makes no request.
   * @param name - The bucket's name.
   * @returns The bucket's methods, its name bound.
   * @example
   * ```ts
   * const users = client.store.bucket<User>('users');
   * await users.insert({ name: 'Alice', role: 'admin' });
   * ```
   */
  bucket<T extends object = Record<string, unknown>>(name: string): Bucket<K, T>;
  /**
   * The operations on one bucket whose records the schema describes: every
   * record sent and received is checked against it; makes no request.
   * @param name - The bucket's name.
   * @param schema - A TypeBox object schema of the records.
   * @returns The bucket's methods, its records typed by the schema.
   * @throws {RequestValidationError} from a call that sends a record the schema refuses; nothing is sent.
   * @throws {ResultValidationError} from a call that receives a record the schema refuses.
   */
  bucket<S extends TObject>(name: string, schema: S): Bucket<K, Static<S>>;
  bucket(name: string, schema?: TObject): unknown {
    return this.openBucket(name, schema && new BucketSchema(schema));
  }

  /**
   * A reactive query as an async iterator: the current result, then each
   * change; a slow consumer gets the latest result. `break` or an aborted
   * signal unsubscribes.
   * @param query - The name of a query defined with `defineQuery`.
   * @param params - Values for the query's `{{ params.x }}` placeholders.
   * @param options - `signal`: aborting ends the iteration.
   * @returns The query's results, the current one first.
   * @example
   * ```ts
   * for await (const users of client.store.watch<User[]>('all-users')) console.log(users.length);
   * ```
   */
  watch<R = unknown>(
    query: string,
    params?: unknown,
    options?: WatchOptions,
  ): AsyncIterableIterator<R> {
    return watchLatest<R>((push, opts) => this.subscribe<R>(query, push, params, opts), options);
  }

  protected abstract openBucket(name: string, schema: BucketSchema | undefined): unknown;

  abstract subscribe<R>(
    query: string,
    callback: (data: R) => void,
    params?: unknown,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
}

/** `client.store.bucket(name)`: the bucket's name bound, its records typed `T`. */
export abstract class BucketBase<
  Ops extends OperationMap<Ops>,
  T extends object,
> extends ApiBase<Ops> {
  /** @internal `client.store.bucket(name)` makes buckets. */
  constructor(
    core: Caller<Ops>,
    /** The bucket's name. */
    readonly name: string,
    protected readonly schema?: BucketSchema,
  ) {
    super(core);
  }

  /**
   * Every record of the bucket as an async iterator, fetched `pageSize` records at a time.
   * @param options - `pageSize`: records per request; and the call options of each request.
   * @returns The records, page after page, in the bucket's order.
   * @example
   * ```ts
   * for await (const user of client.store.bucket<User>('users').iterate({ pageSize: 100 })) {
   *   console.log(user.name);
   * }
   * ```
   */
  iterate(options: { pageSize: number } & CallOptions): AsyncIterableIterator<BucketRecord<T>> {
    return pages((after, opts) => this.paginate({ limit: options.pageSize, after }, opts), options);
  }

  abstract paginate(
    page: { limit: number; after?: unknown },
    options?: CallOptions,
  ): Promise<BucketPage<T>>;
}

/** What a rules object's `watch` yields: the event its subscribe callback receives, and its topic. */
export type TopicEvent<A> = {
  event: A extends {
    subscribe(pattern: string, callback: (event: infer E, topic: string) => void): unknown;
  }
    ? E
    : never;
  topic: string;
};

/** `client.rules`: streams rule events. */
export abstract class RulesBase<Ops extends OperationMap<Ops>> extends ApiBase<Ops> {
  /**
   * Rule events matching a pattern as an async iterator, each `{ event, topic }`
   * in order. `break` or an aborted signal unsubscribes.
   * @param pattern - A topic pattern such as `*`, `order.*` or `a.*.c`.
   * @param options - `signal`: aborting ends the iteration.
   * @returns Each matching event with its topic, from now on.
   */
  watch(pattern: string, options?: WatchOptions): AsyncIterableIterator<TopicEvent<this>> {
    return watchAll(
      (push, opts) => this.subscribe(pattern, (event, topic) => push({ event, topic }), opts),
      options,
    );
  }

  abstract subscribe(
    pattern: string,
    callback: (event: any, topic: string) => void, // eslint-disable-line @typescript-eslint/no-explicit-any -- each generated client's event type
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
}
