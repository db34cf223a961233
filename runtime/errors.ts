import type { ServerErrorCode } from '../protocol/codes.js';

/** One mismatch between a value and its schema. */
export interface Issue {
  /** Where, as a property path from the payload or result root (`data.name`, `operations[0].key`). */
  path: string;
  message: string;
}

/** Codes of the errors the client raises itself, next to the server's codes. */
export const ClientErrorCode = {
  TIMEOUT: 'TIMEOUT',
  DISCONNECTED: 'DISCONNECTED',
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  REQUEST_VALIDATION: 'REQUEST_VALIDATION',
  RESULT_VALIDATION: 'RESULT_VALIDATION',
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  SUBSCRIPTION_LOST: 'SUBSCRIPTION_LOST',
  SUBSCRIPTION_ENDED: 'SUBSCRIPTION_ENDED',
  BUFFER_OVERFLOW: 'BUFFER_OVERFLOW',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Every code an error of the SDK can carry: the server's, the client's own, and any other a newer server sends. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

/** Every error the SDK raises: the server's errors with their code, and the client's own. */
export class NoexClientError extends Error {
  override name = 'NoexClientError';
  /** The server's error code (`NOT_FOUND`, `VALIDATION_ERROR`, ...) or the client's own (`TIMEOUT`, `DISCONNECTED`, ...). */
  readonly code: ErrorCode;
  /** What the server sent along with the error, as it sent it (for example the failing fields). */
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

/**
 * The server refused for a rate limit: too many requests, too many failed
 * logins, or too many subscriptions. `retryAfterMs` says when to try again,
 * where the server says it.
 */
export class RateLimitedError extends NoexClientError {
  override name = 'RateLimitedError';
  /** How long the server asks the client to wait before trying again; undefined when it does not say. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details?: unknown) {
    super('RATE_LIMITED', message, { details });
    const after = (details as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
    this.retryAfterMs = typeof after === 'number' ? after : undefined;
  }
}

/** The error a server's `error` frame stands for: a RateLimitedError for RATE_LIMITED. */
export function serverError(code: string, message: string, details: unknown): NoexClientError {
  return code === 'RATE_LIMITED'
    ? new RateLimitedError(message, details)
    : new NoexClientError(code, message, { details });
}

/** No answer within the request timeout. */
export class RequestTimeoutError extends NoexClientError {
  override name = 'RequestTimeoutError';
  constructor(operation: string, timeoutMs: number) {
    super(ClientErrorCode.TIMEOUT, `${operation}: no answer within ${timeoutMs} ms`);
  }
}

/** Sent while not connected, or the connection dropped while waiting. Never retried. */
export class DisconnectedError extends NoexClientError {
  override name = 'DisconnectedError';
  constructor(message: string, cause?: unknown) {
    super(ClientErrorCode.DISCONNECTED, message, { cause });
  }
}

/** `connect()` failed: bad URL, refused, closed or silent before the welcome. */
export class ConnectionError extends NoexClientError {
  override name = 'ConnectionError';
  constructor(message: string, cause?: unknown) {
    super(ClientErrorCode.CONNECTION_FAILED, message, { cause });
  }
}

function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}

/** A call's arguments break the protocol spec, or a record its bucket's schema; nothing was sent. */
export class RequestValidationError extends NoexClientError {
  override name = 'RequestValidationError';
  constructor(
    readonly operation: string,
    readonly issues: readonly Issue[],
    /** The bucket whose schema a record broke, for a typed bucket or a bucket of a generated app. */
    readonly bucket?: string,
  ) {
    super(
      ClientErrorCode.REQUEST_VALIDATION,
      `${operation}${bucket === undefined ? '' : ` (bucket "${bucket}")`}: invalid request: ${describeIssues(issues)}`,
      {
        details: issues,
      },
    );
  }
}

/** The server's result does not match the protocol spec. */
export class ResultValidationError extends NoexClientError {
  override name = 'ResultValidationError';
  constructor(
    readonly operation: string,
    readonly issues: readonly Issue[],
    readonly data: unknown,
  ) {
    super(
      ClientErrorCode.RESULT_VALIDATION,
      `${operation}: unexpected result: ${describeIssues(issues)}`,
      {
        details: issues,
      },
    );
  }
}

/** A connection problem, as opposed to the server refusing the request. */
export const isConnectionFailure = (error: unknown): boolean =>
  error instanceof DisconnectedError || error instanceof RequestTimeoutError;

/** A frame from the server that the protocol does not allow; the client ignored it. */
export class ProtocolError extends NoexClientError {
  override name = 'ProtocolError';
  constructor(
    message: string,
    readonly frame?: unknown,
  ) {
    super(ClientErrorCode.PROTOCOL_ERROR, message);
  }
}
