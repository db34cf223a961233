import { CloseCode } from '../protocol/codes.js';
import { backoffDelay, type ReconnectPolicy } from './backoff.js';
import type { Emitter } from './emitter.js';
import { DisconnectedError } from './errors.js';
import type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
import { closeGracefully, dropSocket, ignoreErrors, openSocket } from './socket.js';
import type { WebSocketConstructor, WebSocketLike } from './transport.js';
import type { Wire } from './wire.js';

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set<number>([
  CloseCode.UNSUPPORTED_DATA,
  CloseCode.SESSION_REVOKED,
  CloseCode.TOO_MANY_CONNECTIONS,
]);
/** The code a connection is treated as closed with when it is gone without a close. */
const ABNORMAL_CLOSURE = 1006;
/** A reconnect asked for by `reconnect()`: one attempt, at once, when reconnecting is off. */
const ONE_ATTEMPT: ReconnectPolicy = {
  maxRetries: 1,
  initialDelayMs: 0,
  maxDelayMs: 0,
  backoffMultiplier: 1,
  jitterMs: 0,
};

export interface ConnectionSettings {
  readonly url: string;
  readonly connectTimeoutMs: number;
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly reconnect: ReconnectPolicy | undefined;
}

/** What the connection needs from the client around it. */
export interface ConnectionHost {
  readonly events: Emitter<ClientEvents>;
  readonly wire: Wire;
  /** Waited for before each socket opens (the logger loading); undefined when there is nothing. */
  prepare(): Promise<void> | undefined;
  /** On a new socket, after the welcome: log in and restore; rejecting fails the attempt. */
  establish(welcome: WelcomeInfo): Promise<void>;
  /** The socket is gone: what was in flight on it is rejected with `error`. */
  dropped(error: DisconnectedError): void;
  /** `disconnect()`: everything the client held ends with `error`. */
  closed(error: DisconnectedError): void;
  report(error: unknown): void;
}

/**
 * The connection's lifecycle: connect (socket, welcome, login, restore),
 * reconnect with backoff after a drop or on demand, and close. It owns the
 * state and tells every change of it.
 */
