import { describe, expect, it, vi } from 'vitest';
import { NO_REPLY } from '../../testing/mock-server.js';
import { connectedPair, dropConnection, framesOf } from '../helpers.js';

const alice = { id: 'a', name: 'Alice', _version: 1, _createdAt: 1, _updatedAt: 1 };
const bob = { id: 'b', name: 'Bob', _version: 1, _createdAt: 2, _updatedAt: 2 };

describe('store subscriptions', () => {
  it('delivers the initial result before subscribe resolves, then every push', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-7', data: [alice] }));
    const seen: unknown[] = [];
    const unsubscribe = await client.store.subscribe('all-users', (data) => seen.push(data));
    expect(seen).toEqual([[alice]]);
    server.connection.push('sub-7', [alice, bob]);
    await vi.waitFor(() => expect(seen).toEqual([[alice], [alice, bob]]));
    expect(typeof unsubscribe).toBe('function');
  });

  it('sends params and delivers scalar results as they come', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 2 }));
    const seen: unknown[] = [];
    await client.store.subscribe('user-count', (n) => seen.push(n), { role: 'admin' });
    server.connection.push('sub-1', 3);
    await vi.waitFor(() => expect(seen).toEqual([2, 3]));
    expect(framesOf(server)).toEqual([
      { type: 'store.subscribe', query: 'user-count', params: { role: 'admin' } },
    ]);
  });

  it('calls back nothing initially when the server sends no data (an empty min/max query)', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1' }));
    const callback = vi.fn();
    await pair.client.store.subscribe('min-age', callback);
    expect(callback).not.toHaveBeenCalled();
  });

  it('unsubscribe stops the callback at once and tells the server in the background', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-3', data: [] }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    const callback = vi.fn();
    const unsubscribe = await client.store.subscribe('all-users', callback);
    const result = unsubscribe();
    expect(result).toBeUndefined();
    server.connection.push('sub-3', [alice]);
    await server.waitFor(() => server.requests('store.unsubscribe').length === 1);
    expect(server.requests('store.unsubscribe')[0]).toMatchObject({ subscriptionId: 'sub-3' });
    unsubscribe();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(server.requests('store.unsubscribe')).toHaveLength(1);
  });

  it('store.unsubscribe(id) cancels by server id and forgets the local callback', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-4', data: [] }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    const callback = vi.fn();
    await client.store.subscribe('all-users', callback);
    await expect(client.store.unsubscribe('sub-4')).resolves.toBeUndefined();
    server.connection.push('sub-4', [alice]);
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    await client.store.buckets();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('reports a throwing callback on error and keeps delivering', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-5', data: 0 }));
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const seen: unknown[] = [];
    await client.store.subscribe('user-count', (n) => {
      seen.push(n);
      throw new Error(`bad callback ${String(n)}`);
    });
    server.connection.push('sub-5', 1);
    await vi.waitFor(() => expect(seen).toEqual([0, 1]));
    expect(errors.map((e) => e.message)).toEqual(['bad callback 0', 'bad callback 1']);
  });

  it('ignores pushes for subscriptions it does not hold', async () => {
    await using pair = await connectedPair();
    const onError = vi.fn();
    pair.client.on('error', onError);
    pair.server.connection.push('sub-99', [alice]);
    pair.server.handle('store.buckets', () => ({ count: 0, names: [] }));
    await pair.client.store.buckets();
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('rules subscriptions', () => {
  const event = {
    id: 'e1',
    topic: 'order.created',
    data: { orderId: 'o-1' },
    timestamp: 1,
    source: 'api',
  };

  it('calls back (event, topic) for each event push, even those that arrive before emit’s result', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('rules.subscribe', () => ({ subscriptionId: 'sub-6' }));
    server.handle('rules.emit', (_, { connection }) => {
      connection.push('sub-6', { topic: 'order.created', event }, 'event');
      connection.push(
        'sub-6',
        {
          topic: 'order.confirmed',
          event: { ...event, id: 'e2', topic: 'order.confirmed', source: 'rule' },
        },
        'event',
      );
      return event;
    });
    const seen: Array<[unknown, string]> = [];
    await client.rules.subscribe('order.*', (e, topic) => seen.push([e, topic]));
    const emitted = await client.rules.emit('order.created', { orderId: 'o-1' });
    expect(emitted).toEqual(event);
    expect(seen.map(([, topic]) => topic)).toEqual(['order.created', 'order.confirmed']);
    expect(seen[0]![0]).toEqual(event);
  });

  it('unsubscribes with rules.unsubscribe', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('rules.subscribe', () => ({ subscriptionId: 'sub-8' }));
    server.handle('rules.unsubscribe', () => ({ unsubscribed: true }));
    const unsubscribe = await client.rules.subscribe('*', () => {});
    unsubscribe();
    await server.waitFor(() => server.requests('rules.unsubscribe').length === 1);
    expect(framesOf(server).at(-1)).toEqual({ type: 'rules.unsubscribe', subscriptionId: 'sub-8' });
  });
});

describe('pushes right behind a subscribe result', () => {
  it('are delivered, for a new subscription and for one restored after a reconnect', async () => {
    await using pair = await connectedPair({ reconnect: { initialDelayMs: 0, jitterMs: 0 } });
    const { server, client } = pair;
    let n = 0;
    server.handle('store.subscribe', (_, { connection, frame }) => {
      const subscriptionId = `sub-${++n}`;
      connection.send({ id: frame.id, type: 'result', data: { subscriptionId, data: 'initial' } });
      connection.push(subscriptionId, `pushed on ${subscriptionId}`);
      return NO_REPLY;
    });
    const seen: unknown[] = [];
    await client.store.subscribe('q', (data) => seen.push(data));
    await vi.waitFor(() => expect(seen).toEqual(['initial', 'pushed on sub-1']));
    await dropConnection(server, client, 'reconnected');
    await vi.waitFor(() =>
      expect(seen).toEqual(['initial', 'pushed on sub-1', 'initial', 'pushed on sub-2']),
    );
  });
});
