import { ClientErrorCode, isConnectionFailure, NoexClientError } from './errors.js';
import type { EffectsTable } from './effects.js';
import type { CallOptions } from './requests.js';
import {
  CALLBACK,
  CURRENT,
  ended,
  OPTIONS,
  PAYLOAD,
  STATE,
  subscriptionFactory,
  TYPE,
  waiting,
  type Subscription,
} from './subscription.js';

type Payload = Record<string, unknown>;

/** How many subscribe requests a restore keeps in flight. */
const RESTORE_WINDOW = 256;

/** Where a subscription stands: delivering, being re-created after a drop, or over. */
export type SubscriptionStatus = 'live' | 'restoring' | 'ended';

/**
 * Stops a subscription's callback at once and tells the server in the
 * background; it keeps working across reconnects. It also tells where the
 * subscription stands and what it delivered last.
 */
export interface Unsubscribe {
  (): void;
  /** `live`, `restoring` after a drop until the subscription is re-created, or `ended`. */
  readonly status: SubscriptionStatus;
  /** The latest data delivered: a query's result, or a rule event. */
  readonly current: unknown;
  /**
   * Why it ended: undefined when unsubscribed; a `DisconnectedError` after
   * `disconnect()`; code `SUBSCRIPTION_LOST` when it could not be re-created
   * after a reconnect (the server's refusal is its `cause`); code
   * `SUBSCRIPTION_ENDED` when the query it reads was undefined.
   */
  readonly error: Error | undefined;
}

/** Options a subscription takes beyond a call's. */
export interface SubscribeOptions extends CallOptions {
  /** Each change of the subscription's status; `ended` comes with its reason, if any (see `Unsubscribe.error`). */
  onStatus?: (status: SubscriptionStatus, error?: Error) => void;
  /** Called when the subscription could not be restored after a reconnect (it has ended). */
  onLost?: (error: Error) => void;
}

interface Started {
  subscriptionId: string;
  data?: unknown;
}

export interface SubscriptionHost {
  /** Sends a request on the current connection; `onResult` runs as its result is taken. */
  send(
    type: string,
    payload: Payload,
    options?: CallOptions,
    onResult?: (data: unknown) => void,
  ): Promise<unknown>;
  report(error: unknown): void;
}

/** What `client.inspect()` shows of a subscription. */
export interface SubscriptionInfo {
  /** The subscribe operation. */
  readonly type: string;
  /** What it subscribed with: the query and its params, or the pattern. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Where it stands. */
  readonly status: SubscriptionStatus;
}

/**
 * The subscriptions the user holds: routes pushes to their callbacks by the
 * id the server gave them on this connection, and re-creates each one, once,
 * on a new connection. Every subscription the server reports as created is
 * either held here or unsubscribed.
 */
export class Subscriptions {
  /** The live subscriptions, by the id the server gave them on this connection. */
  private readonly byServerId = new Map<string, Subscription>();
  /**
   * The subscriptions waiting to be re-created on a new connection, and some
   * restored or ended since (told apart by their state, dropped at the next
   * drop and at the end of each restore); empty while all are live. An array,
   * not a set: a restore of many would pay for hashing each one in and out.
   */
  private restoring: Subscription[] = [];
  private readonly open = subscriptionFactory((subscription) => this.cancel(subscription));

  constructor(
    private readonly host: SubscriptionHost,
    private readonly effects: EffectsTable,
  ) {}

  /** Registers what a subscribe call started, as its result is taken; delivers its initial data. */
  add(
    type: string,
    payload: Payload,
    callback: (...args: unknown[]) => void,
    started: Started,
    options?: SubscribeOptions,
  ): Unsubscribe {
    const subscription = this.open(type, payload, callback, options, started.subscriptionId);
    this.byServerId.set(started.subscriptionId, subscription);
    if ('data' in started) this.deliver(subscription, started.data);
    return subscription;
  }

  /** For `store.unsubscribe(id)`: forgets the subscription the server knows by `serverId`. */
  forget(serverId: string): void {
    const subscription = this.byServerId.get(serverId);
    if (subscription) this.end(subscription, undefined);
  }

  /** Routes a push; pushes for subscriptions no longer held are dropped. */
  push(serverId: string, data: unknown, topic?: string): void {
    const subscription = this.byServerId.get(serverId);
    if (subscription) this.deliver(subscription, data, topic);
  }

  /**
   * The result of a subscribe nobody waits for any more (its call timed out
   * or was aborted, or it was cancelled while being restored): the server
   * holds a subscription nobody owns, so it is unsubscribed at once.
   */
  release(type: string, data: unknown): void {
    const unsubscribeType = this.effects[type]?.unsubscribe;
    const serverId = (data as Partial<Started> | null)?.subscriptionId;
    if (!unsubscribeType || typeof serverId !== 'string') return;
    this.host.send(unsubscribeType, { subscriptionId: serverId }).catch((error: unknown) => {
      if (!isConnectionFailure(error) && (error as NoexClientError).code !== 'NOT_FOUND')
        this.host.report(error);
    });
  }