export class Connection {
  #state: ConnectionState = 'disconnected';
  #socket: WebSocketLike | undefined;
  #welcome: WelcomeInfo | undefined;
  /** Aborted by `disconnect()`: cancels whatever connect or reconnect is under way. */
  #lifecycle: AbortController | undefined;
  #connecting: Promise<WelcomeInfo> | undefined;
  #revoked = false;
  /** Ends the current wait before a reconnect attempt at once. */
  #wake: (() => void) | undefined;
  /** Calls waiting for the connection: settled by the next `connected` or `disconnected`. */
  readonly #waiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();
  /** Reconnects since the last `connect()`. */
  reconnects = 0;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly host: ConnectionHost,
  ) {}

  get state(): ConnectionState {
    return this.#state;
  }

  get welcome(): WelcomeInfo | undefined {
    return this.#welcome;
  }

  /** How many calls wait for the connection. */
  get waiting(): number {
    return this.#waiters.size;
  }

  connect(): Promise<WelcomeInfo> {
    if (this.#state === 'connected') return Promise.resolve(this.#welcome!);
    if (this.#connecting) return this.#connecting;
    if (this.#state === 'reconnecting') return this.ready().then(() => this.#welcome!);
    const lifecycle = new AbortController();
    this.#lifecycle = lifecycle;
    this.#revoked = false;
    this.reconnects = 0;
    this.#setState('connecting');
    const attempt = this.#establish(lifecycle.signal).then(
      (welcome) => {
        this.#connecting = undefined;
        this.#setState('connected');
        this.host.events.emit('connected');
        return welcome;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        if (this.#lifecycle === lifecycle) {
          this.#lifecycle = undefined;
          this.#setState('disconnected', error);
          this.host.events.emit('disconnected', (error as Error).message);
        }
        throw error;
      },
    );
    this.#connecting = attempt;
    return attempt;
  }

  async disconnect(): Promise<void> {
    const wasDisconnected = this.#state === 'disconnected';
    const reason = new DisconnectedError('disconnect() was called');
    this.#lifecycle?.abort(reason);
    this.#lifecycle = undefined;
    const socket = this.#detach();
    this.host.closed(reason);
    this.#setState('disconnected', reason);
    if (socket) await closeGracefully(socket);
    if (!wasDisconnected) this.host.events.emit('disconnected', 'client disconnect');
  }

  /**
   * Drops the current socket, if any, and connects at once, skipping any
   * backoff wait; the session and every subscription are restored as after a
   * drop. Resolves when connected again.
   */
  reconnect(): Promise<void> {
    if (this.#state === 'disconnected' || this.#state === 'connecting')
      return this.connect().then(() => undefined);
    if (this.#state === 'reconnecting') this.#wake?.();
    else this.#drop('reconnect() was called', true);
    return this.ready();
  }

  /** Ends a wait before a reconnect attempt at once (the network is back). */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Resolves once connected (at once if connected); rejects with a
   * `DisconnectedError` if the client disconnects or gives up first, or with
   * the signal's reason.
   */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'disconnected')
      return Promise.reject(new DisconnectedError(`not connected to ${this.settings.url}`));
    return new Promise((resolve, reject) => {
      const onAbort = () => settle(reject, signal!.reason);
      const waiter = {
        resolve: () => settle(resolve, undefined),
        reject: (error: unknown) => settle(reject, error),
      };
      const settle = <A>(done: (value: A) => void, value: A) => {
        this.#waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        done(value);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** The server revoked the session: no reconnect after the close that follows. */
  revoked(): void {
    this.#revoked = true;
  }

  /** The connection is gone though no close came (silence, a shutdown that never closed). */
  lost(description: string): void {
    this.#drop(description, false);
  }

  #drop(description: string, immediately: boolean): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#onClose(socket, ABNORMAL_CLOSURE, description, immediately);
    dropSocket(socket);
  }

  #setState(state: ConnectionState, error?: unknown): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    if (state === 'connected' || state === 'disconnected') {
      const failure =
        error ?? new DisconnectedError(`not connected to ${this.settings.url}: gave up`);
      for (const waiter of [...this.#waiters]) {
        if (state === 'connected') waiter.resolve();
        else waiter.reject(failure);
      }
    }
    this.host.events.emit('statechange', state, previous);
  }

  async #establish(signal: AbortSignal): Promise<WelcomeInfo> {
    await this.host.prepare();
    const { url, connectTimeoutMs, WebSocket } = this.settings;
    const { socket, welcome, batch } = await openSocket(url, connectTimeoutMs, WebSocket, signal);
    this.#attach(socket, batch);
    this.#welcome = welcome;
    this.host.events.emit('welcome', welcome);
    try {
      await this.host.establish(welcome);
      if (signal.aborted) throw signal.reason;
      if (this.#socket !== socket)
        throw new DisconnectedError('connection closed while logging in');
    } catch (error) {
      // A socket already let go of is being closed by whoever let go of it (disconnect, a close).
      if (this.#socket === socket) {
        this.#detach();
        dropSocket(socket);
      }
      throw error;
    }
    return welcome;
  }

  #attach(socket: WebSocketLike, batch: (() => void) | undefined): void {
    const { wire } = this.host;
    this.#socket = socket;
    wire.use(socket, batch);
    socket.onmessage = (event) => wire.receive(event.data);
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason, false);
    // A close event follows every error; it carries what there is to know.
    socket.onerror = ignoreErrors;
  }

  #detach(): WebSocketLike | undefined {
    this.host.wire.use(undefined);
    const socket = this.#socket;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      socket.onerror = ignoreErrors;
    }
    this.#socket = undefined;
    return socket;
  }

  #onClose(socket: WebSocketLike, code: number, reason: string, immediately: boolean): void {
    if (this.#socket !== socket) return;
    this.#detach();
    const description = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.host.dropped(new DisconnectedError(description));
    if (this.#state !== 'connected') return;
    const lifecycle = this.#lifecycle;
    const policy = this.settings.reconnect ?? (immediately ? ONE_ATTEMPT : undefined);
    if (!policy || !lifecycle || this.#revoked || FINAL_CLOSE_CODES.has(code)) {
      this.#lifecycle = undefined;
      this.#setState('disconnected');
      this.host.events.emit('disconnected', description);
      return;
    }
    this.#setState('reconnecting');
    this.host.events.emit('disconnected', description);
    void this.#reconnectLoop(policy, lifecycle, immediately);
  }

  async #reconnectLoop(
    policy: ReconnectPolicy,
    lifecycle: AbortController,
    immediately: boolean,
  ): Promise<void> {
    const { signal } = lifecycle;
    for (let attempt = 1; attempt <= policy.maxRetries; attempt++) {
      this.host.events.emit('reconnecting', attempt);
      try {
        if (!(immediately && attempt === 1))
          await this.#wait(backoffDelay(policy, attempt), signal);
        await this.#establish(signal);
        this.reconnects++;
        this.#setState('connected');
        this.host.events.emit('connected');
        this.host.events.emit('reconnected');
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.host.report(error);
        if (this.#revoked) break;
      }
    }
    if (this.#lifecycle !== lifecycle) return;
    this.#lifecycle = undefined;
    const reason = `gave up reconnecting to ${this.settings.url}`;
    this.#setState('disconnected', new DisconnectedError(reason));
    this.host.events.emit('disconnected', reason);
  }

  /** Waits `ms`, or less if woken; rejects with the signal's reason as soon as it is aborted. */
  #wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
      };
      const onAbort = () => (done(), reject(signal.reason));
      const timer = setTimeout(() => (done(), resolve()), ms);
      this.#wake = () => (done(), resolve());
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
