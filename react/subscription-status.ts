import { DisconnectedError } from '../index.js';
import type { NoexClient, Unsubscribe } from '../index.js';

/** The options `store.subscribe` and `rules.subscribe` take. */
export type SubscribeOptions = NonNullable<Parameters<NoexClient['store']['subscribe']>[3]>;

/** Where a subscription stands once it has started. */
export type SubscriptionStatus = 'live' | 'restoring' | 'ended';
export type StatusListener = (status: SubscriptionStatus, error?: Error) => void;

/** The option of a client that reports its subscriptions' status itself. */
type StatusOptions = SubscribeOptions & { onStatus?: StatusListener };

/**
 * Opens a subscription and reports each change of its status to `onStatus`.
 *
 * A client that reports statuses itself (its `Unsubscribe` carries `status`,
 * and it calls `onStatus`) is taken at its word. For a client that does not,
 * they are derived from its events: a drop it will recover from → `restoring`,
 * `reconnected` → `live`, a subscription it could not restore (`onLost`) →
 * `ended` with that error, and the client disconnected for good → `ended`
 * with a `DisconnectedError`. The derivation is only for such clients and can
 * go once none is supported.
 */
export async function subscribeWithStatus(
  client: NoexClient,
  open: (options: SubscribeOptions) => Promise<Unsubscribe>,
  onStatus: StatusListener,
): Promise<Unsubscribe> {
  let reportsItself = false;
  let ended = false;
  const report: StatusListener = (status, error) => {
    if (ended) return;
    ended = status === 'ended';
    onStatus(status, error);
  };
  const options: StatusOptions = {
    onStatus: (status, error) => {
      reportsItself = true;
      report(status, error);
    },
    onLost: (error) => {
      if (!reportsItself) report('ended', error);
    },
  };
  const unsubscribe = await open(options);
  if (reportsItself || typeof (unsubscribe as { status?: unknown }).status === 'string') {
    reportsItself = true;
    return unsubscribe;
  }
  const stopDeriving = [
    client.on('disconnected', (reason) => {
      if (client.state === 'reconnecting') report('restoring');
      else report('ended', new DisconnectedError(reason));
    }),
    client.on('reconnected', () => report('live')),
  ];
  return () => {
    for (const stop of stopDeriving) stop();
    unsubscribe();
  };
}
