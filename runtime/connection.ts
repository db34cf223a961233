import { CloseCode } from '../protocol/codes.js';
import type { ReconnectPolicy } from './backoff.js';
import type { Emitter } from './emitter.js';
import { DisconnectedError } from './errors.js';
import type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
import { closeGracefully, dropSocket, openSocket, SocketSlot } from './socket.js';
import type { WebSocketConstructor, WebSocketLike } from './transport.js';
import { Pause, Waiters } from './waiters.js';
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
  /** The current socket, attached to the wire. */
  readonly #slot: SocketSlot;
  #welcome: WelcomeInfo | undefined;
  /** Aborted by `disconnect()`: cancels whatever connect or reconnect is under way. */
  #lifecycle: AbortController | undefined;
  #connecting: Promise<WelcomeInfo> | undefined;
  #revoked = false;
  /** Calls waiting for the connection: settled by the next `connected` or `disconnected`. */
  readonly #waiters = new Waiters();
  /** The wait before a reconnect attempt, which `wake()` ends early. */
  readonly #pause = new Pause();
  /** Reconnects since the last `connect()`. */
  reconnects = 0;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly host: ConnectionHost,
  ) {
    this.#slot = new SocketSlot(host.wire, (socket, code, reason) =>
      this.#onClose(socket, code, reason, false),
    );
  }

  get state(): ConnectionState {
    return this.#state;
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
        this.#up();
        return welcome;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        if (this.#lifecycle === lifecycle) this.#down((error as Error).message, error);
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
    const socket = this.#slot.detach();
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
    if (this.#state === 'reconnecting') this.#pause.wake();
    else this.#drop('reconnect() was called', true);
    return this.ready();
  }

  /** Ends a wait before a reconnect attempt at once (the network is back). */
  wake(): void {
    this.#pause.wake();
  }

  /** Resolves once connected; rejects if disconnected, on giving up, or with the signal's reason. */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'disconnected')
      return Promise.reject(new DisconnectedError(`not connected to ${this.settings.url}`));
    return this.#waiters.wait(signal);
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
    const socket = this.#slot.socket;
    if (!socket) return;
    this.#onClose(socket, ABNORMAL_CLOSURE, description, immediately);
    dropSocket(socket);
  }

  #setState(state: ConnectionState, error?: unknown): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    if (state === 'connected') this.#waiters.resolve();
    else if (state === 'disconnected')
      this.#waiters.reject(error ?? new DisconnectedError(`not connected to ${this.settings.url}`));
    this.host.events.emit('statechange', state, previous);
  }

  async #establish(signal: AbortSignal): Promise<WelcomeInfo> {
    await this.host.prepare();
    const { url, connectTimeoutMs, WebSocket } = this.settings;
    const { socket, welcome, batch } = await openSocket(url, connectTimeoutMs, WebSocket, signal);
    this.#slot.attach(socket, batch);
    this.#welcome = welcome;
    this.host.events.emit('welcome', welcome);
    try {
      await this.host.establish(welcome);
      if (signal.aborted) throw signal.reason;
      if (this.#slot.socket !== socket)
        throw new DisconnectedError('connection closed while logging in');
    } catch (error) {
      // A socket already let go of is being closed by whoever let go of it (disconnect, a close).
      if (this.#slot.socket === socket) {
        this.#slot.detach();
        dropSocket(socket);
      }
      throw error;
    }
    return welcome;
  }

  #up(): void {
    this.#setState('connected');
    this.host.events.emit('connected');
  }

  #down(reason: string, error?: unknown): void {
    this.#lifecycle = undefined;
    this.#setState('disconnected', error);
    this.host.events.emit('disconnected', reason);
  }

  #onClose(socket: WebSocketLike, code: number, reason: string, immediately: boolean): void {
    if (this.#slot.socket !== socket) return;
    this.#slot.detach();
    const description = `connection closed (${code}${reason ? ` ${reason}` : ''})`;
    this.host.dropped(new DisconnectedError(description));
    if (this.#state !== 'connected') return;
    const lifecycle = this.#lifecycle;
    const policy = this.settings.reconnect ?? (immediately ? ONE_ATTEMPT : undefined);
    if (!policy || !lifecycle || this.#revoked || FINAL_CLOSE_CODES.has(code))
      return this.#down(description);
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
    const back = await this.#pause.retry(policy, signal, immediately, {
      starting: (attempt) => this.host.events.emit('reconnecting', attempt),
      attempt: () => this.#establish(signal),
      failed: (error) => {
        this.host.report(error);
        return !this.#revoked;
      },
    });
    if (back) {
      this.reconnects++;
      this.#up();
      this.host.events.emit('reconnected');
    } else if (!signal.aborted && this.#lifecycle === lifecycle) {
      const reason = `gave up reconnecting to ${this.settings.url}`;
      this.#down(reason, new DisconnectedError(reason));
    }
  }
}
