import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from './backoff.js';
import { closeGracefully, dropSocket, ignoreErrors, openSocket, sleep } from './connection.js';
import { Emitter } from './emitter.js';
import { DisconnectedError, RequestValidationError } from './errors.js';
import { BucketSchema } from './record-schema.js';
import { Session } from './session.js';
import type { SubscribeOptions } from './streams.js';
import { Subscriptions } from './subscriptions.js';
import type { WebSocketLike } from './transport.js';
import { Wire } from './wire.js';
import type {
  CallOptions,
  Caller,
  ClientEvents,
  ClientOptions,
  ConnectionState,
  OperationMap,
  OperationValidators,
  Unsubscribe,
  WelcomeInfo,
} from './types.js';

type Payload = Record<string, unknown>;
/** The record checks of a generated app's buckets, by bucket name. */
type AppChecks = Map<string, BucketSchema>;

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set([1003, 4002, 4003]);
/** Operations whose result opens or closes a session the client restores after a reconnect. */
const SESSION_OPERATIONS = new Set([
  'auth.login',
  'auth.logout',
  'identity.login',
  'identity.loginWithSecret',
  'identity.refreshSession',
  'identity.logout',
]);

/**
 * The connection, request and subscription machinery under the generated
 * client: connect and welcome, auto-login, request correlation and timeouts,
 * validation, push routing, heartbeat, reconnect and subscription recovery.
 */
