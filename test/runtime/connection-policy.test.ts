import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { ConnectionError, DisconnectedError, type ClientOptions } from '../../index.js';
import { MockServer, NO_REPLY } from '../../testing/mock-server.js';
import { closedTogether, dropConnection, nextEvent } from '../helpers.js';

/** Calls across connection changes: lazy connect, waiting for the connection, reconnect on demand. */

const fast = { initialDelayMs: 0, jitterMs: 0 };
const BUCKETS = { count: 0, names: [] };

/**
 * A server and a client of it that is reconnecting: connected, then dropped by the
 * server, waiting `delayMs` before its first attempt. `await using` closes both.
 */
async function reconnectingPair(delayMs: number, options: ClientOptions = {}) {
  const server = await MockServer.start();
  const client = new NoexClient(server.url, {
    reconnect: { initialDelayMs: delayMs, jitterMs: 0 },
    ...options,
  });
  await client.connect();
  await dropConnection(server, client, 'reconnecting');
  return closedTogether(server, client);
}

describe('waitForConnection', () => {
  it('sends a call made while reconnecting once the client is back, exactly once', async () => {
    await using pair = await reconnectingPair(100, { waitForConnection: true });
    const { server, client } = pair;
    server.handle('store.buckets', () => BUCKETS);
    expect(client.state).toBe('reconnecting');
    const call = client.store.buckets();
    expect(client.inspect().waitingCalls).toBe(1);
    await expect(call).resolves.toEqual(BUCKETS);
    expect(server.requests('store.buckets')).toHaveLength(1);
    expect(server.connections[1]!.frames.map((f) => f.type)).toEqual(['store.buckets']);
  });

  it('rejects at once while reconnecting unless asked to wait, per client or per call', async () => {
    await using pair = await reconnectingPair(100);
    const { server, client } = pair;
    server.handle('store.buckets', () => BUCKETS);
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
    const back = nextEvent(client, 'reconnected');
    server.connection.terminate();
    await expect(insert).rejects.toBeInstanceOf(DisconnectedError);
    await back;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests('store.insert')).toHaveLength(1);
  });

  it('rejects waiting calls with DisconnectedError on disconnect() and when reconnecting gives up', async () => {
    await using pair = await reconnectingPair(60_000, { waitForConnection: true });
    const { server, client } = pair;
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
    const gone = nextEvent(giving, 'reconnecting');
    await server.close();
    await gone;
    await expect(giving.store.buckets()).rejects.toBeInstanceOf(DisconnectedError);
    expect(giving.state).toBe('disconnected');
    await giving.disconnect();
  });

  it('keeps to the call’s own timeout and signal while it waits', async () => {
    await using pair = await reconnectingPair(60_000, { waitForConnection: true });
    const { client } = pair;
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
    await using pair = await reconnectingPair(60_000);
    const { client } = pair;
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
      await using pair = await reconnectingPair(60_000);
      const { server, client } = pair;
      const back = nextEvent(client, 'reconnected');
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
