/** Waiting for the connection: the calls that wait, and the pauses between reconnect attempts. */

import { backoffDelay, type ReconnectPolicy } from './backoff.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** Promises settled together by what happens next to the connection. */
export class Waiters {
  readonly #waiting = new Set<Waiter>();

  get size(): number {
    return this.#waiting.size;
  }

  /** Settled by the next `resolve()` or `reject()`, or rejected with the signal's reason. */
  wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => waiter.reject(signal!.reason);
      const waiter: Waiter = {
        resolve: () => (done(), resolve()),
        reject: (error) => (done(), reject(error)),
      };
      const done = () => {
        this.#waiting.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  resolve(): void {
    for (const waiter of [...this.#waiting]) waiter.resolve();
  }

  reject(error: unknown): void {
    for (const waiter of [...this.#waiting]) waiter.reject(error);
  }
}

/** A wait of some milliseconds that can be ended early. */
export class Pause {
  #wake: (() => void) | undefined;

  /** Waits `ms`, or less if woken; rejects with the signal's reason as soon as it is aborted. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
      };
      const onAbort = () => (done(), reject(signal.reason));
      const timer = setTimeout(() => (done(), resolve()), ms);
      this.#wake = () => (done(), resolve());
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Runs `attempt` until it succeeds: each try is announced with `starting`
   * (numbered from 1), then paused by the policy's backoff (but the first,
   * when `immediately`). `failed` hears each failure and says whether to go
   * on. True on success; false when the tries run out, `failed` says stop or
   * `signal` aborts.
   */
  async retry(
    policy: ReconnectPolicy,
    signal: AbortSignal,
    immediately: boolean,
    hooks: {
      starting(attempt: number): void;
      attempt(): Promise<unknown>;
      failed(error: unknown): boolean;
    },
  ): Promise<boolean> {
    for (let n = 1; n <= policy.maxRetries; n++) {
      hooks.starting(n);
      try {
        if (!(immediately && n === 1)) await this.wait(backoffDelay(policy, n), signal);
        await hooks.attempt();
        return true;
      } catch (error) {
        if (signal.aborted || !hooks.failed(error)) return false;
      }
    }
    return false;
  }

  /** Ends the current wait at once; nothing when there is none. */
  wake(): void {
    this.#wake?.();
  }
}
