/** A subscription the user holds; it outlives connections, its server id does not. */
export interface Subscription {
  /** `store.subscribe` or `rules.subscribe`. */
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly callback: (...args: unknown[]) => void;
  serverId: string | undefined;
  active: boolean;
}

/** The subscribe operation's counterpart: `store.subscribe` → `store.unsubscribe`. */
export const unsubscribeTypeOf = (type: string) => type.replace(/\.subscribe$/, '.unsubscribe');

/** Active subscriptions, routed by the id the server gave them on this connection. */
export class SubscriptionRegistry {
  private readonly byServerId = new Map<string, Subscription>();
  private readonly active = new Set<Subscription>();

  get size(): number {
    return this.active.size;
  }

  add(subscription: Subscription): void {
    this.active.add(subscription);
    if (subscription.serverId !== undefined) this.byServerId.set(subscription.serverId, subscription);
  }

  /** Points a subscription at the id a new connection gave it. */
  rebind(subscription: Subscription, serverId: string): void {
    if (subscription.serverId !== undefined) this.byServerId.delete(subscription.serverId);
    subscription.serverId = serverId;
    if (subscription.active) this.byServerId.set(serverId, subscription);
  }

  remove(subscription: Subscription): void {
    subscription.active = false;
    this.active.delete(subscription);
    if (subscription.serverId !== undefined) this.byServerId.delete(subscription.serverId);
  }

  byId(serverId: string): Subscription | undefined {
    return this.byServerId.get(serverId);
  }

  /** The server ids of the last connection are gone with it. */
  forgetServerIds(): void {
    this.byServerId.clear();
    for (const subscription of this.active) subscription.serverId = undefined;
  }

  all(): Subscription[] {
    return [...this.active];
  }

  clear(): void {
    for (const subscription of this.active) subscription.active = false;
    this.active.clear();
    this.byServerId.clear();
  }
}
