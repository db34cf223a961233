import { ClientErrorCode, NoexClientError } from './errors.js';
import type { CallOptions } from './requests.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';

export interface WatchOptions {
  /** Aborting ends the iteration: the pending `next()` rejects with the signal's reason. */
  signal?: AbortSignal;
}

type Start<T> = (push: (value: T) => void, options: SubscribeOptions) => Promise<Unsubscribe>;

/** How many rule events a watch holds for a consumer that does not keep up before it fails. */
const MAX_BUFFERED_EVENTS = 10_000;

/**
 * A subscription as an async iterator. `latest` keeps only the newest value a
 * slow consumer has not taken yet (query results supersede each other);
 * `queue` keeps every value (events do not). `break`, `return()` and an
 * aborted signal unsubscribe.
 */
class SubscriptionStream<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: Array<{
    resolve: (r: IteratorResult<T>) => void;
    reject: (e: unknown) => void;
  }> = [];
  private started = false;
  private done = false;
  private failure: { error: unknown } | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private readonly onAbort = () => this.fail(this.signal!.reason);

  constructor(
    private readonly start: Start<T>,
    private readonly mode: 'latest' | 'queue',
    private readonly signal: AbortSignal | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (!this.started) this.begin();
    if (this.buffer.length > 0)
      return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  private begin(): void {
    this.started = true;
    if (this.signal?.aborted) return this.fail(this.signal.reason);
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    // A subscription that ends (could not be restored, its query undefined) ends the stream with its reason.
    this.start((value) => this.push(value), {
      signal: this.signal,
      onStatus: (status, error) => {
        if (status !== 'ended') return;
        if (error) this.fail(error);
        else this.finish();
      },
    }).then(
      (unsubscribe) => {
        if (this.done) unsubscribe();
        else this.unsubscribe = unsubscribe;
      },
      (error: unknown) => this.fail(error),
    );
  }

  private push(value: T): void {
    if (this.done) return;
    const waiter = this.waiting.shift();
    if (waiter) return waiter.resolve({ value, done: false });
    if (this.mode === 'latest') {
      this.buffer[0] = value;
    } else if (this.buffer.length < MAX_BUFFERED_EVENTS) {
      this.buffer.push(value);
    } else {
      this.fail(
        new NoexClientError(
          ClientErrorCode.BUFFER_OVERFLOW,
          `more than ${MAX_BUFFERED_EVENTS} events waiting: the consumer does not keep up`,
        ),
      );
    }
  }

  private fail(error: unknown): void {
    if (this.done) return;
    const waiters = this.waiting.splice(0);
    if (waiters.length === 0) this.failure = { error };
    this.finish();
    for (const waiter of waiters) waiter.reject(error);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const waiter of this.waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
  }
}

/** Each result of a subscription; a slow consumer gets the latest, not a backlog. */
export function watchLatest<T>(
  start: Start<T>,
  options: WatchOptions = {},
): AsyncIterableIterator<T> {
  return new SubscriptionStream(start, 'latest', options.signal);
}

/** Every value of a subscription, in order. */
export function watchAll<T>(start: Start<T>, options: WatchOptions = {}): AsyncIterableIterator<T> {
  return new SubscriptionStream(start, 'queue', options.signal);
}

export interface IterateOptions extends CallOptions {
  /** Records per request. */
  pageSize: number;
}

/** Every record of a bucket, fetched a page at a time as the consumer goes. */
export async function* pages<R>(
  paginate: (
    after: unknown,
    options: CallOptions,
  ) => Promise<{ records: R[]; hasMore: boolean; nextCursor?: unknown }>,
  options: IterateOptions,
): AsyncGenerator<R, void, undefined> {
  const { pageSize: _, ...callOptions } = options;
  let after: unknown;
  for (;;) {
    const page = await paginate(after, callOptions);
    yield* page.records;
    if (!page.hasMore || page.records.length === 0) return;
    after = page.nextCursor;
  }
}