export class ClientCore<Ops extends OperationMap<Ops>> implements AsyncDisposable {
  readonly #url: string;
  readonly #options: ClientOptions;
  readonly #validators: OperationValidators;
  readonly #reconnect: ReconnectPolicy | undefined;
  readonly #events = new Emitter<ClientEvents>((error, event) => {
    if (event !== 'error') this.#report(error);
  });
  readonly #wire: Wire;
  readonly #subscriptions: Subscriptions;
  readonly #session: Session;
  #state: ConnectionState = 'disconnected';
  #socket: WebSocketLike | undefined;
  #welcome: WelcomeInfo | undefined;
  /** Aborted by `disconnect()`: cancels whatever connect or reconnect is under way. */
  #lifecycle: AbortController | undefined;
  #connecting: Promise<WelcomeInfo> | undefined;
  #revoked = false;
  /** Loading the code that talks to the logger, when there is one; connecting waits for it. */
  #logging: Promise<void> | undefined;
  /** A generated app's buckets (`options.app`) and, once loaded, their record checks; unless turned off. */
  readonly #app: { buckets: object; loading: Promise<AppChecks>; checks?: AppChecks } | undefined;

  /** What the generated API classes call into. */
  protected readonly caller: Caller<Ops>;

  constructor(url: string, options: ClientOptions = {}, validators: OperationValidators) {
    this.#url = url;
    this.#options = options;
    this.#validators = validators;
    this.#reconnect = reconnectPolicy(options.reconnect);
    const { app } = options;
    if (app && options.validateRecords !== false) {
      // Loaded now, so that calls made once they are in are checked and sent at once, in order.
      const loading = import('./app-checks.js').then(
        ({ appChecks }) => (this.#app!.checks = appChecks(app, BucketSchema)),
      );
      loading.catch(() => {}); // a failure rejects the app's bucket calls instead
      this.#app = { buckets: app.buckets, loading };
    }
    this.#session = new Session(options.auth);
    this.#wire = new Wire(
      {
        validators,
        validateResults: options.validateResults ?? 'report',
        requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
        heartbeat: options.heartbeat !== false,
        livenessTimeoutMs: options.livenessTimeoutMs,
      },
      {
        push: (subscriptionId, data, topic) =>
          this.#subscriptions.push(subscriptionId, data, topic),
        revoked: (reason) => {
          this.#revoked = true;
          this.#session.forget();
          this.#events.emit('session_revoked', reason);
        },
        lost: (description) => this.#lost(description),
        report: (error) => this.#report(error),
      },
    );
    this.#subscriptions = new Subscriptions({
      send: (type, payload, callOptions, onResult) =>
        this.#wire.send(type, payload, callOptions, onResult),
      report: (error) => this.#report(error),
      isConnected: () => this.#state === 'connected',
    });
    const { logger } = options;
    if (logger) {
      this.#logging = import('./logging.js').then(
        ({ attachLogger }) => void (this.#wire.debug = attachLogger(this, logger, url)),
        (error: unknown) => this.#report(error),
      );
    }
    this.caller = {
      call: (type, payload, callOptions, schema) =>
        this.#call(type, payload as Payload, callOptions, schema) as never,
      subscribe: (type, payload, callback, callOptions) =>
        this.#subscribe(
          type,
          payload as Payload,
          callback as (...args: unknown[]) => void,
          callOptions,
        ),
      unsubscribe: (type, payload, callOptions) =>
        this.#unsubscribe(type, payload as Payload, callOptions),
    };
  }

  get state(): ConnectionState {
    return this.#state;
  }

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
    if (this.#state === 'connected') return Promise.resolve(this.#welcome!);
    if (this.#connecting) return this.#connecting;
    if (this.#state === 'reconnecting') return this.#nextOutcome();
    const lifecycle = new AbortController();
    this.#lifecycle = lifecycle;
    this.#revoked = false;
    this.#state = 'connecting';
    const attempt = this.#establish(lifecycle.signal).then(
      (welcome) => {
        this.#connecting = undefined;
        this.#state = 'connected';
        this.#events.emit('connected');
        return welcome;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        if (this.#lifecycle === lifecycle) {
          this.#lifecycle = undefined;
          this.#state = 'disconnected';
          this.#events.emit('disconnected', (error as Error).message);
        }
        throw error;
      },
    );
    this.#connecting = attempt;
    return attempt;
  }

  /** Closes the connection, rejects pending requests, drops subscriptions and stops reconnecting. */
  async disconnect(): Promise<void> {
    const wasDisconnected = this.#state === 'disconnected';
    const reason = new DisconnectedError('disconnect() was called');
    this.#lifecycle?.abort(reason);
    this.#lifecycle = undefined;
    const socket = this.#detach();
    this.#wire.requests.rejectAll(reason);
    this.#subscriptions.clear();
    this.#session.forget();
    this.#state = 'disconnected';
    if (socket) await closeGracefully(socket);
    if (!wasDisconnected) this.#events.emit('disconnected', 'client disconnect');
  }

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
    return this.#call(type, (payload ?? {}) as Payload, options) as Promise<Ops[K]['result']>;
  }

  #nextOutcome(): Promise<WelcomeInfo> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        offConnected();
        offDisconnected();
      };
      const offConnected = this.#events.on('connected', () => {
        stop();
        resolve(this.#welcome!);
      });
      const offDisconnected = this.#events.on('disconnected', (reason) => {
        stop();
        reject(new DisconnectedError(reason));
      });
    });
  }

  #report(error: unknown): void {
    const reported = error instanceof Error ? error : new Error(String(error));
    this.#options.logger?.error?.(reported.message, reported);
    this.#events.emit('error', reported);
  }

  // ---- connection ----

  async #establish(signal: AbortSignal): Promise<WelcomeInfo> {
    if (this.#logging) await this.#logging;
    const { socket, welcome, batch } = await openSocket(
      this.#url,
      this.#options.connectTimeoutMs ?? 5_000,
      this.#options.WebSocket,
      signal,
    );
    this.#attach(socket, batch);
    this.#welcome = welcome;
    this.#events.emit('welcome', welcome);
    try {
      const refused = await this.#session.login(welcome, (type, payload) =>
        this.#wire.send(type, payload),
      );
      if (refused) this.#report(refused);
      await this.#subscriptions.restore();
      if (signal.aborted) throw signal.reason;
      if (this.#socket !== socket)
        throw new DisconnectedError('connection closed while logging in');
    } catch (error) {
      if (this.#socket === socket) this.#detach();
      dropSocket(socket);
      throw error;
    }
    return welcome;
  }

  #attach(socket: WebSocketLike, batch: (() => void) | undefined): void {
    this.#socket = socket;
    this.#wire.use(socket, batch);
    socket.onmessage = (event) => this.#wire.receive(event.data);
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
    // A close event follows every error; it carries what there is to know.
    socket.onerror = ignoreErrors;
  }

  #detach(): WebSocketLike | undefined {
    this.#wire.use(undefined);
    const socket = this.#socket;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      socket.onerror = ignoreErrors;
    }
    this.#socket = undefined;
    return socket;
  }

  #onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (this.#socket !== socket) return;
    this.#detach();
    const description = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.#wire.requests.rejectAll(new DisconnectedError(description));
    this.#subscriptions.disconnected();
    if (this.#state !== 'connected') return;
    const lifecycle = this.#lifecycle;
    if (!this.#reconnect || !lifecycle || this.#revoked || FINAL_CLOSE_CODES.has(code)) {
      this.#lifecycle = undefined;
      this.#state = 'disconnected';
      this.#events.emit('disconnected', description);
      return;
    }
    this.#state = 'reconnecting';
    this.#events.emit('disconnected', description);
    void this.#reconnectLoop(this.#reconnect, lifecycle);
  }

  /** The connection is gone without a close event (silence, a shutdown that never closed): drop it. */
  #lost(description: string): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#onClose(socket, 1006, description);
    dropSocket(socket);
  }

  async #reconnectLoop(policy: ReconnectPolicy, lifecycle: AbortController): Promise<void> {
    const { signal } = lifecycle;
    for (let attempt = 1; attempt <= policy.maxRetries; attempt++) {
      this.#events.emit('reconnecting', attempt);
      try {
        await sleep(backoffDelay(policy, attempt), signal);
        await this.#establish(signal);
        this.#state = 'connected';
        this.#events.emit('connected');
        this.#events.emit('reconnected');
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.#report(error);
        if (this.#revoked) break;
      }
    }
    if (this.#lifecycle !== lifecycle) return;
    this.#lifecycle = undefined;
    this.#state = 'disconnected';
    this.#events.emit('disconnected', `gave up reconnecting to ${this.#url}`);
  }

  // ---- requests ----

  #call(
    type: string,
    payload: Payload,
    options?: CallOptions,
    schema?: BucketSchema,
    onResult?: (data: unknown) => void,
  ): Promise<unknown> {
    const validators = this.#validators[type];
    if (!validators) {
      return Promise.reject(
        new RequestValidationError(type, [{ path: 'type', message: 'is not a known operation' }]),
      );
    }
    const issues = validators.request(payload);
    if (issues) return Promise.reject(new RequestValidationError(type, issues));
    const app = this.#app;
    if (!schema && app && Object.hasOwn(app.buckets, payload.bucket as string)) {
      // A bucket of the app: checked as a typed bucket, once its checks have loaded.
      if (!app.checks) return app.loading.then(() => this.#call(type, payload, options));
      schema = app.checks.get(payload.bucket as string);
    }
    if (schema) return this.#callTyped(type, payload, options, schema);
    return this.#send(type, payload, options, onResult);
  }

  #send(
    type: string,
    payload: Payload,
    options?: CallOptions,
    onResult?: (data: unknown) => void,
  ): Promise<unknown> {
    if (this.#state !== 'connected') {
      return Promise.reject(new DisconnectedError(`${type}: not connected (${this.#state})`));
    }
    const observe = SESSION_OPERATIONS.has(type)
      ? (result: unknown) => this.#session.observe(type, payload, result)
      : onResult;
    return this.#wire.send(type, payload, options, observe);
  }

  /**
   * A call of a bucket typed by a schema: its records are checked both ways.
   * Once the checks have loaded (they start loading with the bucket), the
   * request is sent at once, in order with every other call.
   */
  #callTyped(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    schema: BucketSchema,
  ): Promise<unknown> {
    const send = () => this.#send(type, payload, options);
    const checks = schema.loaded;
    if (checks) return checks.call(type, payload, send);
    return schema.checks().then((loaded) => loaded.call(type, payload, send));
  }

  // ---- subscriptions ----

  async #subscribe(
    type: string,
    payload: Payload,
    callback: (...args: unknown[]) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe> {
    let unsubscribe: Unsubscribe | undefined;
    // Registered as the result is taken, so that a push right behind it is not missed.
    await this.#call(type, payload, options, undefined, (started) => {
      unsubscribe = this.#subscriptions.add(
        type,
        payload,
        callback,
        started as { subscriptionId: string; data?: unknown },
        options?.onLost,
      );
    });
    return unsubscribe!;
  }

  async #unsubscribe(type: string, payload: Payload, options?: CallOptions): Promise<void> {
    this.#subscriptions.forget(payload.subscriptionId as string);
    await this.#call(type, payload, options);
  }
}
