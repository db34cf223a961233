/**
 * What the client uses only under Node: the `ws` package where there is no
 * global WebSocket, and write batching on the TCP socket under `ws`. Loaded
 * when connecting under Node, so that browser bundles leave it out of the
 * code they load at start.
 */
import type { WebSocketConstructor, WebSocketLike } from './transport.js';

/** The `ws` package's WebSocket (Node 20 has no global one). */
export async function wsWebSocket(): Promise<WebSocketConstructor> {
  const ws = await import('ws');
  return ws.WebSocket as unknown as WebSocketConstructor;
}

/** Node's net.Socket: writes can be held and then sent together. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * For a `ws` socket: what to call before a send so that the frames sent
 * together (a loop, or the callbacks of one batch of answers) leave in one
 * write of its TCP socket, not one system call each. The writes are held
 * until the current microtasks have run. The wire calls it only while other
 * requests are in flight: a lone request leaves at once. Undefined for other
 * sockets.
 */
export function writeBatcher(socket: WebSocketLike): (() => void) | undefined {
  const tcp = (socket as { _socket?: Partial<Corkable> })._socket;
  if (!tcp?.cork || !tcp.uncork) return undefined;
  let held = false;
  const release = () => {
    held = false;
    tcp.uncork!();
  };
  return () => {
    if (held) return;
    held = true;
    tcp.cork!();
    void Promise.resolve().then(release);
  };
}
