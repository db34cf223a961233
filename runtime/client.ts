import { backoffDelay, reconnectPolicy, type ReconnectPolicy } from './backoff.js';
import { dropSocket, ignoreErrors, openSocket } from './connection.js';
import { Emitter } from './emitter.js';
import {
  ClientErrorCode,
  DisconnectedError,
  NoexClientError,
  ProtocolError,
  RequestTimeoutError,
  RequestValidationError,
  ResultValidationError,
} from './errors.js';
import { RequestManager } from './requests.js';
import { Session } from './session.js';
import { SubscriptionRegistry, unsubscribeTypeOf, type Subscription } from './subscriptions.js';
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

type Frame = Record<string, unknown>;
type Payload = Record<string, unknown>;

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set([1003, 4002, 4003]);
const GRACEFUL_CLOSE_MS = 1_000;

const isObject = (value: unknown): value is Frame =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A connection problem, as opposed to the server refusing the request. */
const isConnectionFailure = (error: unknown) =>
  error instanceof DisconnectedError || error instanceof RequestTimeoutError;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function closeGracefully(socket: WebSocketLike): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      dropSocket(socket);
      resolve();
    };
    const timer = setTimeout(done, GRACEFUL_CLOSE_MS);
    (timer as { unref?: () => void }).unref?.();
    socket.onclose = done;
    socket.onerror = ignoreErrors;
    socket.onmessage = null;
    try {
      socket.close(1000, 'client disconnect');
    } catch {
      done();
    }
  });
}

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
  readonly #requests = new RequestManager();
  readonly #subscriptions = new SubscriptionRegistry();
  readonly #session: Session;
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
    this.#session = new Session(options.auth);
    this.caller = {
      call: (type, payload, callOptions) => this.#call(type, payload as Payload, callOptions) as never,
      subscribe: (type, payload, callback, callOptions) =>
        this.#subscribe(type, payload as Payload, callback as Subscription['callback'], callOptions),
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
  on<E extends keyof ClientEvents>(event: E, handler: (...args: ClientEvents[E]) => void): () => void {
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
    this.#events.emit('error', error instanceof Error ? error : new Error(String(error)));
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
      await this.#login(welcome);
      await this.#restoreSubscriptions();
      if (signal.aborted) throw signal.reason;
      if (this.#socket !== socket) throw new DisconnectedError('connection closed while logging in');
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
    const socket = this.#socket;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      socket.onerror = ignoreErrors;
    }
    this.#socket = undefined;
    return socket;
  }

  async #login(welcome: WelcomeInfo): Promise<void> {
    let failure: unknown;
    for (const step of this.#session.steps(welcome)) {
      try {
        const result = await this.#send(step.type, step.payload);
        this.#session.observe(step.type, step.payload, result);
        return;
      } catch (error) {
        if (isConnectionFailure(error)) throw error;
        failure = error;
        this.#session.forget();
      }
    }
    if (failure === undefined) return;
    if (welcome.requiresAuth) throw failure;
    this.#report(failure);
  }

  #onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (this.#socket !== socket) return;
    this.#detach();
    const description = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.#requests.rejectAll(new DisconnectedError(description));
    this.#subscriptions.forgetServerIds();
    if (this.#state !== 'connected') return;
    const lifecycle = this.#lifecycle;
    if (!this.#reconnect || !lifecycle || this.#revoked || FINAL_CLOSE_CODES.has(code)) {
      this.#lifecycle = undefined;
      this.#state = 'disconnected';
      this.#events.emit('disconnected', description);
      return;
    }
    this.#state = 'reconnecting';
    void this.#reconnectLoop(this.#reconnect, lifecycle);
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

  #call(type: string, payload: Payload, options?: CallOptions): Promise<unknown> {
    const validators = this.#validators[type];
    if (!validators) {
      return Promise.reject(new RequestValidationError(type, [{ path: 'type', message: 'is not a known operation' }]));
    }
    const issues = validators.request(payload);
    if (issues) return Promise.reject(new RequestValidationError(type, issues));
    if (this.#state !== 'connected') {
      return Promise.reject(new DisconnectedError(`${type}: not connected (${this.#state})`));
    }
    const sent = this.#send(type, payload, options);
    if (!type.startsWith('auth.') && !type.startsWith('identity.')) return sent;
    return sent.then((result) => {
      this.#session.observe(type, payload, result);
      return result;
    });
  }

  #send(type: string, payload: Payload, options?: CallOptions): Promise<unknown> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new DisconnectedError(`${type}: not connected`));
    const timeoutMs = options?.timeoutMs ?? this.#options.requestTimeoutMs ?? 10_000;
    return this.#requests.start(type, timeoutMs, options?.signal, (id) => {
      const frame: Frame = { id, type, ...payload };
      frame.id = id;
      frame.type = type;
      socket.send(JSON.stringify(frame));
    });
  }

  // ---- subscriptions ----

  async #subscribe(
    type: string,
    payload: Payload,
    callback: Subscription['callback'],
    options?: CallOptions,
  ): Promise<Unsubscribe> {
    const result = (await this.#call(type, payload, options)) as { subscriptionId: string; data?: unknown };
    const subscription: Subscription = { type, payload, callback, serverId: result.subscriptionId, active: true };
    this.#subscriptions.add(subscription);
    if ('data' in result) this.#deliver(subscription, [result.data]);
    return () => this.#cancel(subscription);
  }

  #cancel(subscription: Subscription): void {
    if (!subscription.active) return;
    const serverId = subscription.serverId;
    this.#subscriptions.remove(subscription);
    if (serverId !== undefined && this.#state === 'connected') this.#sendUnsubscribe(subscription.type, serverId);
  }

  #sendUnsubscribe(subscribeType: string, serverId: string): void {
    this.#send(unsubscribeTypeOf(subscribeType), { subscriptionId: serverId }).catch((error: unknown) => {
      if (!isConnectionFailure(error) && (error as NoexClientError).code !== 'NOT_FOUND') this.#report(error);
    });
  }

  async #unsubscribe(type: string, payload: Payload, options?: CallOptions): Promise<void> {
    const subscription = this.#subscriptions.byId(payload.subscriptionId as string);
    if (subscription) this.#subscriptions.remove(subscription);
    await this.#call(type, payload, options);
  }

  #deliver(subscription: Subscription, args: unknown[]): void {
    if (!subscription.active) return;
    try {
      subscription.callback(...args);
    } catch (error) {
      this.#report(error);
    }
  }

  async #restoreSubscriptions(): Promise<void> {
    await Promise.all(
      this.#subscriptions.all().map(async (subscription) => {
        try {
          const result = (await this.#send(subscription.type, subscription.payload as Payload)) as {
            subscriptionId: string;
            data?: unknown;
          };
          if (!subscription.active) return this.#sendUnsubscribe(subscription.type, result.subscriptionId);
          this.#subscriptions.rebind(subscription, result.subscriptionId);
          if ('data' in result) this.#deliver(subscription, [result.data]);
        } catch (error) {
          if (isConnectionFailure(error)) throw error;
          this.#subscriptions.remove(subscription);
          const target = JSON.stringify(subscription.payload);
          this.#report(
            new NoexClientError(
              ClientErrorCode.SUBSCRIPTION_LOST,
              `${subscription.type} ${target} could not be restored after reconnecting: ${(error as Error).message}`,
              { cause: error, details: { type: subscription.type, payload: subscription.payload } },
            ),
          );
        }
      }),
    );
  }

  // ---- frames ----

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') {
      this.#report(new ProtocolError('ignored a binary frame: the protocol is JSON text'));
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      this.#report(new ProtocolError('ignored a frame that is not JSON', data.slice(0, 200)));
      return;
    }
    if (!isObject(frame)) {
      this.#report(new ProtocolError('ignored a frame that is not a JSON object', frame));
      return;
    }
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
        this.#report(new ProtocolError(`ignored a frame of unknown type ${JSON.stringify(frame.type)}`, frame));
    }
  }

  #onResult(frame: Frame): void {
    const id = frame.id;
    const type = typeof id === 'number' ? this.#requests.typeOf(id) : undefined;
    if (type === undefined) {
      if (typeof id !== 'number' || !this.#requests.answer(id, { data: undefined })) {
        this.#report(new ProtocolError(`ignored a result for unknown request id ${JSON.stringify(id)}`, frame));
      }
      return;
    }
    const mode = this.#options.validateResults ?? 'report';
    const issues = mode === 'off' ? undefined : this.#validators[type]?.result(frame.data);
    if (issues) {
      const error = new ResultValidationError(type, issues, frame.data);
      if (mode === 'strict') {
        this.#requests.answer(id as number, { error });
        return;
      }
      this.#report(error);
    }
    this.#requests.answer(id as number, { data: frame.data });
  }

  #onError(frame: Frame): void {
    const error = new NoexClientError(String(frame.code), String(frame.message), { details: frame.details });
    const id = frame.id;
    if (typeof id === 'number' && id !== 0 && this.#requests.answer(id, { error })) return;
    this.#report(error);
  }

  #onPush(frame: Frame): void {
    if (typeof frame.subscriptionId !== 'string') {
      this.#report(new ProtocolError('ignored a push without a subscriptionId', frame));
      return;
    }
    const subscription = this.#subscriptions.byId(frame.subscriptionId);
    if (!subscription) return;
    if (frame.channel === 'event') {
      const data = frame.data as { event?: unknown; topic?: unknown } | undefined;
      if (!isObject(data) || typeof data.topic !== 'string') {
        this.#report(new ProtocolError('ignored an event push without a topic', frame));
        return;
      }
      this.#deliver(subscription, [data.event, data.topic]);
    } else {
      this.#deliver(subscription, [frame.data]);
    }
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
    }
    // `shutdown` announces a close; reconnecting after it is what the close itself triggers.
  }
}
