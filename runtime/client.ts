export type {} from './disposable.js';
import type { EffectsTable } from './effects.js';
import { Engine } from './engine.js';
import type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
import type { ClientInspection, ClientOptions } from './options.js';
import type { BucketSchema } from './bucket-schema.js';
import type { CallOptions } from './requests.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';
import type { ValidatorSource } from './validator-table.js';

type Payload = Record<string, unknown>;

export type { ClientInspection, ClientOptions } from './options.js';

/** An operation's payload and result types, as generated/types.ts declares them. */
export interface OperationShape {
  request: unknown;
  result: unknown;
}
export type OperationMap<Ops> = { [K in keyof Ops]: OperationShape };

/** What generated API classes call into. */
export interface Caller<Ops extends OperationMap<Ops>> {
  call<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    options?: CallOptions,
    schema?: BucketSchema,
  ): Promise<Ops[K]['result']>;
  subscribe<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    callback: (...args: never[]) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
  unsubscribe<K extends keyof Ops & string>(
    type: K,
    payload: Ops[K]['request'],
    options?: CallOptions,
  ): Promise<void>;
}

/**
 * The client's public face under the generated API: the connection's state
 * and events, connect, disconnect and reconnect, `request()` and `inspect()`.
 * Generated classes reach the engine through `caller`.
 */
export class ClientCore<Ops extends OperationMap<Ops>> {
  readonly #engine: Engine;

  /** What the generated API classes call into. */
  protected readonly caller: Caller<Ops>;

  constructor(
    url: string,
    options: ClientOptions = {},
    validators: ValidatorSource,
    effects: EffectsTable,
  ) {
    const engine = (this.#engine = new Engine(url, options, validators, effects));
    this.caller = {
      call: (type, payload, callOptions, schema) =>
        engine.calls.call(type, payload as Payload, callOptions, schema) as never,
      subscribe: (type, payload, callback, callOptions) =>
        engine.subscribe(
          type,
          payload as Payload,
          callback as (...args: unknown[]) => void,
          callOptions,
        ),
      unsubscribe: async (type, payload, callOptions) => {
        engine.subscriptions.forget((payload as Payload).subscriptionId as string);
        await engine.calls.call(type, payload as Payload, callOptions);
      },
    };
  }

  /** Where the connection stands; `statechange` tells every change. */
  get state(): ConnectionState {
    return this.#engine.connection.state;
  }

  /** Whether the client is connected, logged in and has restored its subscriptions. */
  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** Listens to a client event; returns the function that stops listening. */
  on<E extends keyof ClientEvents>(
    event: E,
    handler: (...args: ClientEvents[E]) => void,
  ): () => void {
    return this.#engine.events.on(event, handler);
  }

  /**
   * Opens the connection, waits for the welcome, logs in where configured and
   * restores the subscriptions held; resolves with the welcome.
   */
  connect(): Promise<WelcomeInfo> {
    return this.#engine.connection.connect();
  }

  /** Closes the connection, rejects pending and waiting calls, ends subscriptions and stops reconnecting. */
  disconnect(): Promise<void> {
    return this.#engine.connection.disconnect();
  }

  /**
   * Drops the current socket (if any) and connects at once, skipping any
   * backoff wait; the session and every subscription are restored as after a
   * drop, and the `Unsubscribe`s held keep working. Resolves when connected.
   */
  reconnect(): Promise<void> {
    return this.#engine.connection.reconnect();
  }

  /** The state, the calls pending and waiting, the subscriptions held, reconnects and the last round trip. */
  inspect(): ClientInspection {
    return this.#engine.inspect();
  }

  /** Disconnects: `await using client = new NoexClient(url)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }

  /** Sends any operation by its wire name; the name types the payload and the result. */
  request<K extends keyof Ops & string>(
    type: K,
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    ...args: {} extends Ops[K]['request']
      ? [payload?: Ops[K]['request'], options?: CallOptions]
      : [payload: Ops[K]['request'], options?: CallOptions]
  ): Promise<Ops[K]['result']> {
    const [payload, options] = args;
    return this.#engine.calls.call(type, (payload ?? {}) as Payload, options) as Promise<
      Ops[K]['result']
    >;
  }
}
