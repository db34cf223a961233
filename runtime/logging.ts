/**
 * What the client tells its logger. Loaded when a client is given a logger
 * (its connect waits for it), so that apps without one do not carry it.
 */
import type { ClientEvents } from './events.js';

/** Where the client tells what it does; every level is optional. Silent when not given. */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn?(message: string, ...details: unknown[]): void;
  error?(message: string, ...details: unknown[]): void;
}

/** Logs one frame, sent (as its text) or received (parsed). */
export type FrameLog = (direction: 'send' | 'receive', frame: unknown) => void;

interface Observable {
  on<E extends keyof ClientEvents>(event: E, handler: (...args: ClientEvents[E]) => void): unknown;
}

const SECRET_FIELDS = new Set([
  'token',
  'password',
  'currentPassword',
  'newPassword',
  'secret',
  'adminSecret',
]);

/** Deeper than this, a logged frame shows `[nested]`: a frame nested thousands deep stays loggable. */
const MAX_DEPTH = 64;

/** A copy of a frame with every credential replaced, for logging. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_FIELDS.has(key) && v !== undefined ? '[redacted]' : redact(v, depth + 1),
    ]),
  );
}

/**
 * Logs the client's connection changes and errors to `logger`; returns what
 * logs each frame, credentials redacted, where the logger has a `debug` level.
 * The logger is the application's code: whatever it throws is handed to
 * `report` (the client's `error` event) and changes nothing else.
 */
export function attachLogger(
  client: Observable,
  logger: Logger,
  url: string,
  report: (error: unknown) => void,
): FrameLog | undefined {
  let reporting = false;
  const log = (level: keyof Logger, message: string, ...details: unknown[]) => {
    if (reporting) return;
    try {
      logger[level]?.(message, ...details);
    } catch (error) {
      // What the logger throws while logging an error is reported without being logged again.
      reporting = true;
      try {
        report(error);
      } finally {
        reporting = false;
      }
    }
  };
  client.on('error', (error) => log('error', error.message, error));
  client.on('connected', () => log('info', `connected to ${url}`));
  client.on('disconnected', (reason) => log('info', `disconnected from ${url}: ${reason}`));
  client.on('reconnecting', (attempt) => log('warn', `reconnecting to ${url}, attempt ${attempt}`));
  client.on('reconnected', () => log('info', `reconnected to ${url}`));
  client.on('session_revoked', (reason) => log('warn', `session revoked: ${reason}`));
  if (!logger.debug) return undefined;
  return (direction, frame) => {
    let shown: unknown;
    try {
      shown = redact(typeof frame === 'string' ? JSON.parse(frame) : frame);
    } catch (error) {
      return report(error);
    }
    log('debug', direction, shown);
  };
}
