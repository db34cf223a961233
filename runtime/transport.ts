/** The part of the WebSocket API the client uses: the browser's, Node 22's and `ws`'s all fit. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends one text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the connection without a closing handshake. */
  terminate?(): void;
  /** Called when the socket opens. */
  onopen: ((event: unknown) => void) | null;
  /** Called with each frame received. */
  onmessage: ((event: { data: unknown }) => void) | null;
  /** Called once the socket has closed, with the close code and reason. */
  onclose: ((event: { code: number; reason: string }) => void) | null;
  /** Called on an error; a close event follows. */
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket class: the browser's, Node 22's or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