  /** The connection is gone, and with it the server ids; each subscription waits to be restored. */
  disconnected(): void {
    // Compacted first, so that a subscription restored since it was put here is put here once.
    const restoring = (this.restoring = this.restoring.filter(waiting));
    const dropped = [...this.byServerId.values()];
    this.byServerId.clear();
    for (const subscription of dropped) {
      subscription[STATE] = undefined;
      restoring.push(subscription);
    }
    // A status callback may end the ones after it.
    for (const subscription of dropped) if (waiting(subscription)) this.changed(subscription);
  }

  /** Ends every subscription (the client disconnected). */
  clear(reason: Error): void {
    for (const subscription of this.held()) this.end(subscription, reason);
    this.restoring = [];
  }

  /** Ends the subscriptions made with operation `type` whose payload `field` is `value` (a query that was undefined). */
  endWhere(type: string, field: string, value: unknown, reason: Error): void {
    for (const subscription of this.held()) {
      if (subscription[TYPE] !== type || subscription[PAYLOAD][field] !== value) continue;
      // The server still counts the dead subscription against the connection until told.
      const serverId = subscription[STATE];
      this.end(subscription, reason);
      if (typeof serverId === 'string') this.release(type, { subscriptionId: serverId });
    }
  }

  /**
   * Re-creates every held subscription on a new connection and delivers its
   * fresh data, with up to RESTORE_WINDOW requests in flight at a time (all at
   * once would hold every answer in memory together). One that the server
   * refuses ends and is reported; a connection failure fails the whole restore.
   */
  async restore(): Promise<void> {
    const held = this.restoring.filter(waiting);
    let next = 0;
    const worker = async () => {
      while (next < held.length) await this.restoreOne(held[next++]!);
    };
    const workers = Math.min(RESTORE_WINDOW, held.length);
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      this.restoring = this.restoring.filter(waiting);
    }
  }

  /** What `client.inspect()` shows. */
  list(): SubscriptionInfo[] {
    return this.held().map((subscription) => ({
      type: subscription[TYPE],
      payload: subscription[PAYLOAD],
      status: subscription.status,
    }));
  }

  /** Every subscription held, live or waiting to be restored. */
  private held(): Subscription[] {
    return [...this.byServerId.values(), ...this.restoring.filter(waiting)];
  }

  private async restoreOne(subscription: Subscription): Promise<void> {
    const type = subscription[TYPE];
    const payload = subscription[PAYLOAD];
    try {
      // Rebound as the result is taken, so that a push right behind it is not missed.
      await this.host.send(type, payload, undefined, (data) => {
        if (ended(subscription)) return this.release(type, data);
        this.bind(subscription, data as Started);
      });
    } catch (error) {
      if (isConnectionFailure(error)) throw error;
      const lost = new NoexClientError(
        ClientErrorCode.SUBSCRIPTION_LOST,
        `${type} ${JSON.stringify(payload)} could not be restored after reconnecting: ${(error as Error).message}`,
        { cause: error, details: { type, payload } },
      );
      this.host.report(lost);
      this.end(subscription, lost);
    }
  }

  /** A subscription re-created on this connection: live again under its new server id. */
  private bind(subscription: Subscription, started: Started): void {
    const previous = subscription[STATE];
    if (previous !== undefined) this.byServerId.delete(previous as string);
    subscription[STATE] = started.subscriptionId;
    this.byServerId.set(started.subscriptionId, subscription);
    if (previous === undefined) this.changed(subscription);
    if ('data' in started) this.deliver(subscription, started.data);
  }

  private cancel(subscription: Subscription): void {
    const serverId = subscription[STATE];
    if (ended(subscription)) return;
    this.end(subscription, undefined);
    if (typeof serverId === 'string')
      this.release(subscription[TYPE], { subscriptionId: serverId });
  }

  private end(subscription: Subscription, reason: Error | undefined): void {
    const state = subscription[STATE];
    if (ended(subscription)) return;
    if (state !== undefined) this.byServerId.delete(state as string);
    subscription[STATE] = reason ?? null;
    this.changed(subscription);
    if (reason && (reason as NoexClientError).code === ClientErrorCode.SUBSCRIPTION_LOST)
      this.guard(subscription[OPTIONS]?.onLost, reason);
  }

  /** Tells `onStatus` the status the subscription has just taken. */
  private changed(subscription: Subscription): void {
    this.guard(subscription[OPTIONS]?.onStatus, subscription.status, subscription.error);
  }

  /** Calls back `(data)` for query results, `(event, topic)` for rule events. */
  private deliver(subscription: Subscription, data: unknown, topic?: string): void {
    if (ended(subscription)) return;
    subscription[CURRENT] = data;
    if (topic === undefined) this.guard(subscription[CALLBACK], data);
    else this.guard(subscription[CALLBACK], data, topic);
  }

  /** Runs the application's callback; what it throws is reported and changes nothing. */
  private guard<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A) {
    try {
      callback?.(...args);
    } catch (error) {
      this.host.report(error);
    }
  }
}
