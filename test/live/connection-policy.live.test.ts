import { expect, it, vi } from 'vitest';
import { RateLimitedError } from '../../index.js';
import { describeLive, LIMITS, liveClient, startServer } from './harness.js';

/** Calls across connection changes, against the real server. */

const nextReconnect = (client: ReturnType<typeof liveClient>) =>
  new Promise<void>((resolve) => {
    const off = client.on('reconnected', () => (off(), resolve()));
  });

describeLive('live: a connection nobody has to babysit', () => {
  it('asks a token function afresh when the server restarts, and the session comes back', async () => {
    const live = await startServer('tokens');
    const tokens: string[] = [];
    const client = liveClient(live.url, {
      auth: {
        token: async () => {
          tokens.push('writer-token');
          return 'writer-token';
        },
      },
      reconnect: { initialDelayMs: 50, jitterMs: 0, maxDelayMs: 200 },
    });
    await client.connect();
    expect(await client.auth.whoami()).toMatchObject({ authenticated: true, userId: 'writer-1' });
    const back = nextReconnect(client);
    const restarted = await live.restart();
    await back;
    expect(tokens).toHaveLength(2);
    expect(await client.auth.whoami()).toMatchObject({ authenticated: true, userId: 'writer-1' });
    await restarted.stop();
  });

  it('raises RateLimitedError with the rate limiter’s retryAfterMs, and without it for the subscription limit', async () => {
    const live = await startServer('limits');
    const client = liveClient(live.url);
    await client.connect();
    await client.store.subscribe('all-items', () => {});
    const refused = await client.store.subscribe('all-items', () => {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: undefined });
    expect((refused as Error).message).toContain('Subscription limit');

    let limited: unknown;
    for (let i = 0; i < LIMITS.maxRequests + 2 && !limited; i++) {
      limited = await client.store
        .bucket('items')
        .count()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    }
    expect(limited).toBeInstanceOf(RateLimitedError);
    const { retryAfterMs } = limited as RateLimitedError;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(LIMITS.windowMs);
  });

  it('reconnect() drops the socket, restores every subscription once on a fresh connection, and held unsubscribes work', async () => {
    const live = await startServer('open');
    const client = liveClient(live.url, { reconnect: { initialDelayMs: 60_000 } });
    await client.connect();
    const counts: number[] = [];
    const users = await client.store.subscribe('user-count', (n) => counts.push(n as number));
    const topics: string[] = [];
    const orders = await client.rules.subscribe('order.*', (_event, topic) => topics.push(topic));
    const [before] = await client.server.connections();

    await client.reconnect();
    expect(users.status).toBe('live');
    const connections = await client.server.connections();
    expect(connections).toHaveLength(1);
    expect(connections[0]!.connectionId).not.toBe(before!.connectionId);
    expect(connections[0]).toMatchObject({ storeSubscriptionCount: 1, rulesSubscriptionCount: 1 });
    expect(counts).toEqual([0, 0]);

    await client.store.bucket('users').insert({ name: 'Ann' });
    await vi.waitFor(() => expect(counts.at(-1)).toBe(1));
    await client.rules.emit('order.created', { orderId: 'o-1' });
    await vi.waitFor(() => expect(topics).toContain('order.created'));
    users();
    orders();
    await vi.waitFor(async () =>
      expect((await client.server.connections())[0]).toMatchObject({
        storeSubscriptionCount: 0,
        rulesSubscriptionCount: 0,
      }),
    );
  });

  it('ends a subscription whose query this client undefined, and one undefined by another at the next restore', async () => {
    const live = await startServer('open');
    const client = liveClient(live.url, { reconnect: { initialDelayMs: 60_000 } });
    const other = liveClient(live.url);
    client.on('error', () => {});
    await client.connect();
    await other.connect();
    const filter = { role: 'admin' };
    await client.store.defineQuery('admins', { bucket: 'users', filter });
    await client.store.defineQuery('writers', { bucket: 'users', filter: { role: 'writer' } });
    const ends: (Error | undefined)[] = [];
    const admins = await client.store.subscribe('admins', () => {}, undefined, {
      onStatus: (status, error) => status === 'ended' && ends.push(error),
    });
    const writers = await client.store.subscribe('writers', () => {});

    // The server ends its subscription silently; the client that undefined the query ends its own.
    await client.store.undefineQuery('admins');
    expect(admins.status).toBe('ended');
    expect(ends[0]).toMatchObject({ code: 'SUBSCRIPTION_ENDED' });
    const held = (await client.server.connections()).map((c) => c.storeSubscriptionCount);
    expect(held.sort()).toEqual([0, 1]);

    // Undefined by another client: the server says nothing, so the subscription looks live
    // until the next restore, where the server refuses it and it ends with the refusal.
    await other.store.undefineQuery('writers');
    expect(writers.status).toBe('live');
    await client.reconnect();
    expect(writers.status).toBe('ended');
    expect(writers.error).toMatchObject({ code: 'SUBSCRIPTION_LOST' });
    expect((writers.error!.cause as { code: string }).code).toBe('QUERY_NOT_DEFINED');
  });
});
