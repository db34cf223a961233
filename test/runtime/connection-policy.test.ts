import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import {
  ConnectionError,
  DisconnectedError,
  NoexClientError,
  RateLimitedError,
  type ConnectionState,
} from '../../index.js';
import { MockError, MockServer, NO_REPLY } from '../../testing/mock-server.js';

/** Calls across connection changes: lazy connect, waiting for the connection, reconnect on demand. */

const fast = { initialDelayMs: 0, jitterMs: 0 };
const BUCKETS = { count: 0, names: [] };
const next = (client: NoexClient, event: 'reconnected' | 'reconnecting' | 'connected') =>
  new Promise<void>((resolve) => {
    const off = client.on(event, () => {
      off();
      resolve();
    });
  });

describe('waitForConnection', () => {
  it('sends a call made while reconnecting once the client is back, exactly once', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => BUCKETS);
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 100, jitterMs: 0 },
      waitForConnection: true,
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    server.connection.terminate();
    await reconnecting;
    expect(client.state).toBe('reconnecting');
    const call = client.store.buckets();
    expect(client.inspect().waitingCalls).toBe(1);
    await expect(call).resolves.toEqual(BUCKETS);
    expect(server.requests('store.buckets')).toHaveLength(1);
    expect(server.connections[1]!.frames.map((f) => f.type)).toEqual(['store.buckets']);
  });

  it('rejects at once while reconnecting unless asked to wait, per client or per call', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => BUCKETS);
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 100, jitterMs: 0 },
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    server.connection.terminate();
    await reconnecting;
    await expect(client.store.buckets()).rejects.toBeInstanceOf(DisconnectedError);
    await expect(client.store.buckets({ waitForConnection: true })).resolves.toEqual(BUCKETS);
  });

  it('never sends again a call that was in flight when the connection dropped', async () => {
    await using server = await MockServer.start();
    server.handle('store.insert', () => NO_REPLY);
    await using client = new NoexClient(server.url, { reconnect: fast, waitForConnection: true });
    await client.connect();
    const insert = client.store.bucket('users').insert({ name: 'Ann' });
    await server.waitFor(() => server.requests('store.insert').length === 1);
    const back = next(client, 'reconnected');
    server.connection.terminate();
    await expect(insert).rejects.toBeInstanceOf(DisconnectedError);
    await back;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests('store.insert')).toHaveLength(1);
  });

  it('rejects waiting calls with DisconnectedError on disconnect() and when reconnecting gives up', async () => {
    await using server = await MockServer.start();
    const client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
      waitForConnection: true,
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    server.connection.terminate();
    await reconnecting;
    const waiting = client.store.buckets();
    await client.disconnect();
    await expect(waiting).rejects.toBeInstanceOf(DisconnectedError);

    const port = server.port;
    const giving = new NoexClient(`ws://127.0.0.1:${port}`, {
      reconnect: { initialDelayMs: 0, jitterMs: 0, maxRetries: 2 },
      waitForConnection: true,
    });
    await giving.connect();
    giving.on('error', () => {});
    const gone = next(giving, 'reconnecting');
    await server.close();
    await gone;
    await expect(giving.store.buckets()).rejects.toBeInstanceOf(DisconnectedError);
    expect(giving.state).toBe('disconnected');
    await giving.disconnect();
  });

  it('keeps to the call’s own timeout and signal while it waits', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
      waitForConnection: true,
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    server.connection.terminate();
    await reconnecting;
    await expect(client.store.buckets({ timeoutMs: 30 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const controller = new AbortController();
    const aborted = client.store.buckets({ signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    expect(client.inspect().waitingCalls).toBe(0);
  });
});

describe('lazy', () => {
  it('connects on the first call; concurrent first calls share one socket', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => BUCKETS);
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: [] }));
    await using client = new NoexClient(server.url, { lazy: true, reconnect: false });
    expect(client.state).toBe('disconnected');
    const seen: unknown[] = [];
    const [a, b, unsubscribe] = await Promise.all([
      client.store.buckets(),
      client.store.buckets(),
      client.store.subscribe('q', (data) => seen.push(data)),
    ]);
    expect([a, b]).toEqual([BUCKETS, BUCKETS]);
    expect(unsubscribe.status).toBe('live');
    expect(seen).toEqual([[]]);
    expect(server.connections).toHaveLength(1);
    expect(client.state).toBe('connected');
  });

  it('rejects the first call with the connect’s failure', async () => {
    const client = new NoexClient('ws://127.0.0.1:1', { lazy: true, reconnect: false });
    await expect(client.store.buckets()).rejects.toBeInstanceOf(ConnectionError);
    expect(client.state).toBe('disconnected');
  });

  it('without lazy, a call before connect() rejects at once', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url);
    await expect(client.store.buckets()).rejects.toBeInstanceOf(DisconnectedError);
    expect(server.connections).toHaveLength(0);
  });
});

