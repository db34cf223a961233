import { CloseCode } from '../protocol/codes.js';
import { ConnectionError } from './errors.js';
import type { WelcomeInfo } from './events.js';
import type { WebSocketConstructor, WebSocketLike } from './transport.js';

/**
 * Under Node, the helpers only Node needs (see node.ts); undefined elsewhere,
 * where bundles then never load them.
 */
const nodeHelpers = (): Promise<typeof import('./node.js')> | undefined =>
  typeof process === 'object' && process.versions?.node ? import('./node.js') : undefined;

export interface OpenedSocket {
  readonly socket: WebSocketLike;
  readonly welcome: WelcomeInfo;
  /** Called before each send, where the socket can batch its writes (`ws`). */
  readonly batch: (() => void) | undefined;
}

/**
 * Keeps an error listener on sockets the client has let go of: `ws` throws an
 * error event that has no listener (for example when dropped while connecting).
 */
export const ignoreErrors = () => {};

/** What carries a connection's frames: the wire. */
interface Carrier {
  use(socket: WebSocketLike | undefined, batch?: () => void): void;
  receive(data: unknown): void;
}

/** The connection's current socket: its frames go to the wire, its close to `onClose`. */
export class SocketSlot {
  #socket: WebSocketLike | undefined;

  constructor(
    private readonly wire: Carrier,
    private readonly onClose: (socket: WebSocketLike, code: number, reason: string) => void,
  ) {}

  get socket(): WebSocketLike | undefined {
    return this.#socket;
  }

  attach(socket: WebSocketLike, batch: (() => void) | undefined): void {
    this.#socket = socket;
    this.wire.use(socket, batch);
    socket.onmessage = (event) => this.wire.receive(event.data);
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
    // A close event follows every error; it carries what there is to know.
    socket.onerror = ignoreErrors;
  }

  /** Lets the socket go (its late error events still find a listener) and returns it. */
  detach(): WebSocketLike | undefined {
    this.wire.use(undefined);
    const socket = this.#socket;
    if (socket) {
      socket.onmessage = socket.onclose = null;
      socket.onerror = ignoreErrors;
    }
    this.#socket = undefined;
    return socket;
  }
}

/** Closes a socket without waiting for the server's half of the handshake. */
export function dropSocket(
  socket: WebSocketLike,
  code: number = CloseCode.NORMAL,
  reason = '',
): void {
  socket.onopen = socket.onmessage = socket.onclose = null;
  socket.onerror = ignoreErrors;
  try {
    if (socket.terminate) socket.terminate();
    else socket.close(code, reason);
  } catch {
    // Already closed.
  }
}

function parseWelcome(data: unknown): WelcomeInfo | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const frame = JSON.parse(data) as Record<string, unknown>;
    if (frame?.type !== 'welcome') return undefined;
    return {
      version: String(frame.version),
      serverTime: Number(frame.serverTime),
      requiresAuth: frame.requiresAuth === true,
    };
  } catch {
    return undefined;
  }
}

/**
 * Opens a socket and waits for the server's welcome frame. On any failure
 * (bad URL, refused, closed first, no welcome in time, `signal` aborted) the
 * socket is dropped and the timer cleared before the promise rejects.
 */
export async function openSocket(
  url: string,
  timeoutMs: number,
  constructor: WebSocketConstructor | undefined,
  signal: AbortSignal,
): Promise<OpenedSocket> {
  // The given constructor, else the global WebSocket, else (Node 20) the `ws` package.
  const node = await nodeHelpers();
  const WebSocketClass =
    constructor ??
    (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ??
    (await node?.wsWebSocket());
  if (!WebSocketClass)
    throw new ConnectionError('no WebSocket here: pass one as options.WebSocket');
  if (signal.aborted) throw signal.reason;
  let socket: WebSocketLike;
  try {
    socket = new WebSocketClass(url);
  } catch (error) {
    throw new ConnectionError(`cannot connect to ${url}: ${(error as Error).message}`, error);
  }
  return new Promise<OpenedSocket>((resolve, reject) => {
    const finish = (error?: unknown, welcome?: WelcomeInfo) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (welcome) {
        socket.onmessage = socket.onclose = socket.onopen = null;
        socket.onerror = ignoreErrors;
        resolve({ socket, welcome, batch: node?.writeBatcher(socket) });
      } else {
        dropSocket(socket);
        reject(error);
      }
    };
    const onAbort = () => finish(signal.reason);
    const timer = setTimeout(
      () => finish(new ConnectionError(`no welcome from ${url} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.onmessage = (event) => {
      const welcome = parseWelcome(event.data);
      if (welcome) finish(undefined, welcome);
      else finish(new ConnectionError(`${url} did not open with a welcome frame`));
    };
    socket.onclose = (event) =>
      finish(
        new ConnectionError(
          `${url} closed the connection before the welcome (code ${event.code}${event.reason ? `, ${event.reason}` : ''})`,
        ),
      );
    socket.onerror = (event) => {
      const detail =
        (event as { message?: string; error?: Error }).message ??
        (event as { error?: Error }).error?.message;
      finish(new ConnectionError(`cannot connect to ${url}${detail ? `: ${detail}` : ''}`));
    };
  });
}

const GRACEFUL_CLOSE_MS = 1_000;

/** Closes normally and waits for the server's answer, at most a second. */
export function closeGracefully(socket: WebSocketLike): Promise<void> {
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
      socket.close(CloseCode.NORMAL, 'client disconnect');
    } catch {
      done();
    }
  });
}
