import { RequestTimeoutError } from './errors.js';

interface Pending {
  readonly type: string;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
  readonly release: (() => void) | undefined;
}

/** Ids whose caller gave up (timeout, abort): a late answer for them is expected, not an error. */
const ABANDONED_LIMIT = 1024;

/**
 * Correlates requests with their answers by numeric id. Every request settles
 * exactly once: answered, timed out, aborted or rejected when the connection
 * goes; its timer and abort listener are released when it does.
 */
export class RequestManager {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly abandoned = new Set<number>();

  get size(): number {
    return this.pending.size;
  }

  /** Registers a request; `send(id)` puts it on the wire. Rejects at once if `signal` is aborted. */
  start(
    type: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    send: (id: number) => void,
  ): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs > 0 && timeoutMs < Infinity
          ? setTimeout(() => this.abandon(id, new RequestTimeoutError(type, timeoutMs)), timeoutMs)
          : undefined;
      let release: (() => void) | undefined;
      if (signal) {
        const onAbort = () => this.abandon(id, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        release = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(id, { type, resolve, reject, timer, release });
      try {
        send(id);
      } catch (error) {
        this.settle(id)?.reject(error);
      }
    });
  }

  /** The pending request with this id, removed; undefined if there is none. */
  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.release?.();
    return entry;
  }

  private abandon(id: number, reason: unknown): void {
    const entry = this.settle(id);
    if (!entry) return;
    this.abandoned.add(id);
    if (this.abandoned.size > ABANDONED_LIMIT) {
      this.abandoned.delete(this.abandoned.values().next().value as number);
    }
    entry.reject(reason);
  }

  /** The operation of a pending request, if any. */
  typeOf(id: number): string | undefined {
    return this.pending.get(id)?.type;
  }

  /**
   * Settles request `id` with `outcome`. Returns false for an id that was never
   * sent or was already answered (a late answer to an abandoned request returns true).
   */
  answer(id: number, outcome: { data: unknown } | { error: unknown }): boolean {
    const entry = this.settle(id);
    if (!entry) return this.abandoned.delete(id);
    if ('error' in outcome) entry.reject(outcome.error);
    else entry.resolve(outcome.data);
    return true;
  }

  rejectAll(error: unknown): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }
}
