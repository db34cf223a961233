import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { DisconnectedError, NoexClientError } from '../../runtime/index.js';
import { MockError, MockServer, NO_REPLY } from '../../testing/mock-server.js';
import { dropConnection, framesOf } from '../helpers.js';

const fast = { initialDelayMs: 0, jitterMs: 0, maxRetries: 5 };
const session = { userId: 'u1', roles: ['writer'], expiresAt: null };
const loginResult = (token: string) => ({
  token,
  expiresAt: 1795794583727,
  user: { id: 'u1', username: 'alice', roles: ['writer'] },
});

describe('auto-login', () => {
  it('sends auth.login with the token before anything else when the server requires auth', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    await using client = new NoexClient(server.url, {
      auth: { token: 'tok-writer' },
      reconnect: false,
    });
    await client.connect();
    await client.store.buckets();
    expect(framesOf(server)).toEqual([
      { type: 'auth.login', token: 'tok-writer' },
      { type: 'store.buckets' },
    ]);
  });

  it('logs in with identity.login when given credentials', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('identity.login', () => loginResult('t-1'));
    await using client = new NoexClient(server.url, {
      auth: { credentials: { username: 'alice', password: 'password-1' } },
      reconnect: false,
    });
    await client.connect();
    expect(framesOf(server)).toEqual([
      { type: 'identity.login', username: 'alice', password: 'password-1' },
    ]);
  });

  it('does not log in when the server does not require auth', async () => {
    await using server = await MockServer.start({ requiresAuth: false });
    await using client = new NoexClient(server.url, { auth: { token: 'tok' }, reconnect: false });
    await client.connect();
    expect(server.received).toEqual([]);
  });

  it('rejects connect with the server’s error when the login fails, and leaves nothing open', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => {
      throw new MockError('UNAUTHORIZED', 'Invalid token');
    });
    const client = new NoexClient(server.url, { auth: { token: 'bad' }, reconnect: fast });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid token' });
    expect(client.state).toBe('disconnected');
    await server.waitFor(() => server.connections.every((c) => c.closed));
    expect(server.connections).toHaveLength(1);
  });
});

describe('sessions across reconnects', () => {
  it('restores a session opened with identity.login by its token', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('identity.login', () => loginResult('session-token-1'));
    server.handle('auth.login', () => session);
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await client.identity.login('alice', 'password-1');
    await dropConnection(server, client, 'reconnected');
    expect(framesOf(server)).toEqual([
      { type: 'identity.login', username: 'alice', password: 'password-1' },
      { type: 'auth.login', token: 'session-token-1' },
    ]);
  });

  it('falls back to the configured credentials when the restored token is refused', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    let logins = 0;
    server.handle('identity.login', () => loginResult(`t-${++logins}`));
    server.handle('auth.login', () => {
      throw new MockError('UNAUTHORIZED', 'Invalid token');
    });
    await using client = new NoexClient(server.url, {
      auth: { credentials: { username: 'alice', password: 'password-1' } },
      reconnect: fast,
    });
    await client.connect();
    await dropConnection(server, client, 'reconnected');
    expect(framesOf(server).map((f) => f.type)).toEqual([
      'identity.login',
      'auth.login',
      'identity.login',
    ]);
  });

  it('forgets the session after logout', async () => {
    await using server = await MockServer.start({ requiresAuth: false });
    server.handle('auth.login', () => session);
    server.handle('auth.logout', () => ({ loggedOut: true }));
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await client.auth.login('tok');
    await client.auth.logout();
    await dropConnection(server, client, 'reconnected');
    expect(framesOf(server).map((f) => f.type)).toEqual(['auth.login', 'auth.logout']);
  });
});

describe('session revocation', () => {
  it('emits session_revoked, rejects pending requests at once and does not reconnect', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    server.handle('store.all', () => NO_REPLY);
    await using client = new NoexClient(server.url, { auth: { token: 't' }, reconnect: fast });
    const revoked = vi.fn();
    const reconnecting = vi.fn();
    client.on('session_revoked', revoked);
    client.on('reconnecting', reconnecting);
    await client.connect();
    const pending = client.store.bucket('notes').all();
    await server.waitFor(() => server.requests('store.all').length === 1);
    const disconnected = new Promise<string>((resolve) => client.on('disconnected', resolve));
    server.connection.system('session_revoked', { reason: 'Session revoked by administrator' });
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DisconnectedError);
    expect((error as Error).message).toBe('session revoked: Session revoked by administrator');
    expect(revoked).toHaveBeenCalledWith('Session revoked by administrator');
    server.connection.close(4002, 'session_revoked');
    await expect(disconnected).resolves.toBe('connection closed (4002 session_revoked)');
    expect(client.state).toBe('disconnected');
    expect(reconnecting).not.toHaveBeenCalled();
  });
});
