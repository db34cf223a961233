import { reconnectPolicy } from './backoff.js';
import { Calls } from './calls.js';
import { Connection } from './connection.js';
import type { EffectsTable, OperationEffects } from './effects.js';
import type { Emitter } from './emitter.js';
import {
  ClientErrorCode,
  DisconnectedError,
  NoexClientError,
  RequestTimeoutError,
  ResultValidationError,
} from './errors.js';
import type { ClientEvents, WelcomeInfo } from './events.js';
import type { ClientInspection, ClientOptions } from './options.js';
import { watchResume, type Resumable } from './resume.js';
import { Session } from './session.js';
import { Subscriptions, type SubscribeOptions, type Unsubscribe } from './subscriptions.js';
import type { OperationValidators } from './validate.js';
import { Wire } from './wire.js';

type Payload = Record<string, unknown>;

/** A frame the server answers whatever it is (an unknown operation gets an error): a probe of the connection. */
const PROBE = '$probe';
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The client's working parts wired together: the wire (frames in and out),
 * the connection's lifecycle, the call pipeline, the subscriptions and the
 * session, each told about the others through what it needs of them.
 */
export class Engine {
  readonly wire: Wire;
  readonly subscriptions: Subscriptions;
  readonly session: Session;
  readonly connection: Connection;
  readonly calls: Calls;
  /** Loading the code that talks to the logger, when there is one; connecting waits for it. */
  #logging: Promise<void> | undefined;
  #stopResume: (() => void) | undefined;
  #rttMs: number | undefined;
  #warned = false;

  constructor(
    url: string,
    private readonly options: ClientOptions,
    validators: OperationValidators,
    effects: EffectsTable,
    /** The client's events: its listeners may be there before the engine. */
    readonly events: Emitter<ClientEvents>,
  ) {
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    const report = (error: unknown) => this.report(error);
    this.session = new Session(options.auth, effects);
    this.wire = new Wire(
      {
        validators,
        validateResults: options.validateResults ?? 'report',
        requestTimeoutMs,
        heartbeat: options.heartbeat !== false,
        livenessTimeoutMs: options.livenessTimeoutMs,
      },
      {
        push: (subscriptionId, data, topic) => this.subscriptions.push(subscriptionId, data, topic),
        revoked: (reason) => {
          this.connection.revoked();
          this.session.forget();
          this.events.emit('session_revoked', reason);
        },
        lost: (description) => this.connection.lost(description),
        late: (type, data) => this.subscriptions.release(type, data),
        report,
      },
    );
    const send = this.wire.send.bind(this.wire);
    this.subscriptions = new Subscriptions({ send, report }, effects);
    this.connection = new Connection(
      {
        url,
        connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
        WebSocket: options.WebSocket,
        reconnect: reconnectPolicy(options.reconnect),
      },
      {
        events: this.events,
        wire: this.wire,
        prepare: () => {
          if (options.resume !== false) this.#stopResume ??= watchResume(this.#resumable(), report);
          return this.#logging;
        },
        establish: (welcome) => this.#establish(welcome),
        dropped: (error) => {
          this.wire.requests.rejectAll(error);
          this.subscriptions.disconnected();
        },
        closed: (error) => {
          this.#stopResume?.();
          this.#stopResume = undefined;
          this.wire.requests.rejectAll(error);
          this.calls.close(error);
          this.subscriptions.clear(error);
          this.session.forget();
        },
        report,
      },
    );
    this.calls = new Calls(
      {
        validators,
        effects,
        lazy: options.lazy === true,
        waitForConnection: options.waitForConnection === true,
        retry: options.retry,
        requestTimeoutMs,
        app: options.validateRecords === false ? undefined : options.app,
      },
      this.connection,
      this.wire,
      this.session,
      report,
      (type, payload, result) => this.#observe(effects[type]!, type, payload, result),
    );
    const { logger } = options;
    if (logger) {
      this.#logging = import('./logging.js').then(
        ({ attachLogger }) =>
          void (this.wire.debug = attachLogger(this.events, logger, url, report)),
        report,
      );
    }
  }

  inspect(): ClientInspection {
    return {
      state: this.connection.state,
      pendingCalls: this.wire.requests.size,
      waitingCalls: this.connection.waiting,
      subscriptions: this.subscriptions.list(),
      reconnects: this.connection.reconnects,
      rttMs: this.#rttMs,
    };
  }

  /** Reports what no call can reject with on `error`. */
  report(error: unknown): void {
    const reported = error instanceof Error ? error : new Error(String(error));
    if (!this.events.has('error') && !this.options.logger) this.#warn(reported);
    this.events.emit('error', reported);
  }

  async subscribe(
    type: string,
    payload: Payload,
    callback: (...args: unknown[]) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe> {
    let unsubscribe: Unsubscribe | undefined;
    // Registered as the result is taken, so that a push right behind it is not missed.
    await this.calls.call(type, payload, options, undefined, (started) => {
      unsubscribe = this.subscriptions.add(
        type,
        payload,
        callback,
        started as { subscriptionId: string; data?: unknown },
        options,
      );
    });
    return unsubscribe!;
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
    const send = (type: string, payload: Payload) => this.wire.send(type, payload);
    const refused = await this.session.login(welcome, send);
    if (refused) this.report(refused);
    await this.subscriptions.restore();
  }

  /** What a successful call changes: the session, the subscriptions it ended. */
  #observe(effect: OperationEffects, type: string, payload: Payload, result: unknown): void {
    if (effect.session) this.session.observe(type, payload, result);
    const ends = effect.endsSubscriptions;
    if (ends) {
      const value = payload[ends.from];
      const reason = new NoexClientError(
        ClientErrorCode.SUBSCRIPTION_ENDED,
        `${type} ${JSON.stringify(value)} ended the subscriptions that read it`,
      );
      this.subscriptions.endWhere(ends.of, ends.field, value, reason);
    }
  }

  #resumable(): Resumable {
    return {
      wake: () => this.connection.wake(),
      probe: () => this.#probe(),
      reconnect: () => this.connection.reconnect(),
    };
  }

  async #probe(): Promise<boolean> {
    if (this.connection.state !== 'connected') return true;
    const started = performance.now();
    try {
      await this.wire.send(PROBE, {}, { timeoutMs: PROBE_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof RequestTimeoutError) return false;
      if (error instanceof DisconnectedError) return true;
    }
    this.#rttMs = performance.now() - started;
    return true;
  }
}
