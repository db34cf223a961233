import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { backoffDelay, defaultReconnect } from '../../runtime/backoff.js';
import { DisconnectedError } from '../../runtime/index.js';
import { MockServer, NO_REPLY } from '../../testing/mock-server.js';
import { dropConnection, nextEvent } from '../helpers.js';

const fast = { initialDelayMs: 0, jitterMs: 0 };

describe('backoff', () => {
  it('grows exponentially, is capped, and adds up to jitterMs of random delay', () => {
    const policy = {
      ...defaultReconnect,
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      backoffMultiplier: 2,
      jitterMs: 50,
    };
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, none))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(125);
    expect(backoffDelay(policy, 9, () => 0.999)).toBeCloseTo(1049.95);
  });
});

describe('reconnect', () => {
  it('comes back after the connection drops: reconnecting(1), then connected and reconnected', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    const events: string[] = [];
    client.on('reconnecting', (n) => events.push(`reconnecting ${n} (${client.state})`));
    client.on('connected', () => events.push('connected'));
    client.on('reconnected', () => events.push('reconnected'));
    client.on('disconnected', (r) => events.push(`disconnected ${r}`));
    await client.connect();
    events.length = 0;
    await dropConnection(server, client, 'reconnected');
    expect(events).toEqual([
      'disconnected connection closed (1006)',
      'reconnecting 1 (reconnecting)',
      'connected',
      'reconnected',
    ]);
    expect(client.state).toBe('connected');
    expect(server.connections.filter((c) => !c.closed)).toHaveLength(1);
  });

  it('restores every subscription once, with fresh data, and the held unsubscribe uses the new id', async () => {
    await using server = await MockServer.start();
    let count = 0;
    server.handle('store.subscribe', ({ query }) => ({
      subscriptionId: server.nextSubscriptionId(),
      data: `${query}#${++count}`,
    }));
    server.handle('rules.subscribe', () => ({ subscriptionId: server.nextSubscriptionId() }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const unsubscribeA = await client.store.subscribe('a', (d) => seenA.push(d));
    await client.store.subscribe('b', (d) => seenB.push(d), { x: 1 });
    await client.rules.subscribe('order.*', () => {});
    expect(server.requests('store.subscribe')).toHaveLength(2);

    await dropConnection(server, client, 'reconnected');
    expect(server.requests('store.subscribe').map((f) => [f.query, f.params])).toEqual([
      ['a', undefined],
      ['b', { x: 1 }],
      ['a', undefined],
      ['b', { x: 1 }],
    ]);
    expect(server.requests('rules.subscribe')).toHaveLength(2);
    expect(seenA).toEqual(['a#1', 'a#3']);
    expect(seenB).toEqual(['b#2', 'b#4']);

    const newIdOfA = 'sub-4';
    server.connection.push(newIdOfA, 'pushed');
    await vi.waitFor(() => expect(seenA).toEqual(['a#1', 'a#3', 'pushed']));
    server.connection.push('sub-1', 'stale id');
    unsubscribeA();
    await server.waitFor(() => server.requests('store.unsubscribe').length === 1);
    expect(server.requests('store.unsubscribe')[0]).toMatchObject({ subscriptionId: newIdOfA });
    expect(seenA).toEqual(['a#1', 'a#3', 'pushed']);
  });

  it('reports a subscription that cannot be restored and drops it', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: [],
    }));
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await client.store.subscribe('gone', () => {});
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    server.handle('store.subscribe', () => {
      throw Object.assign(new Error('Query "gone" is not defined'), {});
    });
    await dropConnection(server, client, 'reconnected');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'SUBSCRIPTION_LOST' });
    expect(errors[0]!.message).toBe(
      'store.subscribe {"query":"gone"} could not be restored after reconnecting: Query "gone" is not defined',
    );
  });

  it('fails requests made while reconnecting at once, never retrying them', async () => {
    await using server = await MockServer.start();
    server.handle('store.insert', () => NO_REPLY);
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
    });
    await client.connect();
    const inFlight = client.store.bucket('users').insert({ name: 'A' });
    await server.waitFor(() => server.requests('store.insert').length === 1);
    server.connection.terminate();
    await expect(inFlight).rejects.toBeInstanceOf(DisconnectedError);
    expect(client.state).toBe('reconnecting');
    await expect(client.store.bucket('users').insert({ name: 'B' })).rejects.toThrow(
      'store.insert: not connected (reconnecting)',
    );
    await client.disconnect();
    expect(server.requests('store.insert')).toHaveLength(1);
  });

  it('gives up after maxRetries and says so with disconnected', async () => {
    const server = await MockServer.start();
    const client = new NoexClient(server.url, {
      reconnect: { ...fast, maxRetries: 2 },
      connectTimeoutMs: 200,
    });
    await client.connect();
    const attempts: number[] = [];
    client.on('reconnecting', (n) => attempts.push(n));
    const url = server.url;
    const gaveUp = new Promise<[string]>((resolve) =>
      client.on('disconnected', (reason) => reason.startsWith('gave up') && resolve([reason])),
    );
    await server.close();
    const [reason] = await gaveUp;
    expect(attempts).toEqual([1, 2]);
    expect(reason).toBe(`gave up reconnecting to ${url}`);
    expect(client.state).toBe('disconnected');
  });

  it('stops a reconnect loop at once on disconnect()', async () => {
    const server = await MockServer.start();
    const client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
    });
    await client.connect();
    await dropConnection(server, client, 'reconnecting');
    const connections = server.connections.length;
    await client.disconnect();
    expect(client.state).toBe('disconnected');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.connections).toHaveLength(connections);
    await server.close();
  });

  it.each([
    [4003, 'too_many_connections'],
    [1003, 'binary_not_supported'],
    [4002, 'session_revoked'],
  ])('does not retry after close code %i', async (code, reason) => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const reconnecting = vi.fn();
    client.on('reconnecting', reconnecting);
    const closed = nextEvent(client, 'disconnected');
    server.connection.close(code, reason);
    await expect(closed).resolves.toEqual([`connection closed (${code} ${reason})`]);
    expect(reconnecting).not.toHaveBeenCalled();
  });

  it('comes back to a server restarted on the same port', async () => {
    const first = await MockServer.start();
    const port = first.port;
    first.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 1 }));
    await using client = new NoexClient(first.url, {
      reconnect: { initialDelayMs: 20, jitterMs: 0 },
    });
    await client.connect();
    const seen: unknown[] = [];
    await client.store.subscribe('count', (n) => seen.push(n));
    await first.close();
    await using second = await MockServer.start({ port });
    second.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 2 }));
    await nextEvent(client, 'reconnected');
    expect(seen).toEqual([1, 2]);
    expect(second.requests('store.subscribe')).toHaveLength(1);
  });
});
