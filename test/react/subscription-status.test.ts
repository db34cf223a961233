import { describe, expect, it, vi } from 'vitest';
import type { NoexClient, Unsubscribe } from '../../index.js';
import { subscribeWithStatus, type SubscribeOptions } from '../../react/subscription-status.js';

/** A client with just what the adapter touches: events, a state, and a subscribe that hands back its options. */
function stubClient() {
  const handlers = new Map<string, Set<(...args: unknown[]) => void>>();
  const client = {
    state: 'connected',
    on(event: string, handler: (...args: unknown[]) => void) {
      const set = handlers.get(event) ?? handlers.set(event, new Set()).get(event)!;
      set.add(handler);
      return () => set.delete(handler);
    },
    emit(event: string, state: string, ...args: unknown[]) {
      client.state = state;
      for (const handler of handlers.get(event) ?? []) handler(...args);
    },
    listeners: () => [...handlers.values()].reduce((n, set) => n + set.size, 0),
  };
  return client;
}

const statuses = () => {
  const seen: string[] = [];
  const listener = (status: string, error?: Error) =>
    seen.push(
      error ? `${status} ${(error as Error & { code?: string }).code ?? error.message}` : status,
    );
  return { seen, listener };
};

describe('subscribeWithStatus', () => {
  it('derives statuses from the events of a client that does not report them', async () => {
    const client = stubClient();
    let options!: SubscribeOptions;
    const unsubscribe = vi.fn();
    const { seen, listener } = statuses();
    const stop = await subscribeWithStatus(
      client as unknown as NoexClient,
      async (o) => ((options = o), unsubscribe as Unsubscribe),
      listener,
    );
    client.emit('disconnected', 'reconnecting', 'connection closed (1006)');
    client.emit('reconnected', 'connected');
    client.emit('disconnected', 'reconnecting', 'connection closed (1006)');
    options.onLost!(Object.assign(new Error('lost'), { code: 'SUBSCRIPTION_LOST' }));
    client.emit('reconnected', 'connected');
    expect(seen).toEqual(['restoring', 'live', 'restoring', 'ended SUBSCRIPTION_LOST']);
    stop();
    expect(unsubscribe).toHaveBeenCalledOnce();
    expect(client.listeners()).toBe(0);
  });

  it('reports a client disconnected for good as ended with a DisconnectedError', async () => {
    const client = stubClient();
    const { seen, listener } = statuses();
    await subscribeWithStatus(client as unknown as NoexClient, async () => () => {}, listener);
    client.emit('disconnected', 'disconnected', 'client disconnect');
    expect(seen).toEqual(['ended DISCONNECTED']);
  });

  it('takes a client that reports statuses itself at its word, and derives nothing', async () => {
    const client = stubClient();
    let options!: SubscribeOptions & { onStatus: (status: string, error?: Error) => void };
    const { seen, listener } = statuses();
    const stop = await subscribeWithStatus(
      client as unknown as NoexClient,
      async (o) => {
        options = o as typeof options;
        return Object.assign(() => {}, { status: 'live' as const });
      },
      listener,
    );
    expect(client.listeners()).toBe(0);
    client.emit('disconnected', 'reconnecting', 'connection closed (1006)');
    expect(seen).toEqual([]);
    options.onStatus('restoring');
    options.onStatus('live');
    const lost = Object.assign(new Error('lost'), { code: 'SUBSCRIPTION_LOST' });
    options.onLost!(lost);
    options.onStatus('ended', lost);
    expect(seen).toEqual(['restoring', 'live', 'ended SUBSCRIPTION_LOST']);
    stop();
  });
});
