import type { AppSchema, InsertOf, RecordOf, UpdateOf } from './app.js';
import type { Logger } from './logger.js';
import type { SubscribeOptions } from './streams.js';
import type { BucketSchema } from './record-schema.js';
import type { WebSocketConstructor } from './transport.js';

/** The last argument of every method that talks to the server. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides `requestTimeoutMs` for this call; 0 or Infinity waits without a deadline. */
  timeoutMs?: number;
}

/** Stops a subscription's callback at once and tells the server in the background. */
export type Unsubscribe = () => void;

export interface WelcomeInfo {
  version: string;
  serverTime: number;
  requiresAuth: boolean;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface ReconnectOptions {
  /** Attempts before giving up; default Infinity. */
  maxRetries?: number;
  /** Delay before the first attempt; default 1 000 ms. */
  initialDelayMs?: number;
  /** Cap of the exponential delay; default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth of the delay per attempt; default 2. */
  backoffMultiplier?: number;
  /** Random extra delay of up to this many ms, so clients do not reconnect in lockstep; default 500. */
  jitterMs?: number;
}

export interface AuthOptions {
  /** Sent with `auth.login` after every connect where the server requires auth. */
  token?: string;
  /** Sent with `identity.login` after every connect where the server requires auth. */
  credentials?: { username: string; password: string };
}

export interface ClientOptions {
  auth?: AuthOptions;
  /** Reconnect after the connection drops; default true. */
  reconnect?: boolean | ReconnectOptions;
  /** How long a call waits for its answer; default 10 000 ms; 0 or Infinity: no deadline. */
  requestTimeoutMs?: number;
  /** Time to open the socket and receive the welcome; default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Answer the server's pings; default true. */
  heartbeat?: boolean;
  /**
   * Once the server has pinged, this long without any frame from it means the
   * connection is dead (half-open) and the client reconnects; default 65 000 ms
   * (two missed pings at the server's default 30 s). 0 turns the check off.
   */
  livenessTimeoutMs?: number;
  /** Default: `globalThis.WebSocket`, else the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /**
   * What to do with a result that does not match the protocol spec:
   * `report` (default) emits a `ResultValidationError` on `error` and resolves it anyway,
   * `strict` rejects the call with it, `off` skips the check.
   */
  validateResults?: 'report' | 'strict' | 'off';
  /** Sees connection changes, retries, errors and (at debug) every frame, credentials redacted. */
  logger?: Logger;
  /**
   * The buckets of a generated app (its `createClient` passes them): records sent
   * to one of them are checked against its field definitions before they are sent.
   */
  app?: AppSchema;
  /** With `app`: check records before sending them (and those received); default true. */
  validateRecords?: boolean;
}

export interface ClientEvents {
  /** A connection is up and logged in: after `connect()` and after every reconnect. */
  connected: [];
  /** The connection was lost or closed, or reconnecting gave up; the reason says which. */
  disconnected: [reason: string];
  /** A reconnect attempt is starting (from 1). */
  reconnecting: [attempt: number];
  /** Back after a drop: logged in again and every subscription restored. */
  reconnected: [];
  /** Something went wrong that no call can reject with: a failed attempt, a bad frame, a throwing handler. */
  error: [error: Error];
  /** The server's welcome frame, on every connection. */
  welcome: [info: WelcomeInfo];
  /** The server revoked this session; the connection closes and is not re-opened. */
  session_revoked: [reason: string];
}

/** One mismatch between a value and its schema. */
export interface Issue {
  /** Where, as a property path from the payload or result root (`data.name`, `operations[0].key`). */
  path: string;
  message: string;
}

export type Validator = (value: unknown) => Issue[] | undefined;
export type OperationValidators = Readonly<
  Record<string, { request: Validator; result: Validator }>
>;

/** An operation's payload and result types, as generated/types.ts declares them. */
export interface OperationShape {
  request: unknown;
  result: unknown;
}
export type OperationMap<Ops> = { [K in keyof Ops]: OperationShape };

/** What generated API classes call into. */
export interface Caller<Ops extends OperationMap<Ops>> {
  call<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    options?: CallOptions,
    schema?: BucketSchema,
  ): Promise<Ops[K]['result']>;
  subscribe<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    callback: (...args: never[]) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
  unsubscribe<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    options?: CallOptions,
  ): Promise<void>;
}

/** The metadata the server adds to every stored record. */
export interface RecordMeta {
  _version: number;
  _createdAt: number;
  _updatedAt: number;
  /** Only in buckets with a TTL. */
  _expiresAt?: number;
}

/**
 * A stored record of a bucket whose records are `T`, with the server's metadata.
 * Buckets keyed by a generated `id` (the usual case) return it; declare the key
 * field in `T` for a bucket keyed otherwise. A bucket of a generated app
 * (`AppBucket`) has its stored record as generated.
 */
export type BucketRecord<T> = [RecordOf<T>] extends [T]
  ? T & RecordMeta & ('id' extends keyof T ? unknown : { id: string })
  : RecordOf<T> & RecordMeta;

/** What `insert` takes: `T`, where generated fields such as `id` may be left out (an app bucket's as generated). */
export type NewRecord<T> = [RecordOf<T>] extends [T]
  ? Omit<T, keyof RecordMeta | 'id'> & Partial<Pick<T, Extract<keyof T, 'id'>>>
  : InsertOf<T>;

/** What `update` takes: any subset of `T`'s fields (an app bucket's as generated). */
export type RecordUpdate<T> = [RecordOf<T>] extends [T]
  ? Partial<Omit<T, keyof RecordMeta>>
  : UpdateOf<T>;

export interface FieldOperators<V> {
  $eq?: V;
  $neq?: V;
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $in?: V[];
  $nin?: V[];
  /** Case-insensitive substring. */
  $contains?: string;
  $startsWith?: string;
  $endsWith?: string;
  $exists?: boolean;
  $between?: [V, V];
}

/** `{field: value}` for equality, operator objects, and `$or` / `$and` (an app bucket's metadata fields too). */
export type RecordFilter<T> = [RecordOf<T>] extends [T]
  ? FieldFilter<T>
  : FieldFilter<RecordOf<T> & RecordMeta>;

type FieldFilter<T> = {
  [K in keyof T]?: T[K] | FieldOperators<T[K]>;
} & { $or?: FieldFilter<T>[]; $and?: FieldFilter<T>[] };

/** A field of `T` that holds numbers (any field name for untyped buckets). */
export type NumericField<T> = string extends keyof RecordOf<T>
  ? string
  : {
      [K in keyof RecordOf<T>]-?: NonNullable<RecordOf<T>[K]> extends number ? K : never;
    }[keyof RecordOf<T>] &
      string;

export interface BucketPage<T> {
  records: BucketRecord<T>[];
  hasMore: boolean;
  /** The key of the last record; pass it as `after` for the next page. */
  nextCursor?: unknown;
}
