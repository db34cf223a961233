import type { AppSchema } from './app-schema.js';
import type { Connection } from './connection.js';
import type { EffectsTable } from './effects.js';
import {
  DisconnectedError,
  NoexClientError,
  RateLimitedError,
  RequestTimeoutError,
  RequestValidationError,
} from './errors.js';
import { BucketSchema } from './bucket-schema.js';
import { Loader } from './loader.js';
import type { CallOptions } from './requests.js';
import type { Session } from './session.js';
import type { OperationValidators } from './validate.js';
import type { Wire } from './wire.js';

type Payload = Record<string, unknown>;
type OnResult = ((data: unknown) => void) | undefined;

/** Which failed calls are tried again. */
export interface RetryOptions {
  /** Retries after the first attempt; default 3. A call's `retry` option overrides it. */
  maxRetries?: number;
  /**
   * Asked before each retry (`attempt` from 1) of an operation the spec marks
   * as a safe read, for an error that may pass: false vetoes it.
   */
  shouldRetry?: (error: NoexClientError, attempt: number, operation: string) => boolean;
}

export interface CallSettings {
  readonly validators: OperationValidators;
  readonly effects: EffectsTable;
  readonly lazy: boolean;
  readonly waitForConnection: boolean;
  readonly retry: RetryOptions | undefined;
  readonly requestTimeoutMs: number;
  /** A generated app's buckets: calls to them are checked as typed buckets' are. */
  readonly app: AppSchema | undefined;
}

/** The first delay of a retry without a server-given one; doubled per attempt. */
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 5_000;

/**
 * The call pipeline: validate the request, wait for the connection where
 * asked, send, and settle — observing sessions, checking typed buckets,
 * logging in again with a fresh auth value after an expired session, and
 * retrying safe reads where the spec and the options allow.
 */
export class Calls {
  /** The waits before retries: `disconnect()` ends them. */
  private readonly pauses = new Pauses();
  /** The operations whose success changes the client's state (a session, its subscriptions). */
  private readonly observed: Set<string>;
  /** The record checks of the app's buckets, loading with the client (apps without one load nothing). */
  private readonly appChecks: Loader<Map<string, BucketSchema>> | undefined;

  constructor(
    private readonly settings: CallSettings,
    private readonly connection: Connection,
    private readonly wire: Wire,
    private readonly session: Session,
    private readonly report: (error: unknown) => void,
    /** Learns from a successful call of an observed operation, as its result is taken. */
    private readonly observe: (type: string, payload: Payload, result: unknown) => void,
  ) {
    this.observed = new Set(
      Object.keys(settings.effects).filter((type) => {
        const effect = settings.effects[type]!;
        return effect.session !== undefined || effect.endsSubscriptions !== undefined;
      }),
    );
    const { app } = settings;
    if (app) {
      this.appChecks = new Loader(() =>
        import('./app-checks.js').then(({ appChecks }) => appChecks(app, BucketSchema)),
      );
      this.appChecks.load(); // a failure rejects the app's bucket calls instead
    }
  }

  /** `disconnect()`: every retry waiting for its turn rejects with `error`. */
  close(error: unknown): void {
    this.pauses.cancel(error);
  }

  call(
    type: string,
    payload: Payload,
    options?: CallOptions,
    schema?: BucketSchema,
    onResult?: OnResult,
  ): Promise<unknown> {
    const validators = this.settings.validators[type];
    if (!validators) {
      return Promise.reject(
        new RequestValidationError(type, [{ path: 'type', message: 'is not a known operation' }]),
      );
    }
    const issues = validators.request(payload);
    if (issues) return Promise.reject(new RequestValidationError(type, issues));
    const bucket = payload.bucket as string;
    if (!schema && this.appChecks && Object.hasOwn(this.settings.app!.buckets, bucket)) {
      // A bucket of the app: checked as a typed bucket, once its checks have loaded.
      const loaded = this.appChecks.value;
      if (!loaded) return this.appChecks.with(() => this.call(type, payload, options));
      schema = loaded.get(bucket);
    }
    if (schema) return this.typed(type, payload, options, schema);
    return this.settle(type, payload, options, onResult);
  }

  /**
   * A call of a bucket typed by a schema: its records are checked both ways.
   * Once the checks have loaded (they start loading with the bucket), the
   * request is sent at once, in order with every other call.
   */
  private typed(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    schema: BucketSchema,
  ): Promise<unknown> {
    const effect = this.settings.effects[type];
    const send = () => this.settle(type, payload, options, undefined);
    return schema.checks.with((checks) => checks.call(type, effect, payload, send));
  }

