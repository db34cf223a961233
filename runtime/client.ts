export type {} from './globals.js';
import type { EffectsTable } from './effects.js';
import { Emitter } from './emitter.js';
import type { Engine } from './engine.js';
import { Loader } from './loader.js';
import type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
import type { ClientInspection, ClientOptions } from './options.js';
import type { BucketSchema } from './bucket-schema.js';
import type { CallOptions } from './requests.js';
import type { SubscribeOptions, Unsubscribe } from './subscriptions.js';
import type { OperationValidators } from './validate.js';

type Payload = Record<string, unknown>;

export type { ClientInspection, ClientOptions } from './options.js';

/**
 * Where the generated validators come from: the table itself, or a loader of
 * its module (what the generated client passes, so that they load with the
 * engine, apart from the app's first bundle).
 */
export type ValidatorSource =
  OperationValidators | (() => Promise<{ readonly validators: OperationValidators }>);

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
 * Generated classes reach the engine through `caller`. The engine and the
 * validators load when the client is made, as chunks of their own where the
 * app's bundler splits code; what is asked before they are in waits for them,
 * in order.
 */
export class ClientCore<Ops extends OperationMap<Ops>> {
  readonly #engine: Loader<Engine>;
  readonly #events: Emitter<ClientEvents>;
  /** connect() was called before the engine was in. */
  #connecting = false;

  /** What the generated API classes call into. */
  protected readonly caller: Caller<Ops>;

  constructor(
    url: string,
    options: ClientOptions = {},
    validators: ValidatorSource,
    effects: EffectsTable,
  ) {
    const events = (this.#events = new Emitter<ClientEvents>((error, event) => {
      if (event !== 'error') this.#engine.value?.report(error);
    }));
    const table = () => (typeof validators === 'function' ? validators() : { validators });
    const slot = (this.#engine = new Loader(() =>
      Promise.all([import('./engine.js'), table()]).then(
        ([{ Engine }, loaded]) => new Engine(url, options, loaded.validators, effects, events),
      ),
    ));
    slot.load(); // no server I/O: only the code loads now, so that it is in by the time connect() is called
    this.caller = {
      call: (type, payload, callOptions, schema) => {
        const engine = slot.value;
        // The hot path: straight to the engine, no closure.
        if (engine)
          return engine.calls.call(type, payload as Payload, callOptions, schema) as never;
        return slot.call(
          (loaded) => loaded.calls.call(type, payload as Payload, callOptions, schema) as never,
        );
      },
      subscribe: (type, payload, callback, callOptions) =>
        slot.call((engine) =>
          engine.subscribe(
            type,
            payload as Payload,
            callback as (...args: unknown[]) => void,
            callOptions,
          ),
        ),
      unsubscribe: (type, payload, callOptions) =>
        slot.with(async (engine) => {
          engine.subscriptions.forget((payload as Payload).subscriptionId as string);
          await engine.calls.call(type, payload as Payload, callOptions);
        }),
    };
  }

  /** Where the connection stands; `statechange` tells every change. */
  get state(): ConnectionState {
    const engine = this.#engine.value;
    if (engine) return engine.connection.state;
    // A connect() waiting for the engine to load is already connecting.
    return this.#connecting ? 'connecting' : 'disconnected';
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
    return this.#events.on(event, handler);
  }

  /**
   * Opens the connection, waits for the welcome, logs in where configured and
   * restores the subscriptions held; resolves with the welcome.
   */
  connect(): Promise<WelcomeInfo> {
    if (this.#engine.value) return this.#engine.value.connection.connect();
    this.#connecting = true;
    const connected = this.#engine.with((engine) => {
      this.#connecting = false;
      return engine.connection.connect();
    });
    // A failed load ends the connect too.
    connected.catch(() => (this.#connecting = false));
    return connected;
  }

  /** Closes the connection, rejects pending and waiting calls, ends subscriptions and stops reconnecting. */
  disconnect(): Promise<void> {
    const slot = this.#engine;
    // Before the engine is in, only what waits for it can need closing.
    if (!slot.value && slot.waiting === 0) return Promise.resolve();
    return slot.with((engine) => engine.connection.disconnect());
  }

  /**
   * Drops the current socket (if any) and connects at once, skipping any
   * backoff wait; the session and every subscription are restored as after a
   * drop, and the `Unsubscribe`s held keep working. Resolves when connected.
   */
  reconnect(): Promise<void> {
    return this.#engine.with((engine) => engine.connection.reconnect());
  }

  /** The state, the calls pending and waiting, the subscriptions held, reconnects and the last round trip. */
  inspect(): ClientInspection {
    const { value: engine, waitingCalls } = this.#engine;
    if (engine) return engine.inspect();
    return {
      state: 'disconnected',
      pendingCalls: 0,
      waitingCalls,
      subscriptions: [],
      reconnects: 0,
      rttMs: undefined,
    };
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
    return this.caller.call(type, (payload ?? {}) as Ops[K]['request'], options);
  }
}
