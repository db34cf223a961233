import { reconnectPolicy, type ReconnectOptions } from './backoff.js';
import { Calls, type RetryOptions } from './calls.js';
import { Connection } from './connection.js';
import type { EffectsTable, OperationEffects } from './effects.js';
import { Emitter } from './emitter.js';
import {
  ClientErrorCode,
  DisconnectedError,
  NoexClientError,
  RequestTimeoutError,
  ResultValidationError,
} from './errors.js';
import type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
import type { Logger } from './logging.js';
import type { BucketSchema } from './record-schema.js';
import type { CallOptions } from './requests.js';
import { watchResume } from './resume.js';
import { Session, type AuthOptions } from './session.js';
import {
  Subscriptions,
  type SubscribeOptions,
  type SubscriptionInfo,
  type Unsubscribe,
} from './subscriptions.js';
import type { WebSocketConstructor } from './transport.js';
import type { OperationValidators } from './validate.js';
import { Wire } from './wire.js';

type Payload = Record<string, unknown>;

/** A frame the server answers whatever it is (an unknown operation gets an error): a probe of the connection. */
const PROBE = '$probe';
const PROBE_TIMEOUT_MS = 3_000;

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

/**
 * The client under the generated API: connection, calls and subscriptions,
 * wired together. Generated classes reach it through `caller`.
 */
