import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { ConnectionError, DisconnectedError } from '../../runtime/index.js';
import { MockServer } from '../../testing/mock-server.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('connect', () => {
  it('resolves the welcome and moves to connected', async () => {
    await using server = await MockServer.start({ requiresAuth: false });
    const client = new NoexClient(server.url, { reconnect: false });
    const events: string[] = [];
    client.on('welcome', (info) => events.push(`welcome ${info.version}`));
    client.on('connected', () => events.push('connected'));
    expect(client.state).toBe('disconnected');
    const connecting = client.connect();
    expect(client.state).toBe('connecting');
    const welcome = await connecting;
    expect(welcome).toEqual({
      version: '1.0.0',
      serverTime: expect.any(Number),
      requiresAuth: false,
    });
    expect(client.state).toBe('connected');
    expect(client.isConnected).toBe(true);
    expect(events).toEqual(['welcome 1.0.0', 'connected']);
    await expect(client.connect()).resolves.toBe(welcome);
    await client.disconnect();
    expect(client.state).toBe('disconnected');
  });

  it('makes no connection until connect()', async () => {
    await using server = await MockServer.start();
    new NoexClient(server.url);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.connections).toHaveLength(0);
  });

  it('rejects with ConnectionError when the connection is refused', async () => {
    const port = await freePort();
    const client = new NoexClient(`ws://127.0.0.1:${port}`, { reconnect: false });
    const disconnected = vi.fn();
    client.on('disconnected', disconnected);
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED' });
    expect((error as Error).message).toContain(`ws://127.0.0.1:${port}`);
    expect(client.state).toBe('disconnected');
    expect(disconnected).toHaveBeenCalledTimes(1);
  });

  it('rejects with ConnectionError for a malformed URL', async () => {
    const client = new NoexClient('not a url', { reconnect: false });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^cannot connect to not a url/);
    expect(client.state).toBe('disconnected');
  });

  it('rejects when no welcome arrives within connectTimeoutMs, and closes the socket', async () => {
    await using server = await MockServer.start({ welcome: false });
    const client = new NoexClient(server.url, { reconnect: false, connectTimeoutMs: 50 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`no welcome from ${server.url} within 50 ms`);
    await server.waitFor(() => server.connections.every((c) => c.closed));
    expect(client.state).toBe('disconnected');
  });

  it('rejects when the server closes instead of welcoming (too many connections)', async () => {
    await using server = await MockServer.start({ welcome: false });
    server
      .waitFor(() => server.connections.length === 1)
      .then(() => server.connection.close(4003, 'too_many_connections'));
    const client = new NoexClient(server.url, { reconnect: false });
    const error = await client.connect().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `${server.url} closed the connection before the welcome (code 4003, too_many_connections)`,
    );
  });

  it('returns the same promise to concurrent connect() calls and opens one socket', async () => {
    await using server = await MockServer.start();
    const client = new NoexClient(server.url, { reconnect: false });
    const [a, b] = await Promise.all([client.connect(), client.connect()]);
    expect(a).toBe(b);
    expect(server.connections).toHaveLength(1);
    await client.disconnect();
  });

  it('disconnect() during connect rejects connect with DisconnectedError', async () => {
    await using server = await MockServer.start({ welcome: false });
    const client = new NoexClient(server.url, { reconnect: false, connectTimeoutMs: 5_000 });
    const connecting = client.connect();
    await server.waitFor(() => server.connections.length === 1);
    await client.disconnect();
    await expect(connecting).rejects.toBeInstanceOf(DisconnectedError);
    expect(client.state).toBe('disconnected');
  });

  it('uses the WebSocket constructor it is given', async () => {
    await using server = await MockServer.start();
    const { WebSocket } = await import('ws');
    const constructed: string[] = [];
    class Recording extends WebSocket {
      constructor(url: string) {
        super(url);
        constructed.push(url);
      }
    }
    const client = new NoexClient(server.url, { reconnect: false, WebSocket: Recording as never });
    await client.connect();
    expect(constructed).toEqual([server.url]);
    await client.disconnect();
  });

  it('disconnects on await using', async () => {
    await using server = await MockServer.start();
    {
      await using client = new NoexClient(server.url, { reconnect: false });
      await client.connect();
      expect(server.connections).toHaveLength(1);
    }
    await server.waitFor(() => server.connections.every((c) => c.closed));
    expect(server.connections[0]!.closeCode).toBe(1000);
  });
});

describe('connect after disconnect', () => {
  it('opens a fresh connection, with no subscription of the last one', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: 1,
    }));
    const client = new NoexClient(server.url, { reconnect: false });
    const disconnected = vi.fn();
    client.on('disconnected', disconnected);
    await client.connect();
    const callback = vi.fn();
    await client.store.subscribe('q', callback);
    await client.disconnect();
    await client.disconnect();
    expect(disconnected).toHaveBeenCalledTimes(1);
    await client.connect();
    expect(client.state).toBe('connected');
    expect(server.connections.filter((c) => !c.closed)).toHaveLength(1);
    server.connection.push('sub-1', 2);
    await client.store
      .bucket('b')
      .all()
      .catch(() => {});
    expect(callback).toHaveBeenCalledTimes(1);
    expect(server.requests('store.subscribe')).toHaveLength(1);
    await client.disconnect();
  });
});
