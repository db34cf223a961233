/**
 * What the client tells its logger. Loaded when a client is given a logger
 * (its connect waits for it), so that apps without one do not carry it.
 */
import type { Logger } from './logger.js';
import type { ClientEvents } from './types.js';

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

/** A copy of a frame with every credential replaced, for logging. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_FIELDS.has(key) && v !== undefined ? '[redacted]' : redact(v),
    ]),
  );
}

/**
 * Logs the client's connection changes to `logger`; returns what logs each
 * frame, credentials redacted, where the logger has a `debug` level.
 */
export function attachLogger(
  client: Observable,
  logger: Logger,
  url: string,
): FrameLog | undefined {
  client.on('connected', () => logger.info?.(`connected to ${url}`));
  client.on('disconnected', (reason) => logger.info?.(`disconnected from ${url}: ${reason}`));
  client.on('reconnecting', (attempt) =>
    logger.warn?.(`reconnecting to ${url}, attempt ${attempt}`),
  );
  client.on('reconnected', () => logger.info?.(`reconnected to ${url}`));
  client.on('session_revoked', (reason) => logger.warn?.(`session revoked: ${reason}`));
  if (!logger.debug) return undefined;
  return (direction, frame) =>
    logger.debug!(direction, redact(typeof frame === 'string' ? JSON.parse(frame) : frame));
}
