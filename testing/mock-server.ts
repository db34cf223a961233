import { WebSocketServer, type WebSocket } from 'ws';
export type {} from '../runtime/globals.js';
import type { OperationName, Operations } from '../generated/types.js';
import { validators } from '../generated/validators.js';

/**
 * An error a handler throws to answer with an `error` frame, as the real server
 * answers a failed operation.
 *
 * @example
 * ```ts
 * server.handle('store.insert', () => {
 *   throw new MockError('VALIDATION_ERROR', 'name: Field is required');
 * });
 * ```
 */
export class MockError extends Error {
  /**
   * @param code - The error frame's `code`: a server error code such as `NOT_FOUND`;
   *   the client's `NoexClientError.code`.
   * @param message - The error frame's `message`.
   * @param details - The error frame's `details`, left out of the frame when undefined.
   */
  constructor(
    /** The error frame's `code`. */
    readonly code: string,
    message: string,
    /** The error frame's `details`, if any. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A frame the mock server received, with the connection it came on. */
export interface ReceivedFrame {
  /** The connection the frame arrived on. */
  readonly connection: MockConnection;
  /** The parsed frame: `id`, `type` and the payload's fields at the top level. */
  readonly frame: Record<string, unknown>;
}

/** What a handler gets besides the payload. */
export interface HandlerContext {
  /** The connection the request came on: push to it, ping it or close it. */
  readonly connection: MockConnection;
  /** The server the handler is registered on. */
  readonly server: MockServer;
  /** The whole request frame, `id` and `type` included. */
  readonly frame: Record<string, unknown>;
}

/**
 * Answers one operation: gets the request's payload (typed from the protocol
 * spec) and returns its result, or a promise of it, or {@link NO_REPLY}. A
 * thrown {@link MockError} becomes an error frame with its code; any other
 * thrown error becomes `INTERNAL_ERROR`.
 */
export type MockHandler<K extends OperationName> = (
  payload: Operations[K]['request'],
  context: HandlerContext,
) => Operations[K]['result'] | Promise<Operations[K]['result']> | typeof NO_REPLY;

/**
 * The server end of one connection: the part of a `ws` WebSocket that
 * {@link MockConnection.socket} exposes, declared here so that the package's
 * types need neither `ws`'s nor Node's type declarations.
 */
export interface MockSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a raw frame: a string as text, bytes as text or, with `{ binary: true }`, as binary. */
  send(data: string | Uint8Array, options?: { binary?: boolean }): void;
  /** Starts the closing handshake with this close code and reason. */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a closing handshake. */
  terminate(): void;
  /** Calls `listener` once, when the connection closes, with the close code. */
  once(event: 'close', listener: (code: number) => void): unknown;
}

/** `WebSocket.OPEN`: the ready state in which a socket can send. */
const OPEN = 1;

/** Return this from a handler to leave the request unanswered (to test timeouts and aborts). */
export const NO_REPLY: unique symbol = Symbol('no reply');

/** Options of {@link MockServer.start}. */
export interface MockServerOptions {
  /** The port to listen on, on 127.0.0.1; default 0: a free port. */
  port?: number;
  /** What the welcome frame says; default false. */
  requiresAuth?: boolean;
  /** Send the welcome frame on connect; default true. */
  welcome?: boolean;
  /** Answer requests that break the protocol spec with VALIDATION_ERROR; default true. */
  validateRequests?: boolean;
}

/**
 * One client connection as the mock server sees it: what it received, and the
 * frames a test sends down it. {@link MockServer.connection} is the latest one.
 */
export class MockConnection {
  /** Every frame received on this connection, parsed, in order (pongs included). */
  readonly frames: Record<string, unknown>[] = [];
  /** True once the connection has closed, from either side. */
  closed = false;
  /** The close code, once closed. */
  closeCode: number | undefined;

  /**
   * Made by {@link MockServer} as each client connects.
   *
   * @param socket - The server end of the connection, for raw frames
   *   (`connection.socket.send('not json')`).
   */
  constructor(readonly socket: MockSocket) {}

  /** Sends a frame: an object as JSON, a string as it is. Does nothing once the socket is not open. */
  send(frame: unknown): void {
    if (this.socket.readyState === OPEN) {
      this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    }
  }

  /**
   * Pushes data to a subscription, as the server does when a query's result
   * changes (`channel: 'subscription'`) or a rules event matches
   * (`channel: 'event'`, with `data` `{ topic, event }`).
   *
   * @param subscriptionId - The id the subscribe handler answered with.
   */
  push(
    subscriptionId: string,
    data: unknown,
    channel: 'subscription' | 'event' = 'subscription',
  ): void {
    this.send({ type: 'push', channel, subscriptionId, data });
  }

  /** Sends a heartbeat ping; the client answers with a pong carrying the same timestamp. */
  ping(timestamp = Date.now()): void {
    this.send({ type: 'ping', timestamp });
  }

  /** Sends a system frame: the server's shutdown notice, or a revoked session. */
  system(event: 'shutdown', details: { gracePeriodMs: number }): void;
  system(event: 'session_revoked', details: { reason: string }): void;
  system(event: string, details: object): void {
    this.send({ type: 'system', event, ...details });
  }