describe('reconnect()', () => {
  it('drops the socket, connects at once and restores every subscription exactly once', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: 0,
    }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
    });
    await client.connect();
    const handles = [];
    for (let i = 0; i < 5; i++) handles.push(await client.store.subscribe(`q${i}`, () => {}));
    const events: string[] = [];
    for (const event of ['disconnected', 'reconnecting', 'reconnected'] as const)
      client.on(event, () => events.push(event));
    const first = server.connection;
    await client.reconnect();
    await server.waitFor(() => first.closed);
    expect(events).toEqual(['disconnected', 'reconnecting', 'reconnected']);
    expect(server.connections).toHaveLength(2);
    expect(server.connections[1]!.frames.filter((f) => f.type === 'store.subscribe')).toHaveLength(
      5,
    );
    expect(handles.every((h) => h.status === 'live')).toBe(true);
    expect(client.inspect().reconnects).toBe(1);
    handles[0]!();
    await server.waitFor(() => server.requests('store.unsubscribe').length === 1);
    expect(server.requests('store.unsubscribe')[0]).toMatchObject({ subscriptionId: 'sub-6' });
  });

  it('ends a backoff wait at once', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    server.connection.terminate();
    await reconnecting;
    await client.reconnect();
    expect(client.state).toBe('connected');
  });

  it('connects a client that is not connected, and works with reconnecting turned off', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.reconnect();
    expect(client.state).toBe('connected');
    await client.reconnect();
    expect(client.state).toBe('connected');
    expect(server.connections).toHaveLength(2);
  });
});

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
    const back = next(client, 'reconnected');
    server.connection.terminate();
    await back;
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
    const back = next(client, 'reconnected');
    server.connection.terminate();
    await back;
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

describe('rate limits and retries', () => {
  const limited = (retryAfterMs?: number) =>
    new MockError(
      'RATE_LIMITED',
      'Rate limit exceeded',
      retryAfterMs === undefined ? undefined : { retryAfterMs },
    );

  it('raises RateLimitedError with the server’s retryAfterMs', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw limited(1234);
    });
    server.handle('store.subscribe', () => {
      throw new MockError('RATE_LIMITED', 'Subscription limit reached (max 1 per connection)');
    });
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const error = await client.store.buckets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1234 });
    const subscribe = await client.store.subscribe('q', () => {}).catch((e: unknown) => e);
    expect(subscribe).toBeInstanceOf(RateLimitedError);
    expect((subscribe as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('retries a safe read after retryAfterMs, and never a write', async () => {
    await using server = await MockServer.start();
    const times: number[] = [];
    server.handle('store.get', () => {
      times.push(performance.now());
      if (times.length < 3) throw limited(40);
      return null;
    });
    server.handle('store.insert', () => {
      throw limited(10);
    });
    await using client = new NoexClient(server.url, { reconnect: false, retry: { maxRetries: 3 } });
    await client.connect();
    await expect(client.store.bucket('users').get('a')).resolves.toBeNull();
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(38);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(38);
    await expect(client.store.bucket('users').insert({ name: 'x' })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    expect(server.requests('store.insert')).toHaveLength(1);
  });

  it('gives up after maxRetries, lets shouldRetry veto, and takes a per-call override', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw limited(1);
    });
    const shouldRetry = vi.fn((_error: NoexClientError, attempt: number) => attempt < 2);
    await using client = new NoexClient(server.url, {
      reconnect: false,
      retry: { maxRetries: 5, shouldRetry },
    });
    await client.connect();
    await expect(client.store.buckets()).rejects.toBeInstanceOf(RateLimitedError);
    expect(server.requests('store.buckets')).toHaveLength(2);
    expect(shouldRetry).toHaveBeenCalledWith(expect.any(RateLimitedError), 2, 'store.buckets');
    await expect(client.store.buckets({ retry: false })).rejects.toBeInstanceOf(RateLimitedError);
    expect(server.requests('store.buckets')).toHaveLength(3);
  });

  it('retries a safe read whose connection dropped before the answer, on the new connection', async () => {
    await using server = await MockServer.start();
    let first = true;
    server.handle('store.buckets', (_payload, { connection }) => {
      if (first) {
        first = false;
        connection.terminate();
        return NO_REPLY;
      }
      return BUCKETS;
    });
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await expect(client.store.buckets({ retry: 1 })).resolves.toEqual(BUCKETS);
    expect(server.connections).toHaveLength(2);
  });

  it('does not retry without a retry policy', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw new MockError('BACKPRESSURE', 'busy');
    });
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    await expect(client.store.buckets()).rejects.toMatchObject({ code: 'BACKPRESSURE' });
    expect(server.requests('store.buckets')).toHaveLength(1);
  });
});

describe('state you can see', () => {
  it('tells every state change, connecting included', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    const changes: [ConnectionState, ConnectionState][] = [];
    client.on('statechange', (state, previous) => changes.push([state, previous]));
    await client.connect();
    const back = next(client, 'reconnected');
    server.connection.terminate();
    await back;
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
    const back = next(client, 'reconnected');
    server.connection.terminate();
    await back;
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

describe('resume hints', () => {
  it('registers nothing where there is no window', async () => {
    expect((globalThis as { window?: unknown }).window).toBeUndefined();
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    expect(client.state).toBe('connected');
  });

  it('ends a backoff wait when the window says the network is back, and probes after the page was hidden', async () => {
    const window = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const scope = globalThis as { window?: unknown; document?: unknown };
    scope.window = window;
    scope.document = document;
    const clock = vi.spyOn(Date, 'now');
    try {
      await using server = await MockServer.start();
      await using client = new NoexClient(server.url, {
        reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
      });
      await client.connect();
      const reconnecting = next(client, 'reconnecting');
      server.connection.terminate();
      await reconnecting;
      const back = next(client, 'reconnected');
      window.dispatchEvent(new Event('online'));
      await back;

      // Hidden for a minute, then shown: the probe is answered (an unknown operation's error), so nothing else happens.
      clock.mockReturnValue(1_000);
      document.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
      clock.mockReturnValue(61_000);
      document.visibilityState = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      await server.waitFor(() => server.requests('$probe').length === 1);
      clock.mockRestore();
      await vi.waitFor(() => expect(client.inspect().rttMs).toBeTypeOf('number'));
      expect(server.connections).toHaveLength(2);
    } finally {
      clock.mockRestore();
      delete scope.window;
      delete scope.document;
    }
  });
});