  /** Sends, then recovers from what a retry or a fresh login can mend. */
  private settle(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    onResult: OnResult,
  ): Promise<unknown> {
    if (this.observed.has(type)) onResult = (result) => this.observe(type, payload, result);
    const sent = this.dispatch(type, payload, options, onResult);
    if (!this.session.canRefresh && this.retries(type, options) === 0) return sent;
    return sent.catch((error: unknown) => this.recover(error, type, payload, options, onResult));
  }

  /**
   * Sends now if connected. Otherwise a lazy client connects; a call made
   * while connecting or reconnecting waits for the connection where it may
   * (`waitForConnection`, or a lazy client's first connect); else it rejects.
   */
  private dispatch(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    onResult: OnResult,
  ): Promise<unknown> {
    const { state } = this.connection;
    if (state === 'connected') return this.wire.send(type, payload, options, onResult);
    const { lazy } = this.settings;
    const waits =
      state === 'disconnected'
        ? lazy
        : (options?.waitForConnection ?? this.settings.waitForConnection) ||
          (lazy && state === 'connecting');
    if (!waits) return Promise.reject(new DisconnectedError(`${type}: not connected (${state})`));
    return this.afterConnecting(type, payload, options, onResult, state === 'disconnected');
  }

  /** Waits for the connection (connecting it first if asked), within the call's timeout and signal. */
  private async afterConnecting(
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    onResult: OnResult,
    connect: boolean,
  ): Promise<unknown> {
    const timeoutMs = options?.timeoutMs ?? this.settings.requestTimeoutMs;
    const bounded = timeoutMs > 0 && timeoutMs < Infinity;
    const started = Date.now();
    const stop = new AbortController();
    const timer = bounded
      ? setTimeout(() => stop.abort(new RequestTimeoutError(type, timeoutMs)), timeoutMs)
      : undefined;
    const signal = options?.signal;
    const onAbort = () => stop.abort(signal!.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The connect's own failure reaches the call as the rejection of its wait.
      if (connect) this.connection.connect().catch(() => {});
      await this.connection.ready(stop.signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const left = bounded ? Math.max(1, timeoutMs - (Date.now() - started)) : timeoutMs;
    return this.wire.send(type, payload, { ...options, timeoutMs: left }, onResult);
  }

  /** How many times `type` may be retried under `options`: none unless the spec marks it a safe read. */
  private retries(type: string, options: CallOptions | undefined): number {
    const retry = options?.retry;
    if (retry === undefined && !this.settings.retry) return 0;
    if (retry === false || !this.settings.effects[type]?.safeRetry) return 0;
    if (typeof retry === 'number') return retry;
    const policy = this.settings.retry;
    return policy ? (policy.maxRetries ?? 3) : 0;
  }

  private async recover(
    error: unknown,
    type: string,
    payload: Payload,
    options: CallOptions | undefined,
    onResult: OnResult,
  ): Promise<unknown> {
    if ((error as NoexClientError).code === 'UNAUTHORIZED' && this.session.canRefresh) {
      try {
        await this.session.refresh((loginType, loginPayload) =>
          this.wire.send(loginType, loginPayload),
        );
      } catch (refused) {
        this.report(refused);
        throw error;
      }
      return this.dispatch(type, payload, options, onResult);
    }
    const limit = this.retries(type, options);
    for (let attempt = 1; attempt <= limit && this.mayRetry(error, attempt, type); attempt++) {
      await this.pauses.wait(retryDelay(error, attempt), options?.signal);
      // A drop is waited out: the retry goes out once the client is back.
      const retryOptions = { ...options, waitForConnection: true };
      try {
        return await this.dispatch(type, payload, retryOptions, onResult);
      } catch (next) {
        error = next;
      }
    }
    throw error;
  }

  private mayRetry(error: unknown, attempt: number, type: string): boolean {
    const code = (error as NoexClientError).code;
    // A connection that dropped comes back; a client that was disconnected does not.
    const dropped = error instanceof DisconnectedError && this.connection.state !== 'disconnected';
    const passing = code === 'RATE_LIMITED' || code === 'BACKPRESSURE' || dropped;
    if (!passing) return false;
    const veto = this.settings.retry?.shouldRetry;
    return !veto || veto(error as NoexClientError, attempt, type);
  }
}

/** The server's `retryAfterMs`, else exponential backoff with jitter. */
function retryDelay(error: unknown, attempt: number): number {
  const after = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
  if (after !== undefined) return after;
  const exponential = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  return exponential / 2 + (Math.random() * exponential) / 2;
}

/** Waits of some milliseconds that a signal, or closing the client, cuts short with an error. */
class Pauses {
  private readonly waiting = new Set<(error: unknown) => void>();

  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const stop = (error: unknown) => (done(), reject(error));
      const onAbort = () => stop(signal!.reason);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(stop);
      };
      const timer = setTimeout(() => (done(), resolve()), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.add(stop);
    });
  }

  cancel(error: unknown): void {
    for (const stop of [...this.waiting]) stop(error);
  }
}
