import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { ProtocolError } from '../../runtime/index.js';
import { MockServer, NO_REPLY } from '../../testing/mock-server.js';
import { connectedPair, dropConnection } from '../helpers.js';

/**
 * What a server, a logger or the application's own callbacks can do to the
 * client without changing what it does: never a crash, a hang, a dead socket
 * or a subscription left on the server that nobody holds.
 */

const fast = { initialDelayMs: 0, jitterMs: 0 };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BUCKETS = { count: 0, names: [] };

describe('frames the client cannot log or check', () => {
  it('reads on after a frame nested 10,000 deep, with a debug logger', async () => {
    const debug = vi.fn();
    await using pair = await connectedPair({ logger: { debug } });
    const { server, client } = pair;
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 0 }));
    server.handle('store.buckets', () => BUCKETS);
    const seen: unknown[] = [];
    await client.store.subscribe('q', (data) => seen.push(data));

    const connection = server.connection;
    connection.send(
      `{"type":"push","channel":"subscription","subscriptionId":"sub-1","data":${nested(10_000)}}`,
    );
    connection.send(nested(10_000));
    connection.ping(123);
    connection.push('sub-1', 2);

    await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
    expect(seen).toHaveLength(3);
    expect(seen[2]).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProtocolError);
    await server.waitFor(() => connection.frames.some((f) => f.type === 'pong'));
    expect(client.state).toBe('connected');
    expect(debug).toHaveBeenCalledWith('receive', expect.objectContaining({ type: 'push' }));
  });

  for (const logged of [false, true]) {
    it(`takes 10,000 malformed frames between pushes ${logged ? 'with' : 'without'} a debug logger`, async () => {
      await using pair = await connectedPair(logged ? { logger: { debug() {} } } : {});
      const { server, client } = pair;
      let protocolErrors = 0;
      client.on('error', (error) => {
        if (error instanceof ProtocolError) protocolErrors++;
      });
      server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: -1 }));
      server.handle('store.buckets', () => BUCKETS);
      const seen: unknown[] = [];
      await client.store.subscribe('q', (data) => seen.push(data));
      const connection = server.connection;
      const huge = 'x'.repeat(5 * 1024 * 1024);
      const malformed = [
        'not json',
        '[1,2,3]',
        '"a string"',
        'null',
        '{"type":"mystery"}',
        '{"type":"result","id":999999,"data":1}',
        '{"type":"push","data":1}',
        nested(10_000),
      ];
      let sent = 0;
      for (let i = 0; i < 10_000; i++) {
        connection.send(malformed[i % malformed.length]);
        sent++;
        if (i % 100 === 0) connection.push('sub-1', i / 100);
        if (i % 5_000 === 0) {
          connection.send(huge);
          connection.socket.send(Buffer.from('binary'), { binary: true });
          sent += 2;
        }
      }
      await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
      expect(seen).toEqual([-1, ...Array.from({ length: 100 }, (_, i) => i)]);
      expect(protocolErrors).toBe(sent);
      expect(client.state).toBe('connected');
    }, 30_000);
  }
});

