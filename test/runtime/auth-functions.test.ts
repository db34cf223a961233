import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { ConnectionError } from '../../index.js';
import { MockError, MockServer } from '../../testing/mock-server.js';
import { dropConnection } from '../helpers.js';

/** Auth given as functions: asked on every connect, and again after UNAUTHORIZED. */

const fast = { initialDelayMs: 0, jitterMs: 0 };
const BUCKETS = { count: 0, names: [] };

describe('auth functions', () => {
  const session = { userId: 'u1', roles: [], expiresAt: null };

  it('asks the token function once per connect and reconnect, sending each fresh token', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    let issued = 0;
    const token = vi.fn(async () => `token-${++issued}`);
    await using client = new NoexClient(server.url, { auth: { token }, reconnect: fast });
    await client.connect();
    expect(token).toHaveBeenCalledTimes(1);
    await dropConnection(server, client, 'reconnected');
    expect(token).toHaveBeenCalledTimes(2);
    expect(server.requests('auth.login').map((f) => f.token)).toEqual(['token-1', 'token-2']);
  });

  it('fails the connect with the function’s error as its cause', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    const broken = new Error('token store offline');
    const client = new NoexClient(server.url, {
      auth: {
        token: () => {
          throw broken;
        },
      },
      reconnect: false,
    });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).cause).toBe(broken);
    expect(client.state).toBe('disconnected');
    expect(server.requests('auth.login')).toHaveLength(0);
  });

  it('counts a failing credentials function as a failed reconnect attempt', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('identity.login', () => ({
      token: 't',
      expiresAt: 1,
      user: { id: 'u1', username: 'ann', roles: [] },
    }));
    let calls = 0;
    await using client = new NoexClient(server.url, {
      auth: {
        credentials: async () => {
          if (++calls === 2) throw new Error('vault sealed');
          return { username: 'ann', password: 'password-1' };
        },
      },
      reconnect: fast,
    });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const attempts: number[] = [];
    client.on('reconnecting', (attempt) => attempts.push(attempt));
    await client.connect();
    await dropConnection(server, client, 'reconnected');
    expect(attempts).toEqual([1, 2]);
    expect(errors.map((e) => (e.cause as Error | undefined)?.message)).toContain('vault sealed');
  });

  it('logs in again with a fresh token after UNAUTHORIZED and retries the call once', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    let expired = true;
    server.handle('store.buckets', () => {
      if (expired) {
        expired = false;
        throw new MockError('UNAUTHORIZED', 'Session expired');
      }
      return BUCKETS;
    });
    let issued = 0;
    await using client = new NoexClient(server.url, {
      auth: { token: () => `token-${++issued}` },
      reconnect: false,
    });
    await client.connect();
    await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
    expect(server.received.map((r) => r.frame.type)).toEqual([
      'auth.login',
      'store.buckets',
      'auth.login',
      'store.buckets',
    ]);
    expect(server.requests('auth.login').map((f) => f.token)).toEqual(['token-1', 'token-2']);
  });

  it('rejects the call and reports when the fresh login is refused too', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    let logins = 0;
    server.handle('auth.login', () => {
      if (++logins > 1) throw new MockError('UNAUTHORIZED', 'Invalid token');
      return session;
    });
    server.handle('store.buckets', () => {
      throw new MockError('UNAUTHORIZED', 'Session expired');
    });
    await using client = new NoexClient(server.url, {
      auth: { token: () => 'stale' },
      reconnect: false,
    });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await client.connect();
    await expect(client.store.buckets()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Session expired',
    });
    expect(errors.map((e) => e.message)).toEqual(['Invalid token']);
    expect(server.requests('store.buckets')).toHaveLength(1);
  });

  it('does not log in again for a plain token', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    server.handle('store.buckets', () => {
      throw new MockError('UNAUTHORIZED', 'Session expired');
    });
    await using client = new NoexClient(server.url, { auth: { token: 'fixed' }, reconnect: false });
    await client.connect();
    await expect(client.store.buckets()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(server.requests('auth.login')).toHaveLength(1);
  });
});
