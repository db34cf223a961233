import type { SubscribeOptions, SubscriptionStatus, Unsubscribe } from './subscriptions.js';

/**
 * Where a subscription stands: its server id on this connection while live;
 * undefined while it waits to be re-created on a new connection; once ended,
 * why (null when unsubscribed).
 */
export type State = string | undefined | Error | null;

export const TYPE = Symbol('type');
export const PAYLOAD = Symbol('payload');
export const CALLBACK = Symbol('callback');
export const OPTIONS = Symbol('options');
export const STATE = Symbol('state');
export const CURRENT = Symbol('current');

/**
 * A subscription the user holds; it outlives connections, its server id does
 * not. It is the very function `subscribe()` resolves to: calling it
 * unsubscribes, and it keeps its own state under these keys, in the property
 * store V8 gives a function (it grows three fields at a time: a seventh would
 * cost 24 B more). A record of its own and a closure context to reach it
 * cost about twice the heap. `status`, `current` and `error` are getters that
 * every subscription shares.
 */
export interface Subscription extends Unsubscribe {
  readonly [TYPE]: string;
  readonly [PAYLOAD]: Readonly<Record<string, unknown>>;
  readonly [CALLBACK]: (...args: unknown[]) => void;
  readonly [OPTIONS]: SubscribeOptions | undefined;
  [STATE]: State;
  [CURRENT]: unknown;
}

function statusOf(state: State): SubscriptionStatus {
  return typeof state === 'string' ? 'live' : state === undefined ? 'restoring' : 'ended';
}

/** Whether it has ended: unsubscribed, lost, or its client disconnected. */
export function ended(subscription: Subscription): boolean {
  return typeof subscription[STATE] === 'object';
}

/** Whether it waits to be re-created on a new connection. */
export function waiting(subscription: Subscription): boolean {
  return subscription[STATE] === undefined;
}

/** What every subscription inherits: the function's own methods, and the public view of its state. */
const subscriptionPrototype: object = Object.create(Function.prototype, {
  status: {
    get(this: Subscription) {
      return statusOf(this[STATE]);
    },
  },
  current: {
    get(this: Subscription) {
      return this[CURRENT];
    },
  },
  error: {
    get(this: Subscription) {
      const state = this[STATE];
      return typeof state === 'object' && state !== null ? state : undefined;
    },
  },
  // What console.log shows in Node: the public state, not the keys kept here.
  [Symbol.for('nodejs.util.inspect.custom')]: {
    value(this: Subscription) {
      return { status: this.status, current: this.current, error: this.error };
    },
  },
});

type Opened = { -readonly [K in keyof Subscription]: Subscription[K] };

/**
 * Returns what makes subscriptions that call `cancel` with themselves when
 * called. The function each one is refers to itself by its own name, so that
 * it shares the closure context of this factory instead of having one of its
 * own.
 */
export function subscriptionFactory(
  cancel: (subscription: Subscription) => void,
): (
  type: string,
  payload: Readonly<Record<string, unknown>>,
  callback: (...args: unknown[]) => void,
  options: SubscribeOptions | undefined,
  serverId: string,
) => Subscription {
  return (type, payload, callback, options, serverId) => {
    const subscription = function unsubscribe(): void {
      cancel(unsubscribe as unknown as Subscription);
    } as unknown as Opened;
    Object.setPrototypeOf(subscription, subscriptionPrototype);
    subscription[TYPE] = type;
    subscription[PAYLOAD] = payload;
    subscription[CALLBACK] = callback;
    subscription[OPTIONS] = options;
    subscription[STATE] = serverId;
    subscription[CURRENT] = undefined;
    return subscription as unknown as Subscription;
  };
}