describe('application code that throws', () => {
  it('keeps working with a logger whose every method throws', async () => {
    await using server = await MockServer.start();
    let thrown = 0;
    const thrower = () => {
      thrown++;
      throw new Error('logger broke');
    };
    const logger = { debug: thrower, info: thrower, warn: thrower, error: thrower };
    await using client = new NoexClient(server.url, { logger, reconnect: fast });
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    server.handle('store.buckets', () => BUCKETS);

    await expect(client.connect()).resolves.toMatchObject({ version: '1.0.0' });
    expect(client.state).toBe('connected');
    await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
    server.connection.send('not json');
    await dropConnection(server, client, 'reconnected');
    await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
    await expect(client.disconnect()).resolves.toBeUndefined();
    expect(client.state).toBe('disconnected');

    const fromLogger = errors.filter((error) => error.message === 'logger broke');
    expect(thrown).toBeGreaterThan(5);
    expect(fromLogger).toHaveLength(thrown);
    expect(errors.filter((error) => error instanceof ProtocolError)).toHaveLength(1);
  });

  it('keeps working when event handlers, the error handler and a subscription callback throw', async () => {
    await using server = await MockServer.start();
    await using client = new NoexClient(server.url, { reconnect: fast });
    const errors: Error[] = [];
    for (const event of ['connected', 'disconnected', 'reconnecting', 'reconnected'] as const) {
      client.on(event, () => {
        throw new Error(`${event} handler broke`);
      });
    }
    client.on('error', () => {
      throw new Error('error handler broke');
    });
    client.on('error', (error) => errors.push(error));
    server.handle('store.buckets', () => BUCKETS);
    server.handle('store.subscribe', () => ({
      subscriptionId: server.nextSubscriptionId(),
      data: 'initial',
    }));
    let delivered = 0;
    await client.connect();
    await client.store.subscribe('q', () => {
      delivered++;
      throw new Error('callback broke');
    });
    server.connection.push('sub-1', 'pushed');
    server.connection.send('not json');
    await dropConnection(server, client, 'reconnected');
    server.connection.push('sub-2', 'pushed again');
    await expect(client.store.buckets()).resolves.toEqual(BUCKETS);
    await client.disconnect();

    const count = (message: string) => errors.filter((e) => e.message === message).length;
    expect(delivered).toBe(4); // initial, push, restored data, push on the new connection
    expect(count('callback broke')).toBe(4);
    expect(count('connected handler broke')).toBe(2);
    expect(count('reconnecting handler broke')).toBe(1);
    expect(count('reconnected handler broke')).toBe(1);
    expect(count('disconnected handler broke')).toBe(2);
    expect(count('error handler broke')).toBe(0);
    expect(errors.filter((e) => e instanceof ProtocolError)).toHaveLength(1);
  });
});

describe('subscriptions the server keeps for nobody', () => {
  /** A mock server that counts the subscriptions it holds, answering subscribes after `replyMs`. */
  async function countingServer(replyMs: number) {
    const server = await MockServer.start();
    const active = new Set<string>();
    const start = async () => {
      await delay(replyMs);
      const id = server.nextSubscriptionId();
      active.add(id);
      return id;
    };
    const stop = (id: string) => ({ unsubscribed: active.delete(id) });
    server.handle('store.subscribe', async () => ({ subscriptionId: await start(), data: [] }));
    server.handle('rules.subscribe', async () => ({ subscriptionId: await start() }));
    server.handle('store.unsubscribe', ({ subscriptionId }) => stop(subscriptionId));
    server.handle('rules.unsubscribe', ({ subscriptionId }) => stop(subscriptionId));
    return { server, active };
  }

  it('releases subscribes aborted after they were sent', async () => {
    const { server, active } = await countingServer(10);
    await using _server = server;
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 25; i++) {
      for (const subscribe of [
        (signal: AbortSignal) => client.store.subscribe('q', () => {}, undefined, { signal }),
        (signal: AbortSignal) => client.rules.subscribe('order.*', () => {}, { signal }),
      ]) {
        const controller = new AbortController();
        calls.push(subscribe(controller.signal));
        controller.abort(new Error('changed my mind'));
      }
    }
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    const held = await client.store.subscribe('q', () => {});
    await vi.waitFor(() => expect(active.size).toBe(1));
    expect(server.requests('store.subscribe')).toHaveLength(26);
    held();
    await vi.waitFor(() => expect(active.size).toBe(0));
  });

  it('does not send a subscribe aborted before it was made', async () => {
    const { server, active } = await countingServer(0);
    await using _server = server;
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const aborted = AbortSignal.abort(new Error('too late'));
    await expect(
      client.store.subscribe('q', () => {}, undefined, { signal: aborted }),
    ).rejects.toThrow('too late');
    await client.store.buckets().catch(() => {});
    expect(server.requests('store.subscribe')).toHaveLength(0);
    expect(active.size).toBe(0);
  });

  it('releases a subscription whose result arrives after the call timed out', async () => {
    const { server, active } = await countingServer(60);
    await using _server = server;
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const calls = [
      client.store.subscribe('q', () => {}, undefined, { timeoutMs: 10 }),
      client.rules.subscribe('a.*', () => {}, { timeoutMs: 10 }),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.waitFor(() => expect(server.requests('store.unsubscribe')).toHaveLength(1));
    await vi.waitFor(() => expect(server.requests('rules.unsubscribe')).toHaveLength(1));
    expect(active.size).toBe(0);
  });
});

