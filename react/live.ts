import type { NoexClient, SubscribeOptions, SubscriptionStatus, Unsubscribe } from '../index.js';

/** `loading` until the first result, `error` when the subscription was refused. */
export type LiveStatus = 'loading' | SubscriptionStatus | 'error';

/** What components see of a subscription. Replaced, never mutated, on every change. */
export interface LiveState<T> {
  readonly data: T | undefined;
  readonly status: LiveStatus;
  readonly error: Error | undefined;
}

export const LOADING: LiveState<never> = Object.freeze({
  data: undefined,
  status: 'loading',
  error: undefined,
});

const isDisconnect = (error: unknown) =>
  (error as { code?: unknown } | undefined)?.code === 'DISCONNECTED';

/**
 * One server subscription and its latest state. It subscribes when it starts
 * (a client that is not connected yet: once it is), leaves the recovery of
 * reconnects to the client, and subscribes afresh when the client connects
 * again after `disconnect()` ended it, keeping its data meanwhile.
 */
export abstract class LiveSubscription<T> {
  state: LiveState<T> = LOADING;
  private readonly watchers = new Set<() => void>();
  private unsubscribe: Unsubscribe | undefined;
  private stopWaiting: (() => void) | undefined;
  /** Bumped by every new attempt and by stop(): what an older attempt delivers is ignored. */
  private attempt = 0;

  constructor(protected readonly client: NoexClient) {}

  /** Opens the server subscription; `deliver` takes each result. */
  protected abstract open(
    deliver: (data: T) => void,
    options: SubscribeOptions,
  ): Promise<Unsubscribe>;

  /** Calls `watcher` after each change of `state`; returns the function that stops it. */
  watch(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  start(): void {
    this.subscribe();
  }

  stop(): void {
    this.release();
    this.stopWaiting?.();
    this.stopWaiting = undefined;
  }

  private subscribe(): void {
    const attempt = ++this.attempt;
    const current = () => attempt === this.attempt;
    let heard = false;
    const deliver = (data: T) => {
      if (!current()) return;
      heard = true;
      if (this.state.status !== 'live' || !Object.is(this.state.data, data)) {
        this.set({ data, status: 'live', error: undefined });
      }
    };
    const options: SubscribeOptions = {
      // Waiting is done here, on the `connected` event, without a deadline.
      waitForConnection: false,
      onStatus: (status, error) => {
        if (!current()) return;
        heard = true;
        this.statusChanged(status, error);
      },
    };
    this.open(deliver, options).then(
      (unsubscribe) => {
        if (!current()) return unsubscribe();
        this.unsubscribe = unsubscribe;
        // A subscription whose server sent no initial result (an event feed, an empty aggregate).
        if (!heard) this.set({ data: undefined, status: 'live', error: undefined });
      },
      (error: Error) => {
        if (!current()) return;
        if (!isDisconnect(error)) return this.set({ ...this.state, status: 'error', error });
        // Refused because the client is not connected (yet, or again): retry once it is.
        if (this.client.state === 'connected') this.subscribe();
        else this.waitForConnection();
      },
    );
  }

  private statusChanged(status: SubscriptionStatus, error: Error | undefined): void {
    if (status !== 'ended') {
      if (this.state.status !== status) this.set({ ...this.state, status, error: undefined });
      return;
    }
    this.release();
    if (!isDisconnect(error)) return this.set({ ...this.state, status: 'ended', error });
    // `disconnect()` ended it: the app may connect again.
    this.set({ ...this.state, status: 'restoring', error: undefined });
    this.waitForConnection();
  }

  private waitForConnection(): void {
    if (this.stopWaiting) return;
    const stop = this.client.on('connected', () => {
      stop();
      this.stopWaiting = undefined;
      this.subscribe();
    });
    this.stopWaiting = stop;
  }

  private release(): void {
    this.attempt++;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private set(state: LiveState<T>): void {
    this.state = state;
    for (const watcher of [...this.watchers]) watcher();
  }
}

/**
 * Live subscriptions by key, one per key however many components use it.
 * The last user's release stops it a microtask later, so that a component
 * unmounted and mounted again at once (StrictMode, a moved subtree) keeps it.
 */
export class SharedSubscriptions<S extends LiveSubscription<unknown>> {
  private readonly entries = new Map<string, { subscription: S; users: number }>();

  get(key: string): S | undefined {
    return this.entries.get(key)?.subscription;
  }

  /** Starts the subscription of `key` unless running; returns its release. */
  use(key: string, create: () => S, watcher: () => void): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { subscription: create(), users: 0 };
      this.entries.set(key, entry);
      entry.subscription.start();
    }
    const used = entry;
    used.users++;
    const unwatch = used.subscription.watch(watcher);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unwatch();
      if (--used.users > 0) return;
      queueMicrotask(() => {
        if (used.users > 0 || this.entries.get(key) !== used) return;
        this.entries.delete(key);
        used.subscription.stop();
      });
    };
  }
}
