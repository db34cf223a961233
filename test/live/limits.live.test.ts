import { expect, it, vi } from 'vitest';
import { NoexClientError } from '../../index.js';
import { describeLive, framesOf, LIMITS, liveClient, startServer } from './harness.js';

/** A connected client on a fresh `limits` server (each test gets its own request budget). */
async function limits(options: Parameters<typeof liveClient>[1] = {}) {
  const server = await startServer('limits');
  const client = liveClient(server.url, options);
  await client.connect();
  return { server, client };
}

describeLive('live: rate and subscription limits against noex-server 0.1.4', () => {
  it(`answers ${LIMITS.maxRequests} requests in the window, then RATE_LIMITED with retryAfterMs`, async () => {
    const { client } = await limits();
    const items = client.store.bucket<{ title: string }>('items');
    for (let i = 0; i < LIMITS.maxRequests; i++) await items.count();
    const error = await items.count().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^Rate limit exceeded\. Retry after \d+ms$/),
    });
    const { retryAfterMs } = (error as NoexClientError).details as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(LIMITS.windowMs);
    // auth.* counts too, and the connection stays usable for the next window.
    await expect(client.auth.whoami()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(client.state).toBe('connected');
  });

  it(`refuses a subscription over ${LIMITS.maxSubscriptionsPerConnection} per connection with RATE_LIMITED`, async () => {
    const { client } = await limits();
    const unsubscribe = await client.store.subscribe('all-items', () => {});
    const error = await client.store.subscribe('all-items', () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: `Subscription limit reached (max ${LIMITS.maxSubscriptionsPerConnection} per connection)`,
    });
    unsubscribe();
    // Once the first one is gone, a new subscription fits again.
    await vi.waitFor(() =>
      expect(framesOf(client).sent.map((f) => f.type)).toContain('store.unsubscribe'),
    );
    await expect(client.store.subscribe('all-items', () => {})).resolves.toBeTypeOf('function');
  });
});

describeLive('live: features a server does not have, against noex-server 0.1.4', () => {
  it('fails rules.* with RULES_NOT_AVAILABLE on a server without a rule engine', async () => {
    const { client } = await limits();
    await expect(client.rules.emit('x.y', {})).rejects.toMatchObject({
      code: 'RULES_NOT_AVAILABLE',
      message: 'Rule engine is not configured',
    });
    await expect(client.rules.getAllFacts()).rejects.toMatchObject({ code: 'RULES_NOT_AVAILABLE' });
    await expect(client.rules.subscribe('*', () => {})).rejects.toMatchObject({
      code: 'RULES_NOT_AVAILABLE',
    });
  });

  it('fails identity.* and audit.* with UNKNOWN_OPERATION where they are not configured', async () => {
    const { client } = await limits();
    await expect(client.identity.whoami()).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
      message: 'Identity management is not configured',
    });
    await expect(client.identity.login('a', 'b')).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
    });
    await expect(client.audit.query()).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
      message: 'Audit log is not configured',
    });
  });

  it('fails auth.* with UNKNOWN_OPERATION on a server without auth', async () => {
    const server = await startServer('open');
    const client = liveClient(server.url);
    expect((await client.connect()).requiresAuth).toBe(false);
    await expect(client.auth.whoami()).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
      message: 'Authentication is not configured',
    });
    await expect(client.auth.login('any-token')).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
    });
    await expect(client.identity.loginWithSecret('x')).rejects.toMatchObject({
      code: 'UNKNOWN_OPERATION',
      message: 'Identity management is not configured',
    });
  });
});

describeLive('live: heartbeat against noex-server 0.1.4', () => {
  it(`stays connected for over a second of ${LIMITS.heartbeatIntervalMs} ms pings, answering each with a pong that echoes its timestamp`, async () => {
    const { client } = await limits();
    const disconnects: string[] = [];
    client.on('disconnected', (reason) => disconnects.push(reason));
    const started = Date.now();
    const pings = () => framesOf(client).received.filter((f) => f.type === 'ping');
    await vi.waitFor(() => expect(pings().length).toBeGreaterThanOrEqual(6), {
      timeout: 5_000,
      interval: 50,
    });
    expect(Date.now() - started).toBeGreaterThan(1_000);
    const pongs = framesOf(client).sent.filter((f) => f.type === 'pong');
    const pingTimes = pings().map((f) => f.timestamp);
    // Every ping answered so far, in order, with its own timestamp (the last may be in flight).
    expect(pongs.map((f) => f.timestamp)).toEqual(pingTimes.slice(0, pongs.length));
    expect(pongs.length).toBeGreaterThanOrEqual(pingTimes.length - 1);
    for (const pong of pongs) expect(Object.keys(pong).sort()).toEqual(['timestamp', 'type']);
    expect(disconnects).toEqual([]);
    expect(client.state).toBe('connected');
    expect(await client.store.buckets()).toEqual({ count: 1, names: ['items'] });
  });

  it('is closed by the server with 4001 when it does not answer pings (heartbeat: false), and reconnects', async () => {
    const { client } = await limits({
      heartbeat: false,
      reconnect: { initialDelayMs: 20, jitterMs: 0, maxDelayMs: 50 },
    });
    const events: string[] = [];
    client.on('disconnected', (reason) => events.push(`disconnected: ${reason}`));
    client.on('reconnecting', (attempt) => events.push(`reconnecting ${attempt}`));
    client.on('reconnected', () => events.push('reconnected'));
    await vi.waitFor(() => expect(events).toContain('reconnected'), { timeout: 5_000 });
    expect(events.slice(0, 3)).toEqual([
      'disconnected: connection closed (4001 heartbeat_timeout)',
      'reconnecting 1',
      'reconnected',
    ]);
    // The server pinged and got no pong.
    expect(framesOf(client).received.some((f) => f.type === 'ping')).toBe(true);
    expect(framesOf(client).sent.some((f) => f.type === 'pong')).toBe(false);
  });
});
