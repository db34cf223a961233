import { WebSocketServer, type WebSocket } from 'ws';
import type { OperationName, Operations } from '../generated/types.js';
import { validators } from '../generated/validators.js';

/** An error a handler throws to answer with an `error` frame. */
export class MockError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ReceivedFrame {
  readonly connection: MockConnection;
  readonly frame: Record<string, unknown>;
}

export interface HandlerContext {
  readonly connection: MockConnection;
  readonly server: MockServer;
  readonly frame: Record<string, unknown>;
}

type Handler<K extends OperationName> = (
  payload: Operations[K]['request'],
  context: HandlerContext,
) => Operations[K]['result'] | Promise<Operations[K]['result']> | typeof NO_REPLY;

/** Return this from a handler to leave the request unanswered. */
export const NO_REPLY: unique symbol = Symbol('no reply');

export interface MockServerOptions {
  /** Default 0: a free port on 127.0.0.1. */
  port?: number;
  /** What the welcome frame says; default false. */
  requiresAuth?: boolean;
  /** Send the welcome frame on connect; default true. */
  welcome?: boolean;
  /** Answer requests that break the protocol spec with VALIDATION_ERROR; default true. */
  validateRequests?: boolean;
}

/** One client connection as the mock server sees it. */
export class MockConnection {
  readonly frames: Record<string, unknown>[] = [];
  closed = false;
  closeCode: number | undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  send(frame: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) {
      this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    }
  }

  push(
    subscriptionId: string,
    data: unknown,
    channel: 'subscription' | 'event' = 'subscription',
  ): void {
    this.send({ type: 'push', channel, subscriptionId, data });
  }

  ping(timestamp = Date.now()): void {
    this.send({ type: 'ping', timestamp });
  }

  system(event: 'shutdown', details: { gracePeriodMs: number }): void;
  system(event: 'session_revoked', details: { reason: string }): void;
  system(event: string, details: object): void {
    this.send({ type: 'system', event, ...details });
  }

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
 * from the handlers.
 */
export class MockServer {
  readonly connections: MockConnection[] = [];
  readonly received: ReceivedFrame[] = [];
  private readonly handlers = new Map<string, Handler<OperationName>>();
  private readonly listeners = new Set<() => void>();
  private subscriptionCounter = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    readonly options: MockServerOptions,
  ) {
    wss.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: MockServerOptions = {}): Promise<MockServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new MockServer(wss, options);
  }

  get port(): number {
    return (this.wss.address() as { port: number }).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The open connection that arrived last. */
  get connection(): MockConnection {
    const open = this.connections.filter((c) => !c.closed);
    const last = open[open.length - 1];
    if (!last) throw new Error('no open connection');
    return last;
  }

  /** Answers operation `type` with `handler`; a thrown MockError becomes an error frame. */
  handle<K extends OperationName>(type: K, handler: Handler<K>): this {
    this.handlers.set(type, handler as unknown as Handler<OperationName>);
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

  /** Resolves when `predicate` holds after some frame or connection arrives. */
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

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private accept(socket: WebSocket): void {
    const connection = new MockConnection(socket);
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
