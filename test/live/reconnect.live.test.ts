import { expect, it, vi } from 'vitest';
import { DisconnectedError, NoexClientError } from '../../index.js';
import { describeLive, liveClient, startServer } from './harness.js';

const fastReconnect = { initialDelayMs: 20, jitterMs: 0, maxDelayMs: 100 } as const;

type User = { name: string; role?: string };

/** Resolves on the client's next `reconnected` event. */
const nextReconnect = (client: ReturnType<typeof liveClient>) =>
  new Promise<void>((resolve) => {
    const off = client.on('reconnected', () => {
      off();
      resolve();
    });
  });

describeLive('live: reconnect against noex-server 0.1.4', () => {
  it('restores store and rules subscriptions on a new server on the same port; held unsubscribes still work', async () => {
    const first = await startServer('open');
    const client = liveClient(first.url, { reconnect: fastReconnect });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await client.connect();
    await client.store.bucket<User>('users').insert({ name: 'Before' });
    const admins: User[][] = [];
    const unsubscribeAdmins = await client.store.subscribe(
      'users-by-role',
      (data) => admins.push(data as User[]),
      { role: 'admin' },
    );
    const all: User[][] = [];
    const unsubscribeAll = await client.store.subscribe('all-users', (data) =>
      all.push(data as User[]),
    );
    const topics: string[] = [];
    const unsubscribeRules = await client.rules.subscribe('order.*', (_event, topic) =>
      topics.push(topic),
    );
    expect(all.map((d) => d.length)).toEqual([1]);

    const reconnected = nextReconnect(client);
    await first.stop();
    const second = await startServer('open', { port: first.port });
    await reconnected;
    expect(client.state).toBe('connected');

    // Each subscription was re-created once with fresh data from the new (empty) server.
    expect(admins).toEqual([[], []]);
    expect(all.map((d) => d.length)).toEqual([1, 0]);
    const [connection] = await client.server.connections();
    expect(connection).toMatchObject({ storeSubscriptionCount: 2, rulesSubscriptionCount: 1 });

    // Pushes flow on the new connection, for store and rules subscriptions.
    await client.store.bucket<User>('users').insert({ name: 'Ada', role: 'admin' });
    await vi.waitFor(() => expect(admins.at(-1)?.map((u) => u.name)).toEqual(['Ada']));
    await vi.waitFor(() => expect(all.at(-1)?.map((u) => u.name)).toEqual(['Ada']));
    await client.rules.emit('order.created', { orderId: 'after-restart' });
    await vi.waitFor(() => expect(topics.sort()).toEqual(['order.confirmed', 'order.created']));

    // The unsubscribes held from before the restart end the new server's subscriptions.
    unsubscribeAdmins();
    unsubscribeAll();
    unsubscribeRules();
    await vi.waitFor(async () =>
      expect((await client.server.stats()).connections).toMatchObject({
        totalStoreSubscriptions: 0,
        totalRulesSubscriptions: 0,
      }),
    );
    const counts = [admins.length, all.length, topics.length];
    await client.store.bucket<User>('users').insert({ name: 'Unseen', role: 'admin' });
    await client.rules.emit('order.created', { orderId: 'unseen' });
    expect([admins.length, all.length, topics.length]).toEqual(counts);
    expect(errors).toEqual([]);
    await second.stop();
  });

  it('reports SUBSCRIPTION_LOST on error for a declarative query the new server does not have, and keeps the rest', async () => {
    const first = await startServer('open');
    const client = liveClient(first.url, { reconnect: fastReconnect });
    const errors: NoexClientError[] = [];
    client.on('error', (e) => errors.push(e as NoexClientError));
    await client.connect();
    await client.store.defineQuery('named-users', { bucket: 'users', fields: ['name'] });
    const named: unknown[] = [];
    await client.store.subscribe('named-users', (data) => named.push(data));
    const all: unknown[] = [];
    await client.store.subscribe('all-users', (data) => all.push(data));

    const reconnected = nextReconnect(client);
    await first.stop();
    await startServer('open', { port: first.port });
    await reconnected;

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NoexClientError);
    expect(errors[0]).toMatchObject({ code: 'SUBSCRIPTION_LOST' });
    expect(errors[0]!.message).toContain('named-users');
    expect((errors[0]!.cause as NoexClientError).code).toBe('QUERY_NOT_DEFINED');
    // The lost one is dropped; the other one was restored.
    expect(named).toHaveLength(1);
    expect(all).toEqual([[], []]);
    const [connection] = await client.server.connections();
    expect(connection!.storeSubscriptionCount).toBe(1);
  });

  it('rejects requests pending when the server stops with DisconnectedError, and works again after reconnecting', async () => {
    const first = await startServer('open');
    // A query that answers slowly keeps the request pending while the server stops.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const isRunning = new Promise<void>((resolve) => (entered = resolve));
    first.store.defineQuery('slow', async (ctx: { bucket(name: string): { all(): unknown } }) => {
      entered();
      await released;
      return ctx.bucket('users').all();
    });
    const client = liveClient(first.url, { reconnect: fastReconnect });
    await client.connect();
    const pending = client.store.subscribe('slow', () => {});
    const queued = client.store.bucket('users').count();
    await isRunning;

    const reconnected = nextReconnect(client);
    // The busy connection holds up the stop: noex-server closes it when its supervisor's
    // 5 s shutdown timeout ends, and only then do the pending requests fail.
    const stopped = first.stop();
    const [subscribeError, countError] = await Promise.all([
      pending.catch((e: unknown) => e),
      queued.catch((e: unknown) => e),
    ]);
    release();
    await stopped;
    for (const error of [subscribeError, countError]) {
      expect(error).toBeInstanceOf(DisconnectedError);
      expect(error).toMatchObject({ code: 'DISCONNECTED' });
    }
    // Calls made while the client is reconnecting fail at once rather than queue.
    expect(client.state).toBe('reconnecting');
    await expect(client.store.bucket('users').count()).rejects.toBeInstanceOf(DisconnectedError);

    await startServer('open', { port: first.port });
    await reconnected;
    expect(await client.store.bucket('users').count()).toBe(0);
  });
});