describe('disconnect() in every phase', () => {
  const BOUND_MS = 250;

  async function timedDisconnect(client: NoexClient): Promise<number> {
    const started = performance.now();
    await client.disconnect();
    return performance.now() - started;
  }

  it('returns at once while waiting for the welcome', async () => {
    await using server = await MockServer.start({ welcome: false });
    const client = new NoexClient(server.url, { reconnect: false });
    const connecting = client.connect().catch((error: unknown) => error);
    await server.waitFor(() => server.connections.length === 1);
    expect(await timedDisconnect(client)).toBeLessThan(BOUND_MS);
    expect(await connecting).toMatchObject({ code: 'DISCONNECTED' });
  });

  it('returns at once during the auto-login', async () => {
    await using server = await MockServer.start({ requiresAuth: true });
    server.handle('auth.login', () => NO_REPLY);
    const client = new NoexClient(server.url, { reconnect: false, auth: { token: 't' } });
    const connecting = client.connect().catch((error: unknown) => error);
    await server.waitFor(() => server.requests('auth.login').length === 1);
    expect(await timedDisconnect(client)).toBeLessThan(BOUND_MS);
    expect(await connecting).toMatchObject({ code: 'DISCONNECTED' });
    await server.waitFor(() => server.connections[0]!.closed);
    expect(server.connections[0]!.closeCode).toBe(1000);
  });

  it('returns at once while connected', async () => {
    await using pair = await connectedPair();
    expect(await timedDisconnect(pair.client)).toBeLessThan(BOUND_MS);
  });

  it('returns at once during the restore after a drop', async () => {
    await using server = await MockServer.start();
    let first = true;
    server.handle('store.subscribe', () => {
      if (!first) return NO_REPLY;
      first = false;
      return { subscriptionId: 'sub-1', data: [] };
    });
    const client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await client.store.subscribe('q', () => {});
    server.connection.terminate();
    await server.waitFor(() => server.requests('store.subscribe').length === 2);
    expect(await timedDisconnect(client)).toBeLessThan(BOUND_MS);
    expect(client.state).toBe('disconnected');
  });

  it('returns at once during the wait before a reconnect attempt', async () => {
    await using server = await MockServer.start();
    const client = new NoexClient(server.url, {
      reconnect: { initialDelayMs: 60_000, jitterMs: 0 },
    });
    await client.connect();
    await dropConnection(server, client, 'reconnecting');
    expect(await timedDisconnect(client)).toBeLessThan(BOUND_MS);
  });

  it('returns at once during a reconnect attempt that waits for its welcome', async () => {
    await using server = await MockServer.start();
    const client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    (server.options as { welcome?: boolean }).welcome = false;
    server.connection.terminate();
    await server.waitFor(() => server.connections.length === 2);
    expect(await timedDisconnect(client)).toBeLessThan(BOUND_MS);
    expect(client.state).toBe('disconnected');
  });
});

describe('one signal for many calls', () => {
  it('adds one abort listener however many calls share the signal, and warns of nothing', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await using pair = await connectedPair();
      const { server, client } = pair;
      server.handle('store.buckets', () => NO_REPLY);
      const controller = new AbortController();
      const calls = Array.from({ length: 50 }, () =>
        client.store.buckets({ signal: controller.signal }),
      );
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort(new Error('stop'));
      for (const call of calls) await expect(call).rejects.toThrow('stop');
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      await delay(10);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('removes the listener when the last call on the signal is answered', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.buckets', () => BUCKETS);
    const controller = new AbortController();
    await Promise.all([
      pair.client.store.buckets({ signal: controller.signal }),
      pair.client.store.buckets({ signal: controller.signal }),
    ]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
