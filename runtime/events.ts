/** What the client tells about its connection, and the shapes its events carry. */

/** What the server's welcome frame says, on every connection. */
export interface WelcomeInfo {
  /** The server's protocol version. */
  version: string;
  /** The server's clock at the welcome, in ms since the epoch. */
  serverTime: number;
  /** Whether the server refuses requests before a login. */
  requiresAuth: boolean;
}

/**
 * Where the connection stands: `connecting` (the first connect, up to the
 * login), `connected` (logged in, subscriptions restored), `reconnecting`
 * (dropped; waiting or trying to come back), `disconnected` (closed, given up
 * or never connected).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** The client's events and their arguments; listen with `client.on(event, handler)`. */
export interface ClientEvents {
  /** Every change of `client.state`, `connecting` included. */
  statechange: [state: ConnectionState, previous: ConnectionState];
  /** A connection is up and logged in: after `connect()` and after every reconnect. */
  connected: [];
  /** The connection was lost or closed, or reconnecting gave up; the reason says which. */
  disconnected: [reason: string];
  /** A reconnect attempt is starting (from 1). */
  reconnecting: [attempt: number];
  /** Back after a drop: logged in again and every subscription restored. */
  reconnected: [];
  /** Something went wrong that no call can reject with: a failed attempt, a bad frame, a throwing handler. */
  error: [error: Error];
  /** The server's welcome frame, on every connection. */
  welcome: [info: WelcomeInfo];
  /** The server revoked this session; the connection closes and is not re-opened. */
  session_revoked: [reason: string];
}
