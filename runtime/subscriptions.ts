import { ClientErrorCode, isConnectionFailure, NoexClientError } from './errors.js';
import type { CallOptions, Unsubscribe } from './types.js';

type Payload = Record<string, unknown>;

/** A subscription the user holds; it outlives connections, its server id does not. */
interface Subscription {
  /** `store.subscribe` or `rules.subscribe`. */
  readonly type: string;
  readonly payload: Readonly<Payload>;
  readonly callback: (...args: unknown[]) => void;
  readonly onLost: ((error: Error) => void) | undefined;
  serverId: string | undefined;
  active: boolean;
}

interface Started {
  subscriptionId: string;
  data?: unknown;
}

export interface SubscriptionHost {
  /** Sends a request on the current connection. */
  send(
    type: string,
    payload: Payload,
    options?: CallOptions,
    onResult?: (data: unknown) => void,
  ): Promise<unknown>;
  report(error: unknown): void;
}

/** The subscribe operation's counterpart: `store.subscribe` → `store.unsubscribe`. */
const unsubscribeTypeOf = (type: string) =>
  /\.subscribe$/.test(type) ? type.replace(/\.subscribe$/, '.unsubscribe') : undefined;

/**
 * The subscriptions the user holds: routes pushes to their callbacks by the
 * id the server gave them on this connection, and re-creates each one, once,
 * on a new connection.
 */
export class Subscriptions {
  private readonly byServerId = new Map<string, Subscription>();
  private readonly active = new Set<Subscription>();

  constructor(private readonly host: SubscriptionHost) {}

  /** Registers what a subscribe call started; delivers its initial data. */
  add(
    type: string,
    payload: Payload,
    callback: Subscription['callback'],
    started: Started,
    onLost?: (error: Error) => void,
  ): Unsubscribe {
    const subscription: Subscription = {
      type,
      payload,
      callback,
      onLost,
      serverId: undefined,
      active: true,
    };
    this.active.add(subscription);
    this.bind(subscription, started.subscriptionId);
    if ('data' in started) this.deliver(subscription, started.data);
    return () => this.cancel(subscription);
  }

  /** For `store.unsubscribe(id)`: forgets the subscription the server knows by `serverId`. */
  forget(serverId: string): void {
    const subscription = this.byServerId.get(serverId);
    if (subscription) this.remove(subscription);
  }

  /** Routes a push; pushes for subscriptions no longer held are dropped. */
  push(serverId: string, data: unknown, topic?: string): void {
    const subscription = this.byServerId.get(serverId);
    if (subscription) this.deliver(subscription, data, topic);
  }

  /**
   * The result of a subscribe its caller gave up on (timeout, abort) or of a
   * restore nobody waits for: the server holds a subscription nobody owns, so
   * it is unsubscribed at once.
   */
  release(type: string, data: unknown): void {
    const unsubscribeType = unsubscribeTypeOf(type);
    const serverId = (data as Partial<Started> | null)?.subscriptionId;
    if (unsubscribeType && typeof serverId === 'string')
      this.sendUnsubscribe(unsubscribeType, serverId);
  }

  /** The server ids of a closed connection are gone with it. */
  disconnected(): void {
    this.byServerId.clear();
    for (const subscription of this.active) subscription.serverId = undefined;
  }

  clear(): void {
    for (const subscription of this.active) subscription.active = false;
    this.active.clear();
    this.byServerId.clear();
  }

  /**
   * Re-creates every held subscription on a new connection and delivers its
   * fresh data. One that the server refuses is dropped and reported; a
   * connection failure fails the whole restore.
   */
  async restore(): Promise<void> {
    await Promise.all([...this.active].map((subscription) => this.restoreOne(subscription)));
  }

  private async restoreOne(subscription: Subscription): Promise<void> {
    try {
      // Rebound as the result is taken, so that a push right behind it is not missed.
      await this.host.send(
        subscription.type,
        subscription.payload as Payload,
        undefined,
        (data) => {
          const started = data as Started;
          if (!subscription.active) return this.release(subscription.type, started);
          this.bind(subscription, started.subscriptionId);
          if ('data' in started) this.deliver(subscription, started.data);
        },
      );
    } catch (error) {
      if (isConnectionFailure(error)) throw error;
      this.remove(subscription);
      const lost = new NoexClientError(
        ClientErrorCode.SUBSCRIPTION_LOST,
        `${subscription.type} ${JSON.stringify(subscription.payload)} could not be restored after reconnecting: ${(error as Error).message}`,
        { cause: error, details: { type: subscription.type, payload: subscription.payload } },
      );
      this.host.report(lost);
      try {
        subscription.onLost?.(lost);
      } catch (thrown) {
        this.host.report(thrown);
      }
    }
  }

  private bind(subscription: Subscription, serverId: string): void {
    if (subscription.serverId !== undefined) this.byServerId.delete(subscription.serverId);
    subscription.serverId = serverId;
    this.byServerId.set(serverId, subscription);
  }

  private remove(subscription: Subscription): void {
    subscription.active = false;
    this.active.delete(subscription);
    if (subscription.serverId !== undefined) this.byServerId.delete(subscription.serverId);
  }

  private cancel(subscription: Subscription): void {
    if (!subscription.active) return;
    const serverId = subscription.serverId;
    this.remove(subscription);
    if (serverId !== undefined) this.release(subscription.type, { subscriptionId: serverId });
  }

  private sendUnsubscribe(unsubscribeType: string, serverId: string): void {
    this.host.send(unsubscribeType, { subscriptionId: serverId }).catch((error: unknown) => {
      if (!isConnectionFailure(error) && (error as NoexClientError).code !== 'NOT_FOUND')
        this.host.report(error);
    });
  }

  /** Calls back `(data)` for query results, `(event, topic)` for rule events. */
  private deliver(subscription: Subscription, data: unknown, topic?: string): void {
    if (!subscription.active) return;
    try {
      if (topic === undefined) subscription.callback(data);
      else subscription.callback(data, topic);
    } catch (error) {
      this.host.report(error);
    }
  }
}