  /** Closes the connection with this close code, as the server would (4002: session revoked). */
  close(code = 1000, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.socket.terminate();
  }
}

/**
 * An in-process noex-server stand-in for tests: validates every request
 * against the protocol spec, answers with the handlers a test registers
 * (typed from the spec), pushes, pings, sends system frames, closes with any
 * code and records every frame it receives. It is not a store: semantics come
 * from the handlers. An operation without a handler answers `UNKNOWN_OPERATION`.
 *
 * @example
 * ```ts
 * await using server = await MockServer.start();
 * server.handle('store.get', ({ key }) =>
 *   key === 'a' ? { id: 'a', _version: 1, _createdAt: 0, _updatedAt: 0 } : null,
 * );
 * await using client = new NoexClient(server.url);
 * await client.connect();
 * ```
 */
export class MockServer {
  /** Every connection made to this server, open or closed, in order. */
  readonly connections: MockConnection[] = [];
  /** Every frame received, from all connections, in order (pongs included). */
  readonly received: ReceivedFrame[] = [];
  private readonly handlers = new Map<string, MockHandler<OperationName>>();
  private readonly listeners = new Set<() => void>();
  private subscriptionCounter = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    /** The options the server was started with. */
    readonly options: MockServerOptions,
  ) {
    wss.on('connection', (socket) => this.accept(socket));
  }

  /** Starts a server on 127.0.0.1 and resolves once it listens. */
  static async start(options: MockServerOptions = {}): Promise<MockServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new MockServer(wss, options);
  }

  /** The port it listens on. */
  get port(): number {
    return (this.wss.address() as { port: number }).port;
  }

  /** `ws://127.0.0.1:<port>`: the URL to give a `NoexClient`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The open connection that arrived last; throws when none is open. */
  get connection(): MockConnection {
    const open = this.connections.filter((c) => !c.closed);
    const last = open[open.length - 1];
    if (!last) throw new Error('no open connection');
    return last;
  }

  /**
   * Answers operation `type` with `handler`, replacing any earlier handler for it.
   * A request that breaks the protocol spec is answered with `VALIDATION_ERROR`
   * before any handler sees it (unless `validateRequests: false`).
   *
   * @param type - The operation's wire name, such as `store.insert`.
   * @param handler - Computes the result from the payload; see {@link MockHandler}.
   * @returns The server, so that calls chain.
   */
  handle<K extends OperationName>(type: K, handler: MockHandler<K>): this {
    this.handlers.set(type, handler as unknown as MockHandler<OperationName>);
    return this;
  }

  /** A fresh `sub-N` id, as the real server numbers them. */
  nextSubscriptionId(): string {
    return `sub-${++this.subscriptionCounter}`;
  }

  /** The request frames received for one operation, in order. */
  requests(type: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.frame.type === type).map((r) => r.frame);
  }

  /**
   * Resolves when `predicate` holds: at once, or after a frame, a new connection
   * or a closed one. It has no deadline of its own: the test's timeout is the limit.
   */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  /** Drops every connection and stops listening. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** {@link MockServer.close}, for `await using server = await MockServer.start()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private accept(socket: WebSocket): void {
    const connection = new MockConnection(socket);
    socket.on('close', (code) => {
      connection.closed = true;
      connection.closeCode = code;
    });
    this.connections.push(connection);
    if (this.options.welcome !== false) {
      connection.send({
        type: 'welcome',
        version: '1.0.0',
        serverTime: Date.now(),
        requiresAuth: this.options.requiresAuth ?? false,
      });
    }
    socket.on('message', (data, isBinary) => {
      if (isBinary) return connection.close(1003, 'binary_not_supported');
      this.receive(connection, data.toString());
    });
    socket.on('close', () => this.notify());
    this.notify();
  }

  private receive(connection: MockConnection, text: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return connection.send({
        id: 0,
        type: 'error',
        code: 'PARSE_ERROR',
        message: 'Invalid JSON',
      });
    }
    connection.frames.push(frame);
    this.received.push({ connection, frame });
    this.notify();
    if (frame.type === 'pong') return;
    const { id, type, ...payload } = frame;
    const reply = (body: Record<string, unknown>) => connection.send({ id, ...body });
    const validator = validators[type as string];
    const handler = this.handlers.get(type as string);
    if (!validator || !handler) {
      return reply({
        type: 'error',
        code: 'UNKNOWN_OPERATION',
        message: `Unknown operation "${String(type)}"`,
      });
    }
    const issues = this.options.validateRequests === false ? undefined : validator.request(payload);
    if (issues) {
      const first = issues[0]!;
      return reply({
        type: 'error',
        code: 'VALIDATION_ERROR',
        message: `Invalid "${first.path}": ${first.message}`,
        details: issues,
      });
    }
    const answer = (data: unknown) => {
      if (data !== NO_REPLY) reply({ type: 'result', data });
    };
    const fail = (error: unknown) =>
      reply(
        error instanceof MockError
          ? {
              type: 'error',
              code: error.code,
              message: error.message,
              ...(error.details === undefined ? {} : { details: error.details }),
            }
          : { type: 'error', code: 'INTERNAL_ERROR', message: (error as Error).message },
      );
    // A handler that answers at once replies at once, so replies and the pushes
    // handlers send keep the order of the requests, as on the real server; an
    // async handler replies when it settles.
    try {
      const result = handler(payload as never, { connection, server: this, frame });
      if (result instanceof Promise) result.then(answer, fail);
      else answer(result);
    } catch (error) {
      fail(error);
    }
  }
}
