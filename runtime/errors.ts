import type { ServerErrorCode } from '../protocol/codes.js';

/** One mismatch between a value and its schema. */
export interface Issue {
  /** Where, as a property path from the payload or result root (`data.name`, `operations[0].key`). */
  path: string;
  /** What is wrong there (`expected string`, `is required`, ...). */
  message: string;
}

/**
 * Codes of the errors the client raises itself, next to the server's codes
 * (`ServerErrorCode`): the `code` of a {@link NoexClientError} is one or the other.
 */
export const ClientErrorCode = {
  /** {@link RequestTimeoutError}: no answer within the request timeout. */
  TIMEOUT: 'TIMEOUT',
  /** {@link DisconnectedError}: not connected, or the connection dropped while waiting. */
  DISCONNECTED: 'DISCONNECTED',
  /** {@link ConnectionError}: `connect()` could not open a connection. */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  /** {@link RequestValidationError}: the arguments break the protocol spec; nothing was sent. */
  REQUEST_VALIDATION: 'REQUEST_VALIDATION',
  /** {@link ResultValidationError}: the server's result does not match the protocol spec. */
  RESULT_VALIDATION: 'RESULT_VALIDATION',
  /** {@link ProtocolError}: a frame the protocol does not allow, ignored. */
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  /** A subscription that could not be restored after a reconnect has ended. */
  SUBSCRIPTION_LOST: 'SUBSCRIPTION_LOST',
  /** A subscription whose query this client undefined has ended. */
  SUBSCRIPTION_ENDED: 'SUBSCRIPTION_ENDED',
  /** A rules stream whose consumer fell too far behind has ended. */
  BUFFER_OVERFLOW: 'BUFFER_OVERFLOW',
} as const;
/** One of the {@link ClientErrorCode} values. */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Every code an error of the SDK can carry: the server's, the client's own, and any other a newer server sends. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ErrorCode = ServerErrorCode | ClientErrorCode | (string & {});

/**
 * Every error the SDK raises: the server's errors with their code, and the
 * client's own (the subclasses, one per kind of failure). Test with
 * `instanceof` for the kind, and with `code` for the server's reason.
 *
 * @example
 * ```ts
 * try {
 *   await client.store.bucket('users').update('missing-id', { name: 'Ann' });
 * } catch (error) {
 *   if (error instanceof NoexClientError && error.code === 'NOT_FOUND') console.log('no such user');
 *   else throw error;
 * }
 * ```
 */
export class NoexClientError extends Error {
  /** `'NoexClientError'`, for logs and stack traces. */
  override name = 'NoexClientError';
  /** The server's error code (`NOT_FOUND`, `VALIDATION_ERROR`, ...) or the client's own (`TIMEOUT`, `DISCONNECTED`, ...). */
  readonly code: ErrorCode;
  /** What the server sent along with the error, as it sent it (for example the failing fields). */
  readonly details: unknown;

  /**
   * @param code - The error's code.
   * @param message - What went wrong, for people.
   * @param options - `details` as the server sent them; `cause`, the error this one wraps.
   */
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
  /** `'RateLimitedError'`, for logs and stack traces. */
  override name = 'RateLimitedError';
  /** How long the server asks the client to wait before trying again; undefined when it does not say. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param message - The server's message.
   * @param details - The server's details; `retryAfterMs` is read from them.
   */
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

/**
 * No answer within the request timeout (`requestTimeoutMs`, or the call's
 * `timeoutMs`). The request may still have been carried out by the server.
 */
export class RequestTimeoutError extends NoexClientError {
  /** `'RequestTimeoutError'`, for logs and stack traces. */
  override name = 'RequestTimeoutError';
  /**
   * @param operation - The operation's wire name (`<namespace>.<operation>`).
   * @param timeoutMs - The deadline that passed.
   */
  constructor(operation: string, timeoutMs: number) {
    super(ClientErrorCode.TIMEOUT, `${operation}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * Sent while not connected, or the connection dropped while waiting for the
 * answer. The client never sends such a request again: whether the server
 * carried it out is unknown.
 */
export class DisconnectedError extends NoexClientError {
  /** `'DisconnectedError'`, for logs and stack traces. */
  override name = 'DisconnectedError';
  /**
   * @param message - What happened to the connection.
   * @param cause - The error that closed it, if any.
   */
  constructor(message: string, cause?: unknown) {
    super(ClientErrorCode.DISCONNECTED, message, { cause });
  }
}

/** `connect()` failed: bad URL, refused, closed or silent before the welcome. */
export class ConnectionError extends NoexClientError {
  /** `'ConnectionError'`, for logs and stack traces. */
  override name = 'ConnectionError';
  /**
   * @param message - Why, naming the URL.
   * @param cause - The underlying socket error, if any.
   */
  constructor(message: string, cause?: unknown) {
    super(ClientErrorCode.CONNECTION_FAILED, message, { cause });
  }
}

function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}

/** A call's arguments break the protocol spec, or a record its bucket's schema; nothing was sent. */
export class RequestValidationError extends NoexClientError {
  /** `'RequestValidationError'`, for logs and stack traces. */
  override name = 'RequestValidationError';
  /**
   * @param operation - The operation's wire name (`<namespace>.<operation>`).
   * @param issues - Every offending field, by path.
   */
  constructor(
    /** The operation's wire name (`<namespace>.<operation>`). */
    readonly operation: string,
    /** Every offending field: its path from the payload's root and what is wrong with it. */
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

/**
 * The server's result does not match the protocol spec. With `validateResults:
 * 'report'` (the default) it is emitted on the client's `error` event and the
 * call resolves anyway; with `'strict'` the call rejects with it.
 */
export class ResultValidationError extends NoexClientError {
  /** `'ResultValidationError'`, for logs and stack traces. */
  override name = 'ResultValidationError';
  /**
   * @param operation - The operation's wire name.
   * @param issues - Every field of the result that breaks the spec.
   * @param data - The result as received.
   */
  constructor(
    /** The operation's wire name (`<namespace>.<operation>`). */
    readonly operation: string,
    /** Every field of the result that breaks the spec, by path from the result's root. */
    readonly issues: readonly Issue[],
    /** The result as the server sent it. */
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

/**
 * A frame from the server that the protocol does not allow; the client ignored
 * it and emitted this error on its `error` event.
 */
export class ProtocolError extends NoexClientError {
  /** `'ProtocolError'`, for logs and stack traces. */
  override name = 'ProtocolError';
  /**
   * @param message - What is wrong with the frame.
   * @param frame - The frame, parsed where it was JSON.
   */
  constructor(
    message: string,
    /** The offending frame, parsed where it was JSON. */
    readonly frame?: unknown,
  ) {
    super(ClientErrorCode.PROTOCOL_ERROR, message);
  }
}
