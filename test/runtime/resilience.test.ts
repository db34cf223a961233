import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { MockError, MockServer } from '../../testing/mock-server.js';
import { dropConnection, nextEvent } from '../helpers.js';

const fast = { initialDelayMs: 0, jitterMs: 0 };
/** A full collection, so that heap figures are of live objects only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('liveness', () => {
  it('reconnects when the server’s pings stop (a half-open connection)', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast, livenessTimeoutMs: 80 });
    await client.connect();
    const first = server.connection;
    first.ping();
    const back = nextEvent(client, 'reconnected');
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await back;
    await server.waitFor(() => first.closed);
    expect(server.connections.filter((c) => !c.closed)).toHaveLength(1);
  });

  it('keeps a connection whose server keeps pinging', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast, livenessTimeoutMs: 1_000 });
    await client.connect();
    const reconnecting = vi.fn();
    client.on('reconnecting', reconnecting);
    const connection = server.connection;
    for (let i = 0; i < 30; i++) {
      connection.ping();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(reconnecting).not.toHaveBeenCalled();
    expect(connection.closed).toBe(false);
  });

  it('does not watch a server that has never pinged', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast, livenessTimeoutMs: 20 });
    await client.connect();
    const reconnecting = vi.fn();
    client.on('reconnecting', reconnecting);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(reconnecting).not.toHaveBeenCalled();
  });
});

describe('server shutdown', () => {
  it('reconnects after the announced shutdown closes the connection', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const back = nextEvent(client, 'reconnected');
    server.connection.system('shutdown', { gracePeriodMs: 10 });
    server.connection.close(1000, 'server_shutdown');
    await back;
    expect(client.state).toBe('connected');
  });

  it('gives up on a shutdown whose close never comes, and reconnects', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    const first = server.connection;
    const back = nextEvent(client, 'reconnected');
    first.system('shutdown', { gracePeriodMs: 0 });
    await back;
    await server.waitFor(() => first.closed);
  });
});

describe('reconnect attempts', () => {
  it('closes a failed attempt’s socket before the next: never two sockets at once', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    let refusals = 3;
    server.handle('auth.login', () => {
      if (refusals-- > 0) throw new MockError('UNAUTHORIZED', 'Invalid token');
      return { userId: 'u', roles: [], expiresAt: null };
    });
    await using client = new NoexClient(server.url, {
      auth: { token: 't' },
      reconnect: { ...fast, initialDelayMs: 5 },
    });
    refusals = 0;
    await client.connect();
    refusals = 3;
    let mostOpen = 0;
    const off = setInterval(() => {
      mostOpen = Math.max(mostOpen, server.connections.filter((c) => !c.closed).length);
    }, 1);
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await dropConnection(server, client, 'reconnected');
    clearInterval(off);
    expect(errors.map((e) => e.message)).toEqual([
      'Invalid token',
      'Invalid token',
      'Invalid token',
    ]);
    expect(server.connections).toHaveLength(5);
    expect(server.connections.slice(0, 4).every((c) => c.closed)).toBe(true);
    expect(mostOpen).toBe(1);
  });

  it('leaks no listeners, timers, heap or subscriptions over 1,000 connect/disconnect cycles, 1,000 calls and 1,000 reconnects', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: 1,
    }));
    const client = new NoexClient(server.url, { reconnect: fast });
    const timersBefore = activeTimers();
    for (let i = 0; i < 1_000; i++) {
      await client.connect();
      await client.disconnect();
    }
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    await client.connect();
    const shared = new AbortController();
    server.handle('store.count', () => 0);
    for (let i = 0; i < 1_000; i++)
      await client.store.bucket('b').count(undefined, { signal: shared.signal });
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    let deliveries = 0;
    await client.store.subscribe('q', () => deliveries++);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000; i++) {
      await dropConnection(server, client, 'reconnected');
      const off = client.on('error', () => {});
      off();
    }
    collectGarbage();
    const heapAfter = process.memoryUsage().heapUsed;
    expect(deliveries).toBe(1_001);
    expect(server.connections.filter((c) => !c.closed)).toHaveLength(1);
    expect(heapAfter - heapBefore).toBeLessThan(20 * 1024 * 1024);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    await client.disconnect();
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  }, 120_000);
});
