import { useCallback, useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { NoexClient, RuleEvent, SubscribeOptions, Unsubscribe } from '../index.js';
import { LOADING, LiveSubscription, SharedSubscriptions, type LiveState } from './live.js';
import { useNoex } from './provider.js';

export type RulesEventHandler = (event: RuleEvent, topic: string) => void;

/** `loading` until the server confirms the subscription, then as for a query. */
export interface RulesEventsResult {
  readonly status: LiveState<unknown>['status'];
  readonly error: Error | undefined;
}

export interface UseRulesEventsOptions {
  /** `false`: no subscription. Default true. */
  enabled?: boolean;
}

/** One server subscription to a topic pattern, handing each event to every component's handler. */
class RulesFeed extends LiveSubscription<undefined> {
  readonly handlers = new Set<RulesEventHandler>();

  constructor(
    client: NoexClient,
    private readonly pattern: string,
  ) {
    super(client);
  }

  protected open(
    deliver: (data: undefined) => void,
    options: SubscribeOptions,
  ): Promise<Unsubscribe> {
    return this.client.rules.subscribe(
      this.pattern,
      (event, topic) => {
        deliver(undefined);
        for (const handler of [...this.handlers]) handler(event, topic);
      },
      options,
    );
  }
}

const feedsByClient = new WeakMap<NoexClient, SharedSubscriptions<RulesFeed>>();

function feedsOf(client: NoexClient): SharedSubscriptions<RulesFeed> {
  let feeds = feedsByClient.get(client);
  if (!feeds) feedsByClient.set(client, (feeds = new SharedSubscriptions()));
  return feeds;
}

// useLayoutEffect warns during server rendering, where no event arrives anyway.
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
const serverSnapshot = () => LOADING;
const ignore = () => () => {};

/**
 * Calls `handler(event, topic)` for each rules event whose topic matches
 * `pattern` (`*`, `order.*`, `a.*.c`), always the handler of the latest
 * render: a new function each render does not resubscribe. Components that
 * listen to the same pattern share one server subscription. Returns the
 * subscription's status.
 */
export function useRulesEvents(
  pattern: string,
  handler: RulesEventHandler,
  options: UseRulesEventsOptions = {},
): RulesEventsResult {
  const client = useNoex();
  const feeds = feedsOf(client);
  const latest = useRef(handler);
  useCommitEffect(() => {
    latest.current = handler;
  });
  const key = options.enabled === false ? undefined : pattern;
  const subscribe = useCallback(
    (changed: () => void) => {
      if (key === undefined) return ignore();
      const release = feeds.use(key, () => new RulesFeed(client, key), changed);
      const feed = feeds.get(key)!;
      const forward: RulesEventHandler = (event, topic) => latest.current(event, topic);
      feed.handlers.add(forward);
      return () => {
        feed.handlers.delete(forward);
        release();
      };
    },
    [client, feeds, key],
  );
  const snapshot = useCallback(
    () => (key === undefined ? LOADING : (feeds.get(key)?.state ?? LOADING)),
    [feeds, key],
  );
  const { status, error } = useSyncExternalStore(subscribe, snapshot, serverSnapshot);
  return { status, error };
}
