import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { NoexClient, SubscribeOptions, Unsubscribe } from '../index.js';
import { LOADING, LiveSubscription, SharedSubscriptions, type LiveState } from './live.js';
import { useNoex } from './provider.js';

/**
 * `loading` until the first result; `live` while results arrive; `restoring`
 * while the connection is being re-established (the last data stays);
 * `ended` when the subscription could not be restored (the last data stays,
 * `error` says why); `error` when the server refused it.
 */
export type QueryStatus = LiveState<unknown>['status'];

export interface QueryResult<T> {
  /** The latest result; undefined until the first. */
  readonly data: T | undefined;
  readonly status: QueryStatus;
  readonly error: Error | undefined;
}

export interface UseQueryOptions {
  /** `false`: no subscription; `data` is undefined and `status` is `loading`. Default true. */
  enabled?: boolean;
  /**
   * While a changed query or params load, show the previous result (with
   * `status: 'loading'`) rather than none. Default true.
   */
  keepPreviousData?: boolean;
}

class LiveQuery extends LiveSubscription<unknown> {
  constructor(
    client: NoexClient,
    private readonly query: string,
    private readonly params: unknown,
  ) {
    super(client);
  }

  protected open(
    deliver: (data: unknown) => void,
    options: SubscribeOptions,
  ): Promise<Unsubscribe> {
    return this.client.store.subscribe(this.query, deliver, this.params, options);
  }
}

const queriesByClient = new WeakMap<NoexClient, SharedSubscriptions<LiveQuery>>();

function queriesOf(client: NoexClient): SharedSubscriptions<LiveQuery> {
  let queries = queriesByClient.get(client);
  if (!queries) queriesByClient.set(client, (queries = new SharedSubscriptions()));
  return queries;
}

/** JSON with object keys sorted: equal params give equal keys whatever their key order. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? ''
  );
}

const serverSnapshot = () => LOADING;
const ignore = () => () => {};

/**
 * A reactive query's latest result, re-rendering on each push. Components
 * that use the same query with equal params share one server subscription,
 * released when the last of them unmounts. Params are compared by value, so
 * an object written inline does not resubscribe. Server rendering gives
 * `status: 'loading'` and subscribes nothing.
 */
export function useQuery<T = unknown>(
  query: string,
  params?: unknown,
  options: UseQueryOptions = {},
): QueryResult<T> {
  const client = useNoex();
  const queries = queriesOf(client);
  const enabled = options.enabled !== false;
  const key = enabled ? `${query}\u0000${canonical(params)}` : undefined;
  // The key stands for query and params: callbacks made for a key use the values it was made from.
  const subscribe = useCallback(
    (changed: () => void) =>
      key === undefined
        ? ignore()
        : queries.use(key, () => new LiveQuery(client, query, params), changed),
    [queries, key],
  );
  const snapshot = useCallback(
    () => (key === undefined ? LOADING : (queries.get(key)?.state ?? LOADING)),
    [queries, key],
  );
  const state = useSyncExternalStore(subscribe, snapshot, serverSnapshot);

  // What the last committed render showed, for the switch to other params.
  const shown = useRef<LiveState<unknown>>(LOADING);
  const previous = shown.current;
  const keep =
    options.keepPreviousData !== false &&
    enabled &&
    state.status === 'loading' &&
    state.data === undefined &&
    previous.data !== undefined;
  const result = useMemo(
    () => (keep ? { ...state, data: previous.data } : state),
    [keep, state, previous],
  );
  useEffect(() => {
    shown.current = result;
  });
  return result as QueryResult<T>;
}
