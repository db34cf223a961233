/**
 * The two reference clients the SDK is measured against, on the same `ws`
 * socket API the SDK uses (`onmessage`, string data):
 *   level 1, RawClient: pre-built strings out, replies counted in order; no JSON.
 *   level 2, FloorClient: JSON encode/decode and an id → promise map, nothing else.
 */
import { WebSocket } from 'ws';
import type { WebSocketLike } from '../runtime/transport.js';

/** Closes the socket; resolves once it has closed, so that what it held can be collected before the next reading. */
function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  const done = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.close();
  return done;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onerror = (event) => reject(event.error ?? new Error(`cannot connect to ${url}`));
    // The first frame is the welcome.
    ws.onmessage = () => {
      ws.onmessage = null;
      ws.onerror = () => {};
      resolve(ws);
    };
  });
}

/** Level 1. Replies come back in order, so a FIFO of resolvers is the correlation. */
export class RawClient {
  private readonly queue: (() => void)[] = [];
  private head = 0;
  /** Counts every frame received (push test). */
  received = 0;
  onCount: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.onmessage = () => {
      this.received++;
      if (this.head < this.queue.length) {
        const resolve = this.queue[this.head]!;
        this.queue[this.head++] = undefined as never;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        resolve();
      } else this.onCount?.();
    };
  }

  static async connect(url: string): Promise<RawClient> {
    return new RawClient(await open(url));
  }

  send(frame: string): Promise<void> {
    this.ws.send(frame);
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Sends a frame whose reply is not awaited (it is then counted by onCount). */
  sendOnly(frame: string): void {
    this.ws.send(frame);
  }

  close(): Promise<void> {
    return closed(this.ws);
  }
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: unknown) => void;
}

/** Level 2: the JSON floor. */
export class FloorClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Map<string, (data: unknown) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data as string);
      if (frame.type === 'push') {
        this.subscriptions.get(frame.subscriptionId)?.(frame.data);
        return;
      }
      const entry = this.pending.get(frame.id);
      if (!entry) return;
      this.pending.delete(frame.id);
      if (frame.type === 'result') entry.resolve(frame.data);
      else entry.reject(new Error(frame.message));
    };
  }

  static async connect(url: string): Promise<FloorClient> {
    return new FloorClient(await open(url));
  }

  /** Requests waiting for their answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  request(type: string, payload: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, type, ...payload }));
    });
  }

  /** `store.subscribe` (its first result goes to the callback) or `rules.subscribe`. */
  async subscribe(
    type: string,
    payload: Record<string, unknown>,
    callback: (data: unknown) => void,
  ): Promise<string> {
    const started = (await this.request(type, payload)) as {
      subscriptionId: string;
      data?: unknown;
    };
    this.subscriptions.set(started.subscriptionId, callback);
    if ('data' in started) callback(started.data);
    return started.subscriptionId;
  }

  close(): Promise<void> {
    return closed(this.ws);
  }
}

/**
 * The floor client batching its writes with noex-client's own batcher
 * (runtime/node.ts), by the same rule: while other requests are in flight.
 * What batching alone does, without the rest of the client.
 */
export function withBatchedWrites(
  floor: FloorClient,
  writeBatcher: typeof import('../runtime/node.js').writeBatcher,
): FloorClient {
  const batch = writeBatcher(floor.ws as unknown as WebSocketLike);
  if (!batch) throw new Error("bench: the floor client's socket cannot batch its writes");
  const request = floor.request.bind(floor);
  floor.request = (type, payload) => {
    if (floor.inFlight > 0) batch();
    return request(type, payload);
  };
  return floor;
}