export class ClientCore<Ops extends OperationMap<Ops>> {
  readonly #options: ClientOptions;
  readonly #events = new Emitter<ClientEvents>((error, event) => {
    if (event !== 'error') this.#report(error);
  });
  readonly #wire: Wire;
  readonly #subscriptions: Subscriptions;
  readonly #session: Session;
  readonly #connection: Connection;
  readonly #calls: Calls;
  /** Loading the code that talks to the logger, when there is one; connecting waits for it. */
  #logging: Promise<void> | undefined;
  #stopResume: (() => void) | undefined;
  #rttMs: number | undefined;
  #warned = false;

  /** What the generated API classes call into. */
  protected readonly caller: Caller<Ops>;

  constructor(
    url: string,
    options: ClientOptions = {},
    validators: OperationValidators,
    effects: EffectsTable,
  ) {
    this.#options = options;
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const report = (error: unknown) => this.#report(error);
    this.#session = new Session(options.auth, effects);
    this.#wire = new Wire(
      {
        validators,
        validateResults: options.validateResults ?? 'report',
        requestTimeoutMs,
        heartbeat: options.heartbeat !== false,
        livenessTimeoutMs: options.livenessTimeoutMs,
      },
      {
        push: (subscriptionId, data, topic) =>
          this.#subscriptions.push(subscriptionId, data, topic),
        revoked: (reason) => {
          this.#connection.revoked();
          this.#session.forget();
          this.#events.emit('session_revoked', reason);
        },
        lost: (description) => this.#connection.lost(description),
        late: (type, data) => this.#subscriptions.release(type, data),
        report,
      },
    );
    this.#subscriptions = new Subscriptions(
      {
        send: (type, payload, callOptions, onResult) =>
          this.#wire.send(type, payload, callOptions, onResult),
        report,
      },
      effects,
    );
    this.#connection = new Connection(
      {
        url,
        connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
        WebSocket: options.WebSocket,
        reconnect: reconnectPolicy(options.reconnect),
      },
      {
        events: this.#events,
        wire: this.#wire,
        prepare: () => {
          if (options.resume !== false) this.#stopResume ??= watchResume(this.#resumable(), report);
          return this.#logging;
        },
        establish: (welcome) => this.#establish(welcome),
        dropped: (error) => {
          this.#wire.requests.rejectAll(error);
          this.#subscriptions.disconnected();
        },
        closed: (error) => {
          this.#stopResume?.();
          this.#stopResume = undefined;
          this.#wire.requests.rejectAll(error);
          this.#subscriptions.clear(error);
          this.#session.forget();
        },
        report,
      },
    );
    this.#calls = new Calls(
      {
        validators,
        effects,
        lazy: options.lazy === true,
        waitForConnection: options.waitForConnection === true,
        retry: options.retry,
        requestTimeoutMs,
      },
      this.#connection,
      this.#wire,
      this.#session,
      report,
      (type, payload, result) => this.#observe(effects[type]!, type, payload, result),
    );
    const { logger } = options;
    if (logger) {
      this.#logging = import('./logging.js').then(
        ({ attachLogger }) => void (this.#wire.debug = attachLogger(this, logger, url, report)),
        report,
      );
    }
    this.caller = {
      call: (type, payload, callOptions, schema) =>
        this.#calls.call(type, payload as Payload, callOptions, schema) as never,
      subscribe: (type, payload, callback, callOptions) =>
        this.#subscribe(
          type,
          payload as Payload,
          callback as (...args: unknown[]) => void,
          callOptions,
        ),
      unsubscribe: async (type, payload, callOptions) => {
        this.#subscriptions.forget((payload as Payload).subscriptionId as string);
        await this.#calls.call(type, payload as Payload, callOptions);
      },
    };
  }

  /** Where the connection stands; `statechange` tells every change. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether the client is connected, logged in and has restored its subscriptions. */
  get isConnected(): boolean {
    return this.#state === 'connected';
  }

  /** Listens to a client event; returns the function that stops listening. */
  on<E extends keyof ClientEvents>(
    event: E,
    handler: (...args: ClientEvents[E]) => void,
  ): () => void {
    return this.#events.on(event, handler);
  }

  /** Opens the connection, waits for the welcome and logs in where configured. */
  connect(): Promise<WelcomeInfo> {
    return this.#connection.connect();
  }

  /** Closes the connection, rejects pending and waiting calls, ends subscriptions and stops reconnecting. */
  disconnect(): Promise<void> {
    return this.#connection.disconnect();
  }

  /**
   * Drops the current socket (if any) and connects at once, skipping any
   * backoff wait; the session and every subscription are restored as after a
   * drop, and the `Unsubscribe`s held keep working. Resolves when connected.
   */
  reconnect(): Promise<void> {
    if (this.#state === 'disconnected') return this.connect().then(() => undefined);
    return this.#connection.reconnect();
  }

  /** The state, the calls pending and waiting, the subscriptions held, reconnects and the last round trip. */
  inspect(): ClientInspection {
    return {
      state: this.#state,
      pendingCalls: this.#wire.requests.size,
      waitingCalls: this.#connection.waiting,
      subscriptions: this.#subscriptions.list(),
      reconnects: this.#connection.reconnects,
      rttMs: this.#rttMs,
    };
  }

  /** Disconnects: `await using client = new NoexClient(url)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }

  /** Sends any operation by its wire name; the name types the payload and the result. */
  request<K extends keyof Ops & string>(
    type: K,
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    ...args: {} extends Ops[K]['request']
      ? [payload?: Ops[K]['request'], options?: CallOptions]
      : [payload: Ops[K]['request'], options?: CallOptions]
  ): Promise<Ops[K]['result']> {
    const [payload, options] = args;
    return this.#calls.call(type, (payload ?? {}) as Payload, options) as Promise<Ops[K]['result']>;
  }

  get #state(): ConnectionState {
    return this.#connection.state;
  }

  #report(error: unknown): void {
    const reported = error instanceof Error ? error : new Error(String(error));
    if (!this.#events.has('error') && !this.#options.logger) this.#warn(reported);
    this.#events.emit('error', reported);
  }

  /** A result that breaks the spec, with nobody listening: said once, so that it is not silent. */
  #warn(error: Error): void {
    if (this.#warned || !(error instanceof ResultValidationError)) return;
    this.#warned = true;
    console.warn(
      `noex-client: ${error.message} (shown once; listen to 'error' or pass a logger to see every one, or set validateResults: 'off')`,
    );
  }

  async #establish(welcome: WelcomeInfo): Promise<void> {
    const refused = await this.#session.login(welcome, (type, payload) =>
      this.#wire.send(type, payload),
    );
    if (refused) this.#report(refused);
    await this.#subscriptions.restore();
  }

  /** What a successful call changes: the session, the subscriptions it ended. */
  #observe(effect: OperationEffects, type: string, payload: Payload, result: unknown): void {
    if (effect.session) this.#session.observe(type, payload, result);
    const ends = effect.endsSubscriptions;
    if (ends) {
      const value = payload[ends.from];
      const reason = new NoexClientError(
        ClientErrorCode.SUBSCRIPTION_ENDED,
        `${type} ${JSON.stringify(value)} ended the subscriptions that read it`,
      );
      this.#subscriptions.endWhere(ends.of, ends.field, value, reason);
    }
  }

  #resumable() {
    return {
      wake: () => this.#connection.wake(),
      probe: () => this.#probe(),
      reconnect: () => this.reconnect(),
    };
  }

  async #probe(): Promise<boolean> {
    if (this.#state !== 'connected') return true;
    const started = performance.now();
    try {
      await this.#wire.send(PROBE, {}, { timeoutMs: PROBE_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof RequestTimeoutError) return false;
      if (error instanceof DisconnectedError) return true;
    }
    this.#rttMs = performance.now() - started;
    return true;
  }

  async #subscribe(
    type: string,
    payload: Payload,
    callback: (...args: unknown[]) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe> {
    let unsubscribe: Unsubscribe | undefined;
    // Registered as the result is taken, so that a push right behind it is not missed.
    await this.#calls.call(type, payload, options, undefined, (started) => {
      unsubscribe = this.#subscriptions.add(
        type,
        payload,
        callback,
        started as { subscriptionId: string; data?: unknown },
        options,
      );
    });
    return unsubscribe!;
  }
}
