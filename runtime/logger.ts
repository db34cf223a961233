/** Where the client tells what it does; every level is optional. Silent when not given. */
export interface Logger {
  debug?(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  warn?(message: string, ...details: unknown[]): void;
  error?(message: string, ...details: unknown[]): void;
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
