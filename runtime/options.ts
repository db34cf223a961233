import type { AppSchema } from './app-schema.js';
import type { ReconnectOptions } from './backoff.js';
import type { RetryOptions } from './calls.js';
import type { ConnectionState } from './events.js';
import type { Logger } from './logging.js';
import type { AuthOptions } from './session.js';
import type { SubscriptionInfo } from './subscriptions.js';
import type { WebSocketConstructor } from './transport.js';

/** What a client is made with; every option is optional. */
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
   * `report` (default) emits a `ResultValidationError` on `error` and resolves it anyway
   * (with no `error` listener and no logger, the first one is also printed once with `console.warn`),
   * `strict` rejects the call with it, `off` skips the check.
   */
  validateResults?: 'report' | 'strict' | 'off';
  /** Sees connection changes, retries, errors and (at debug) every frame, credentials redacted. */
  logger?: Logger;
  /** No `connect()` needed: the first call or subscription connects (concurrent first calls share it). Default false. */
  lazy?: boolean;
  /**
   * A call made while connecting or reconnecting waits for the connection
   * (within its timeout and signal) instead of rejecting at once; it is sent
   * once the client is connected again: after the login and after every
   * subscription is restored. Default false; `CallOptions.waitForConnection`
   * overrides it per call. A call already sent when the connection drops
   * still rejects and is never sent again.
   */
  waitForConnection?: boolean;
  /** Retries of safe reads (never of writes); default none. */
  retry?: RetryOptions;
  /** In browsers: the network coming back and a page shown again speed up reconnecting. Default true. */
  resume?: boolean;
  /**
   * The buckets of a generated app (its `createClient` passes them): records sent
   * to one of them are checked against its field definitions before they are sent.
   */
  app?: AppSchema;
  /** With `app`: check the records of its buckets, sent and received; default true. */
  validateRecords?: boolean;
}

/** What `client.inspect()` shows: a snapshot for debugging panels and tests. */
export interface ClientInspection {
  readonly state: ConnectionState;
  /** Calls sent and waiting for their answer. */
  readonly pendingCalls: number;
  /** Calls waiting for the connection before they are sent. */
  readonly waitingCalls: number;
  /** Every subscription the application holds. */
  readonly subscriptions: SubscriptionInfo[];
  /** Reconnects since `connect()`. */
  readonly reconnects: number;
  /** The round trip of the last probe of the connection, in ms; undefined before any. */
  readonly rttMs: number | undefined;
}
