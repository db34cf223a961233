import { expect, it, vi } from 'vitest';
import { NoexClient, NoexClientError, type ClientOptions } from '../../index.js';
import { describeLive, liveClient, startServer, type LiveServer } from './harness.js';

// liveClient validates results strictly; these tests also turn reconnect off explicitly.
const strict = { reconnect: false } as const satisfies ClientOptions;

type Item = { title: string };

/** Spec mismatches the client reports on `error` instead of a call (pushes, protocol problems). */
function specErrors(client: NoexClient): Error[] {
  const errors: Error[] = [];
  client.on('error', (error) => {
    if (
      error instanceof NoexClientError &&
      ['RESULT_VALIDATION', 'PROTOCOL_ERROR'].includes(error.code)
    )
      errors.push(error);
  });
  return errors;
}

describeLive('live: token auth against noex-server 0.1.4', () => {
  it('logs in automatically with auth.token on connect, and whoami shows that token’s user', async () => {
    await using server = await startServer('tokens');
    await using client = liveClient(server.url, { ...strict, auth: { token: 'writer-token' } });
    const welcome = await client.connect();
    expect(welcome.requiresAuth).toBe(true);
    expect(await client.auth.whoami()).toEqual({
      authenticated: true,
      userId: 'writer-1',
      roles: ['writer'],
      expiresAt: null,
    });
    const item = await client.store.bucket<Item>('items').insert({ title: 'first' });
    expect(item).toMatchObject({ title: 'first', _version: 1 });
  });

  it('rejects connect() with UNAUTHORIZED for an unknown token and leaves the client disconnected', async () => {
    await using server = await startServer('tokens');
    await using client = liveClient(server.url, {
      ...strict,
      reconnect: true,
      auth: { token: 'no-such-token' },
    });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.state).toBe('disconnected');
  });

  it('rejects connect() with UNAUTHORIZED for an expired token and leaves the client disconnected', async () => {
    await using server = await startServer('tokens');
    await using client = liveClient(server.url, {
      ...strict,
      reconnect: true,
      auth: { token: 'expired-token' },
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.state).toBe('disconnected');
    expect(client.isConnected).toBe(false);
  });

  it('lets a reader read but refuses it a write with FORBIDDEN', async () => {
    await using server = await startServer('tokens');
    await using writer = liveClient(server.url, { ...strict, auth: { token: 'writer-token' } });
    await writer.connect();
    await writer.store.bucket<Item>('items').insert({ title: 'shared' });

    await using reader = liveClient(server.url, { ...strict, auth: { token: 'reader-token' } });
    await reader.connect();
    const items = reader.store.bucket<Item>('items');
    expect((await items.all()).map((i) => i.title)).toEqual(['shared']);
    const error = await items.insert({ title: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    await expect(reader.rules.emit('item.created', {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await items.count()).toBe(1);
  });

  it('logs in with auth.login at run time, switches session with another token, and logs out', async () => {
    await using server = await startServer('tokens');
    await using client = liveClient(server.url, strict);
    await client.connect();
    expect(await client.auth.whoami()).toEqual({ authenticated: false });
    await expect(client.store.bucket('items').all()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    expect(await client.auth.login('reader-token')).toEqual({
      userId: 'reader-1',
      roles: ['reader'],
      expiresAt: null,
    });
    expect(await client.store.bucket('items').all()).toEqual([]);
    expect(await client.auth.login('admin-token')).toMatchObject({
      userId: 'admin-1',
      roles: ['admin'],
    });
    expect(await client.auth.whoami()).toMatchObject({ authenticated: true, userId: 'admin-1' });
    expect((await client.server.stats()).authEnabled).toBe(true);

    await expect(client.auth.login('expired-token')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await client.auth.logout();
    expect(await client.auth.whoami()).toEqual({ authenticated: false });
    await expect(client.store.bucket('items').all()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('restores the token session and its subscription after the server restarts on the same port', async () => {
    let first: LiveServer | undefined = await startServer('tokens');
    const { port } = first;
    let second: LiveServer | undefined;
    const client = liveClient(first.url, {
      auth: { token: 'writer-token' },
      reconnect: { initialDelayMs: 50, jitterMs: 0, maxDelayMs: 200 },
    });
    const errors = specErrors(client);
    try {
      await client.connect();
      await client.store.bucket<Item>('items').insert({ title: 'before restart' });
      const seen: { title: string }[][] = [];
      const unsubscribe = await client.store.subscribe('all-items', (data) =>
        seen.push(data as Item[]),
      );
      expect(seen).toEqual([[expect.objectContaining({ title: 'before restart' })]]);

      const events: string[] = [];
      client.on('reconnecting', (attempt) => events.push(`reconnecting ${attempt}`));
      const reconnected = new Promise<void>((resolve) => client.on('reconnected', () => resolve()));

      await first.stop();
      first = undefined;
      second = await startServer('tokens', { port });
      await reconnected;
      expect(events[0]).toBe('reconnecting 1');
      expect(client.state).toBe('connected');

      // The session is back: same user, without a login call from the test.
      expect(await client.auth.whoami()).toMatchObject({
        authenticated: true,
        userId: 'writer-1',
        roles: ['writer'],
      });
      // The subscription was restored with fresh data: the new server's bucket is empty.
      await vi.waitFor(() => expect(seen.at(-1)).toEqual([]));
      const restoredAt = seen.length;

      await client.store.bucket<Item>('items').insert({ title: 'after restart' });
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(restoredAt));
      expect(seen.at(-1)).toEqual([expect.objectContaining({ title: 'after restart' })]);

      // The restored session and subscription are on the new server's connection.
      const restarted = second;
      expect(restarted.server.getConnections()).toEqual([
        expect.objectContaining({
          authenticated: true,
          userId: 'writer-1',
          storeSubscriptionCount: 1,
        }),
      ]);

      // The unsubscribe held from before the restart still stops the callback, and the server's subscription.
      unsubscribe();
      await vi.waitFor(() =>
        expect(restarted.server.getConnections()[0].storeSubscriptionCount).toBe(0),
      );
      const count = seen.length;
      await client.store.bucket<Item>('items').insert({ title: 'unseen' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(count);
      expect(errors).toEqual([]);
    } finally {
      await client.disconnect();
      await first?.stop();
      await second?.stop();
    }
  });
});

describeLive('live: token permissions and revocation against noex-server 0.1.4', () => {
  it('refuses admin-tier operations to a writer with FORBIDDEN, naming the tier, and allows them to the admin', async () => {
    await using server = await startServer('tokens');
    await using writer = liveClient(server.url, { ...strict, auth: { token: 'writer-token' } });
    await writer.connect();
    await expect(writer.server.stats()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Role level insufficient for server.stats (requires admin)',
    });
    await expect(writer.audit.query()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      writer.store.defineBucket('x', { key: 'id', schema: { id: { type: 'string' } } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await using admin = liveClient(server.url, { ...strict, auth: { token: 'admin-token' } });
    await admin.connect();
    expect((await admin.server.connections()).map((c) => c.userId).sort()).toEqual([
      'admin-1',
      'writer-1',
    ]);
    // The writer's refused admin calls were audited (tiers admin and write), under its user.
    const refused = await admin.audit.query({ userId: 'writer-1', result: 'error' });
    expect(refused.map((e) => e.operation).sort()).toEqual([
      'audit.query',
      'server.stats',
      'store.defineBucket',
    ]);
  });

  it('refuses a reader an operation outside its permission rules with FORBIDDEN “No permission”', async () => {
    await using server = await startServer('tokens');
    await using reader = liveClient(server.url, { ...strict, auth: { token: 'reader-token' } });
    await reader.connect();
    // procedures.get is read tier, so the tier check passes, but the reader's rules do not allow procedures.*.
    await expect(reader.procedures.get('anything')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'No permission for procedures.get on *',
    });
  });

  it('emits session_revoked and stays disconnected when the server revokes the session; the user cannot log in again', async () => {
    await using server = await startServer('tokens');
    await using client = liveClient(server.url, {
      auth: { token: 'writer-token' },
      reconnect: { initialDelayMs: 20, jitterMs: 0 },
    });
    const revoked: string[] = [];
    client.on('session_revoked', (reason) => revoked.push(reason));
    const disconnected = new Promise<string>((resolve) => client.on('disconnected', resolve));
    await client.connect();
    expect(server.server.revokeSession('writer-1')).toBe(1);
    expect(await disconnected).toBe('connection closed (4002 session_revoked)');
    expect(revoked).toEqual(['Session revoked by administrator']);
    expect(client.state).toBe('disconnected');

    await using again = liveClient(server.url, strict);
    await again.connect();
    const error = await again.auth.login('writer-token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'SESSION_REVOKED', message: 'Session has been revoked' });
  });
});
