import { expect, it, vi } from 'vitest';
import { NoexClientError, type RuleEvent } from '../../index.js';
import { describeLive, framesOf, liveClient, startServer } from './harness.js';

/** The seed's (README's) examples, run as written against the real server. */
describeLive('live: the README examples against noex-server 0.1.4', () => {
  it('quick start: CRUD, a reactive subscription, a rules emit, cleanup', async () => {
    const server = await startServer('open');
    const client = liveClient(server.url);
    await client.connect();

    // Store CRUD
    const users = client.store.bucket<{ name: string }>('users');
    const alice = await users.insert({ name: 'Alice' });
    const allUsers = await users.all();
    expect(allUsers).toEqual([alice]);

    // Reactive subscription
    const updates: unknown[] = [];
    const unsub = await client.store.subscribe('all-users', (data) => updates.push(data));
    expect(updates).toEqual([[alice]]);

    // Rules
    const events: [RuleEvent, string][] = [];
    await client.rules.subscribe('user.*', (event, topic) => events.push([event, topic]));
    const event = await client.rules.emit('user.created', { userId: alice.id });
    expect(event).toMatchObject({ topic: 'user.created', data: { userId: alice.id } });
    expect(events).toEqual([[event, 'user.created']]);

    // Cleanup
    unsub();
    await client.disconnect();
    expect(client.state).toBe('disconnected');
    await vi.waitFor(() => expect(server.server.getConnections()).toEqual([]));
  });

  it('`await using` disconnects the client at the end of the block', async () => {
    const server = await startServer('open');
    let outside: ReturnType<typeof liveClient>;
    {
      await using client = liveClient(server.url);
      outside = client;
      await client.connect();
      await client.store.bucket<{ name: string }>('users').insert({ name: 'Alice' });
      expect(server.server.getConnections()).toHaveLength(1);
    }
    expect(outside.state).toBe('disconnected');
    await vi.waitFor(() => expect(server.server.getConnections()).toEqual([]));
    await expect(outside.store.bucket('users').count()).rejects.toMatchObject({
      code: 'DISCONNECTED',
    });
  });

  it('auth and reconnect: logs in with the token, and again after the server restarts, restoring subscriptions', async () => {
    const server = await startServer('tokens');
    const client = liveClient(server.url, {
      auth: { token: 'writer-token' },
      reconnect: { maxRetries: 10, initialDelayMs: 50, maxDelayMs: 15_000, jitterMs: 0 },
      requestTimeoutMs: 5_000,
    });
    const log: string[] = [];
    client.on('reconnecting', (attempt) => log.push(`Reconnecting... attempt ${attempt}`));
    client.on('reconnected', () => log.push('Reconnected! Subscriptions restored.'));
    const welcome = await client.connect();
    expect(welcome.requiresAuth).toBe(true);
    expect(await client.auth.whoami()).toMatchObject({ authenticated: true, userId: 'writer-1' });
    const items = client.store.bucket<{ title: string }>('items');
    await items.insert({ title: 'kept in the store' });
    const seen: unknown[][] = [];
    await client.store.subscribe('all-items', (data) => seen.push(data as unknown[]));

    // A restart that keeps the store: the same records come back on the restored subscription.
    const restarted = await server.restart();
    await vi.waitFor(() => expect(log).toContain('Reconnected! Subscriptions restored.'));
    expect(log[0]).toBe('Reconnecting... attempt 1');
    expect(seen.map((d) => d.length)).toEqual([1, 1]);
    expect(await client.auth.whoami()).toMatchObject({ authenticated: true, userId: 'writer-1' });
    expect(framesOf(client).sent.filter((f) => f.type === 'auth.login')).toEqual([
      expect.objectContaining({ token: 'writer-token' }),
      expect.objectContaining({ token: 'writer-token' }),
    ]);
    expect(restarted.server.getConnections()).toEqual([
      expect.objectContaining({ userId: 'writer-1', storeSubscriptionCount: 1 }),
    ]);
  });

  it('error handling: a server error is a NoexClientError with the server’s code and details', async () => {
    const server = await startServer('open');
    const client = liveClient(server.url);
    await client.connect();
    try {
      await client.store.bucket('users').insert({ role: 'admin' });
      expect.unreachable('the insert should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(NoexClientError);
      const error = e as NoexClientError;
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details).toEqual([expect.objectContaining({ field: 'name', code: 'required' })]);
    }
  });
});

describeLive('live: rules subscriptions by id against noex-server 0.1.4', () => {
  it('unsubscribes a rules subscription by id; an unknown id or a store subscription id fails with NOT_FOUND', async () => {
    const server = await startServer('open');
    const client = liveClient(server.url);
    await client.connect();
    const started = await client.request('rules.subscribe', { pattern: 'order.*' });
    expect(started).toEqual({ subscriptionId: expect.stringMatching(/^sub-\d+$/) });
    const storeSub = await client.request('store.subscribe', { query: 'user-count' });
    expect(storeSub.data).toBe(0);
    expect((await client.server.stats()).connections.totalRulesSubscriptions).toBe(1);

    await client.rules.unsubscribe(started.subscriptionId);
    expect((await client.server.stats()).connections.totalRulesSubscriptions).toBe(0);
    await expect(client.rules.unsubscribe(started.subscriptionId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Store and rules subscription ids come from one counter but are not interchangeable.
    await expect(client.rules.unsubscribe(storeSub.subscriptionId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await client.store.unsubscribe(storeSub.subscriptionId);
  });
});
