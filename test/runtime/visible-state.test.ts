import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { DisconnectedError, type ConnectionState, type Unsubscribe } from '../../index.js';
import { MockError, MockServer, NO_REPLY } from '../../testing/mock-server.js';
import { dropConnection, nextEvent } from '../helpers.js';

/** What the client shows of itself: state changes, subscription statuses, inspect(). */

const fast = { initialDelayMs: 0, jitterMs: 0 };

describe('state you can see', () => {
  it('tells every state change, connecting included', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    const changes: [ConnectionState, ConnectionState][] = [];
    client.on('statechange', (state, previous) => changes.push([state, previous]));
    await client.connect();
    await dropConnection(server, client, 'reconnected');
    await client.disconnect();
    expect(changes).toEqual([
      ['connecting', 'disconnected'],
      ['connected', 'connecting'],
      ['reconnecting', 'connected'],
      ['connected', 'reconnecting'],
      ['disconnected', 'connected'],
    ]);
  });

  it('gives each subscription a status, its current data and a reason when it ends', async () => {
    await using server = await MockServer.start();
    let restores = 0;
    server.handle('store.subscribe', ({ query }) => {
      if (query === 'doomed' && ++restores > 1)
        throw new MockError('QUERY_NOT_DEFINED', 'Query "doomed" is not defined');
      return { subscriptionId: server.nextSubscriptionId(), data: `${query}-initial` };
    });
    await using client = new NoexClient(server.url, { reconnect: fast });
    client.on('error', () => {});
    await client.connect();
    const statuses: string[] = [];
    const kept = await client.store.subscribe('kept', () => {}, undefined, {
      onStatus: (status) => statuses.push(status),
    });
    const ends: (Error | undefined)[] = [];
    const doomed = await client.store.subscribe('doomed', () => {}, undefined, {
      onStatus: (status, error) => status === 'ended' && ends.push(error),
    });
    expect(kept.status).toBe('live');
    expect(kept.current).toBe('kept-initial');
    server.connection.push('sub-1', 'kept-pushed');
    await vi.waitFor(() => expect(kept.current).toBe('kept-pushed'));
    await dropConnection(server, client, 'reconnected');
    expect(statuses).toEqual(['restoring', 'live']);
    expect(doomed.status).toBe('ended');
    expect(ends[0]).toMatchObject({ code: 'SUBSCRIPTION_LOST' });
    expect(doomed.error).toBe(ends[0]);
    expect(client.inspect().subscriptions).toEqual([
      { type: 'store.subscribe', payload: { query: 'kept', params: undefined }, status: 'live' },
    ]);
    kept();
    expect(kept.status).toBe('ended');
    expect(kept.error).toBeUndefined();
    expect(statuses).toEqual(['restoring', 'live', 'ended']);
  });

  it('keeps each Unsubscribe a plain function whose status, current and error read right after every change', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', ({ query }) => ({
      subscriptionId: server.nextSubscriptionId(),
      data: `${query}-initial`,
    }));
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const seen: [string, unknown, unknown][] = [];
    const a: Unsubscribe = await client.store.subscribe('a', () => {}, undefined, {
      onStatus: (status) => seen.push([status, a.status, a.current]),
    });
    const b = await client.store.subscribe('b', (data) => seen.push(['data', b.current, data]));
    expect(typeof a).toBe('function');
    expect(a).toBeInstanceOf(Function);
    expect(typeof a.call).toBe('function');
    expect([a.status, a.current, a.error]).toEqual(['live', 'a-initial', undefined]);
    expect([b.status, b.current]).toEqual(['live', 'b-initial']);
    server.connection.push('sub-2', 'b-pushed');
    await vi.waitFor(() => expect(b.current).toBe('b-pushed'));
    expect(seen).toContainEqual(['data', 'b-pushed', 'b-pushed']);
    expect(a.current).toBe('a-initial');
    await dropConnection(server, client, 'reconnected');
    // Each status is readable on the handle as onStatus reports it; the restore delivers afresh.
    expect(seen.filter(([kind]) => kind !== 'data')).toEqual([
      ['restoring', 'restoring', 'a-initial'],
      ['live', 'live', 'a-initial'],
    ]);
    expect([a.current, b.current, b.status]).toEqual(['a-initial', 'b-initial', 'live']);
    Reflect.apply(a, undefined, []);
    expect([a.status, a.error, a.current]).toEqual(['ended', undefined, 'a-initial']);
    expect(seen.at(-1)).toEqual(['ended', 'ended', 'a-initial']);
    a();
    expect(seen.filter(([kind]) => kind === 'ended')).toHaveLength(1);
    expect(b.status).toBe('live');
    expect(client.inspect().subscriptions).toEqual([
      { type: 'store.subscribe', payload: { query: 'b', params: undefined }, status: 'live' },
    ]);
    await server.waitFor(() => server.requests('store.unsubscribe').length === 1);
    expect(server.requests('store.unsubscribe')[0]).toMatchObject({ subscriptionId: 'sub-3' });
  });

  it('tells a subscription still waiting to be restored nothing new when the connection drops again', async () => {
    await using server = await MockServer.start();
    let hold = false;
    server.handle('store.subscribe', () =>
      hold ? NO_REPLY : { subscriptionId: server.nextSubscriptionId(), data: null },
    );
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const statuses: string[] = [];
    const held = await client.store.subscribe('q', () => {}, undefined, {
      onStatus: (status) => statuses.push(status),
    });
    hold = true;
    await dropConnection(server, client, 'reconnecting');
    await server.waitFor(() => server.requests('store.subscribe').length === 2);
    expect(held.status).toBe('restoring');
    hold = false;
    await dropConnection(server, client, 'reconnected');
    expect(statuses).toEqual(['restoring', 'live']);
    expect(held.status).toBe('live');
    expect(client.inspect().subscriptions).toHaveLength(1);
  });

  it('does not re-create a subscription cancelled while it waits to be restored', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', ({ query }) => ({
      subscriptionId: server.nextSubscriptionId(),
      data: query,
    }));
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 50, jitterMs: 0 },
    });
    await client.connect();
    const a = await client.store.subscribe('a', () => {});
    const b = await client.store.subscribe('b', () => {});
    await dropConnection(server, client, 'reconnecting');
    expect([a.status, b.status]).toEqual(['restoring', 'restoring']);
    a();
    expect([a.status, a.error]).toEqual(['ended', undefined]);
    expect(client.inspect().subscriptions).toMatchObject([{ payload: { query: 'b' } }]);
    await nextEvent(client, 'reconnected');
    expect(server.requests('store.subscribe').map(({ query }) => query)).toEqual(['a', 'b', 'b']);
    expect(server.requests('store.unsubscribe')).toEqual([]);
    expect([a.status, b.status]).toEqual(['ended', 'live']);
    expect(client.inspect().subscriptions).toMatchObject([
      { payload: { query: 'b' }, status: 'live' },
    ]);
  });

  it('ends held subscriptions with DisconnectedError on disconnect(), and watch streams with them', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: 1,
    }));
    const client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const held = await client.store.subscribe('q', () => {});
    const stream = client.store.watch('q');
    await expect(stream.next()).resolves.toEqual({ value: 1, done: false });
    const pending = stream.next().catch((error: unknown) => error);
    await client.disconnect();
    expect(held.status).toBe('ended');
    expect(held.error).toBeInstanceOf(DisconnectedError);
    expect(await pending).toBeInstanceOf(DisconnectedError);
  });

  it('shows what the client holds in inspect()', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => NO_REPLY);
    server.handle('rules.subscribe', () => ({ subscriptionId: 'sub-1' }));
    await using client = new NoexClient(server.url, { reconnect: false });
    expect(client.inspect()).toEqual({
      state: 'disconnected',
      pendingCalls: 0,
      waitingCalls: 0,
      subscriptions: [],
      reconnects: 0,
      rttMs: undefined,
    });
    await client.connect();
    void client.store.buckets().catch(() => {});
    await client.rules.subscribe('order.*', () => {});
    expect(client.inspect()).toMatchObject({
      state: 'connected',
      pendingCalls: 1,
      subscriptions: [{ type: 'rules.subscribe', payload: { pattern: 'order.*' }, status: 'live' }],
    });
  });
});
