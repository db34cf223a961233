import { RequestTimeoutError } from './errors.js';

/** The last argument of every method that talks to the server. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides `requestTimeoutMs` for this call; 0 or Infinity waits without a deadline. */
  timeoutMs?: number;
  /**
   * Overrides `ClientOptions.waitForConnection` for this call: made while the
   * client is connecting or reconnecting, the call waits for the connection
   * (within its timeout and signal) instead of rejecting at once.
   */
  waitForConnection?: boolean;
  /**
   * Overrides `ClientOptions.retry.maxRetries` for this call; `false`: no
   * retry. Only operations the spec marks as safe reads are ever retried.
   */
  retry?: number | false;
}

export interface Pending {
  readonly type: string;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Runs as the answer is taken, before any awaiting code: for state that must exist before the next frame. */
  readonly onResult: ((data: unknown) => void) | undefined;
  readonly deadline: number;
  readonly timeoutMs: number;
  /** The signal that can abort it, if any. */
  readonly signal: AbortSignal | undefined;
}

/** The requests one signal can abort: a single listener per signal, however many calls share it. */
interface SignalWatch {
  readonly ids: Set<number>;
  readonly onAbort: () => void;
}

/** Ids whose caller gave up (timeout, abort): a late answer for them is expected, not an error. */
const ABANDONED_LIMIT = 1024;

/**
 * Correlates requests with their answers by numeric id. Every request settles
 * exactly once: answered, timed out, aborted or rejected when the connection
 * goes. One timer serves every deadline: armed for the nearest one, it is left
 * running when requests are answered (re-arming per request would cost more
 * than the request), and stopped by `rejectAll`, which every close calls. A
 * signal shared by many calls gets one abort listener, which lives only as
 * long as one of its requests is pending.
 */
export class RequestManager {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Abandoned request ids with their operation, oldest first. */
  private readonly abandoned = new Map<number, string>();
  private readonly signals = new Map<AbortSignal, SignalWatch>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  /** How many requests wait for their answer. */
  get size(): number {
    return this.pending.size;
  }

  /** The id for the next request. */
  reserve(): number {
    return this.nextId++;
  }

  /**
   * Waits for the answer to request `id`, or its deadline, or `signal`. The
   * caller checks that `signal` is not already aborted and sends the request.
   */
  track(
    id: number,
    type: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onResult?: (data: unknown) => void,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const deadline = timeoutMs > 0 && timeoutMs < Infinity ? Date.now() + timeoutMs : Infinity;
      const entry: Pending = {
        type,
        resolve,
        reject,
        onResult,
        deadline,
        timeoutMs,
        signal,
      };
      this.pending.set(id, entry);
      if (signal) this.watch(signal, id);
      if (deadline < this.timerAt) this.arm(deadline);
    });
  }

  /** Removes and returns the pending request `id`; undefined if there is none. */
  take(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    if (entry.signal) this.unwatch(entry.signal, id);
    return entry;
  }

  /**
   * The operation of request `id` if it was sent and then given up on (its
   * late answer is expected, not an error); undefined otherwise. Asked once.
   */
  abandonedType(id: number): string | undefined {
    const type = this.abandoned.get(id);
    if (type !== undefined) this.abandoned.delete(id);
    return type;
  }

  /** Rejects every pending request and stops the deadline timer; the connection's late answers are gone with it. */
  rejectAll(error: unknown): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(error);
    this.abandoned.clear();
    this.disarm();
  }

  private abandon(id: number, reason: unknown): void {
    const entry = this.take(id);
    if (!entry) return;
    this.abandoned.set(id, entry.type);
    if (this.abandoned.size > ABANDONED_LIMIT) {
      this.abandoned.delete(this.abandoned.keys().next().value as number);
    }
    entry.reject(reason);
  }

  private watch(signal: AbortSignal, id: number): void {
    let watch = this.signals.get(signal);
    if (!watch) {
      const ids = new Set<number>();
      const onAbort = () => {
        this.signals.delete(signal);
        for (const pendingId of ids) this.abandon(pendingId, signal.reason);
      };
      watch = { ids, onAbort };
      this.signals.set(signal, watch);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watch.ids.add(id);
  }

  private unwatch(signal: AbortSignal, id: number): void {
    const watch = this.signals.get(signal);
    if (!watch) return;
    watch.ids.delete(id);
    if (watch.ids.size === 0) {
      this.signals.delete(signal);
      signal.removeEventListener('abort', watch.onAbort);
    }
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now()));
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Times out every request past its deadline and re-arms for the nearest one left. */
  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [id, entry] of this.pending) {
      if (entry.deadline <= now)
        this.abandon(id, new RequestTimeoutError(entry.type, entry.timeoutMs));
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next < Infinity && this.pending.size > 0) this.arm(next);
  }
}
