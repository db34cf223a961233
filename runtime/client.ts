import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from './backoff.js';
import { closeGracefully, dropSocket, ignoreErrors, openSocket, sleep } from './connection.js';
import { Emitter } from './emitter.js';
import {
  DisconnectedError,
  NoexClientError,
  ProtocolError,
  RequestValidationError,
  ResultValidationError,
} from './errors.js';
import { isObject, parseFrame, type Frame } from './frames.js';
import { LivenessWatch } from './liveness.js';
import { redact } from './logger.js';
import type { BucketSchema } from './record-schema.js';
import { RequestManager } from './requests.js';
import { Session } from './session.js';
import type { SubscribeOptions } from './streams.js';
import { Subscriptions } from './subscriptions.js';
import type { WebSocketLike } from './transport.js';
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

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set([1003, 4002, 4003]);
/** Server pings come every 30 s by default: two missed, and a margin. */
const DEFAULT_LIVENESS_TIMEOUT_MS = 65_000;
/** How long after the announced end of a shutdown the client stops waiting for the close. */
const SHUTDOWN_MARGIN_MS = 1_000;
/**
 * The request frame as JSON text, the envelope first. The payload never
 * replaces the envelope's `id` or `type`: a payload with either is re-keyed.
 */
function frameText(id: number, type: string, payload: Payload): string {
  if ('id' in payload || 'type' in payload) return JSON.stringify({ ...payload, id, type });
  const fields = JSON.stringify(payload);
  // Operation names are plain identifiers and dots: no escaping needed.
  return `{"id":${id},"type":"${type}"${fields === '{}' ? '}' : `,${fields.slice(1)}`}`;
}

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
  readonly #requestTimeoutMs: number;
  readonly #resultMode: 'report' | 'strict' | 'off';
  readonly #debug: ((message: string, ...details: unknown[]) => void) | undefined;
  readonly #events = new Emitter<ClientEvents>((error, event) => {
    if (event !== 'error') this.#report(error);
  });
  readonly #requests = new RequestManager();
  readonly #subscriptions: Subscriptions;
  readonly #session: Session;
  readonly #liveness: LivenessWatch;
  #shutdownTimer: ReturnType<typeof setTimeout> | undefined;
  #state: ConnectionState = 'disconnected';
  #socket: WebSocketLike | undefined;
  #welcome: WelcomeInfo | undefined;
  /** Aborted by `disconnect()`: cancels whatever connect or reconnect is under way. */
  #lifecycle: AbortController | undefined;
  #connecting: Promise<WelcomeInfo> | undefined;
  #revoked = false;

  /** What the generated API classes call into. */
  protected readonly caller: Caller<Ops>;

  constructor(url: string, options: ClientOptions = {}, validators: OperationValidators) {
    this.#url = url;
    this.#options = options;
    this.#validators = validators;
    this.#reconnect = reconnectPolicy(options.reconnect);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#resultMode = options.validateResults ?? 'report';
    this.#debug = options.logger?.debug?.bind(options.logger);
    this.#session = new Session(options.auth);
    this.#subscriptions = new Subscriptions({
      send: (type, payload, callOptions, onResult) =>
        this.#send(type, payload, callOptions, onResult),
      report: (error) => this.#report(error),
      isConnected: () => this.#state === 'connected',
    });
    this.#liveness = new LivenessWatch(
      options.livenessTimeoutMs ?? DEFAULT_LIVENESS_TIMEOUT_MS,
      (silentMs) => this.#lost(`no frame from the server for ${silentMs} ms`),
    );
    const { logger } = options;
    if (logger) {
      this.on('connected', () => logger.info?.(`connected to ${url}`));
      this.on('disconnected', (reason) => logger.info?.(`disconnected from ${url}: ${reason}`));
      this.on('reconnecting', (attempt) =>
        logger.warn?.(`reconnecting to ${url}, attempt ${attempt}`),
      );
      this.on('reconnected', () => logger.info?.(`reconnected to ${url}`));
      this.on('session_revoked', (reason) => logger.warn?.(`session revoked: ${reason}`));
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
    this.#requests.rejectAll(reason);
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
    const { socket, welcome } = await openSocket(
      this.#url,
      this.#options.connectTimeoutMs ?? 5_000,
      this.#options.WebSocket,
      signal,
    );
    this.#attach(socket);
    this.#welcome = welcome;
    this.#events.emit('welcome', welcome);
    try {
      const refused = await this.#session.login(welcome, (type, payload) =>
        this.#send(type, payload),
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

  #attach(socket: WebSocketLike): void {
    this.#socket = socket;
    socket.onmessage = (event) => this.#onMessage(event.data);
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
    // A close event follows every error; it carries what there is to know.
    socket.onerror = ignoreErrors;
  }

  #detach(): WebSocketLike | undefined {
    this.#liveness.stop();
    clearTimeout(this.#shutdownTimer);
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
    this.#requests.rejectAll(new DisconnectedError(description));
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
    if (schema) return this.#callTyped(type, payload, options, schema);
    if (this.#state !== 'connected') {
      return Promise.reject(new DisconnectedError(`${type}: not connected (${this.#state})`));
    }
    const observe = SESSION_OPERATIONS.has(type)
      ? (result: unknown) => this.#session.observe(type, payload, result)
      : onResult;
    return this.#send(type, payload, options, observe);
  }

  /** A call of a bucket typed by a schema: its records are checked both ways. */
  async #callTyped(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    schema: BucketSchema,
  ): Promise<unknown> {
    const checks = await schema.checks();
    checks.checkRequest(type, payload);
    const result = await this.#call(type, payload, options);
    checks.checkResult(type, result);
    return result;
  }

  #send(
    type: string,
    payload: Payload,
    options?: CallOptions,
    onResult?: (data: unknown) => void,
  ): Promise<unknown> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new DisconnectedError(`${type}: not connected`));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#requests.reserve();
    const text = frameText(id, type, payload);
    const answered = this.#requests.track(
      id,
      type,
      options?.timeoutMs ?? this.#requestTimeoutMs,
      signal,
      onResult,
    );
    this.#debug?.('send', redact(JSON.parse(text)));
    try {
      socket.send(text);
    } catch (error) {
      this.#requests.take(id)?.reject(error);
    }
    return answered;
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

  // ---- frames ----

  #onMessage(data: unknown): void {
    const frame = parseFrame(data);
    if (frame instanceof ProtocolError) {
      this.#report(frame);
      return;
    }
    this.#debug?.('receive', redact(frame));
    this.#liveness.frame(frame.type === 'ping');
    switch (frame.type) {
      case 'result':
        return this.#onResult(frame);
      case 'error':
        return this.#onError(frame);
      case 'push':
        return this.#onPush(frame);
      case 'ping':
        return this.#onPing(frame);
      case 'system':
        return this.#onSystem(frame);
      default:
        this.#report(
          new ProtocolError(`ignored a frame of unknown type ${JSON.stringify(frame.type)}`, frame),
        );
    }
  }

  #onResult(frame: Frame): void {
    const id = frame.id;
    const pending = typeof id === 'number' ? this.#requests.take(id) : undefined;
    if (!pending) {
      if (typeof id !== 'number' || !this.#requests.wasAbandoned(id)) {
        this.#report(
          new ProtocolError(`ignored a result for unknown request id ${JSON.stringify(id)}`, frame),
        );
      }
      return;
    }
    const data = frame.data;
    const issues =
      this.#resultMode === 'off' ? undefined : this.#validators[pending.type]?.result(data);
    if (issues) {
      const error = new ResultValidationError(pending.type, issues, data);
      if (this.#resultMode === 'strict') return pending.reject(error);
      this.#report(error);
    }
    pending.onResult?.(data);
    pending.resolve(data);
  }

  #onError(frame: Frame): void {
    const code = typeof frame.code === 'string' ? frame.code : 'UNKNOWN_ERROR';
    const message = typeof frame.message === 'string' ? frame.message : `server error ${code}`;
    const error = new NoexClientError(code, message, { details: frame.details });
    const id = frame.id;
    const pending = typeof id === 'number' && id !== 0 ? this.#requests.take(id) : undefined;
    if (pending) return pending.reject(error);
    if (typeof id === 'number' && this.#requests.wasAbandoned(id)) return;
    this.#report(error);
  }

  #onPush(frame: Frame): void {
    if (typeof frame.subscriptionId !== 'string') {
      this.#report(new ProtocolError('ignored a push without a subscriptionId', frame));
      return;
    }
    if (frame.channel !== 'event')
      return this.#subscriptions.push(frame.subscriptionId, frame.data);
    const data = frame.data;
    if (!isObject(data) || typeof data.topic !== 'string') {
      this.#report(new ProtocolError('ignored an event push without a topic', frame));
      return;
    }
    this.#subscriptions.push(frame.subscriptionId, data.event, data.topic);
  }

  #onPing(frame: Frame): void {
    if (this.#options.heartbeat === false || typeof frame.timestamp !== 'number') return;
    this.#socket?.send(JSON.stringify({ type: 'pong', timestamp: frame.timestamp }));
  }

  #onSystem(frame: Frame): void {
    if (frame.event === 'session_revoked') {
      const reason = typeof frame.reason === 'string' ? frame.reason : 'session revoked';
      this.#revoked = true;
      this.#session.forget();
      this.#requests.rejectAll(new DisconnectedError(`session revoked: ${reason}`));
      this.#events.emit('session_revoked', reason);
    } else if (frame.event === 'shutdown') {
      // The server closes when the grace period ends, and the close starts a reconnect;
      // should that close never come, the connection is treated as lost.
      const graceMs = typeof frame.gracePeriodMs === 'number' ? frame.gracePeriodMs : 0;
      clearTimeout(this.#shutdownTimer);
      this.#shutdownTimer = setTimeout(
        () => this.#lost('the server shut down'),
        graceMs + SHUTDOWN_MARGIN_MS,
      );
      (this.#shutdownTimer as { unref?: () => void }).unref?.();
    }
  }
}
