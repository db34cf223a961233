import { describe, expect, it } from 'vitest';
import { effects } from '../../generated/effects.js';
import { NoexClient } from '../../generated/client.js';
import type { Operations } from '../../generated/types.js';
import {
  ClientCore,
  DisconnectedError,
  RequestValidationError,
  type OperationValidators,
} from '../../runtime/index.js';
import { MockServer } from '../../testing/mock-server.js';
import { closedTogether, framesOf } from '../helpers.js';

const record = { id: 'a', name: 'a', _version: 1, _createdAt: 1, _updatedAt: 1 };

/** A mock server that answers the calls these tests make. */
async function startServer(): Promise<MockServer> {
  return (await MockServer.start())
    .handle('store.insert', () => record)
    .handle('store.get', () => record)
    .handle('store.count', () => 0)
    .handle('rules.emit', ({ topic, data }) => ({
      id: 'e',
      topic,
      timestamp: 1,
      source: 'client',
      data: data ?? {},
    }));
}

// The engine and the generated validators are chunks of their own, loaded when the client is made.
describe('loading the engine', () => {
  it('checks and sends the calls made before it has loaded in the order they were made', async () => {
    const server = await startServer();
    const client = new NoexClient(server.url, { lazy: true, reconnect: false });
    await using _ = closedTogether(server, client);
    const users = client.store.bucket('users');
    // All in one turn: none of them can have been checked yet.
    const calls = [
      users.insert({ name: 'a' }),
      users.get('x'),
      users.first(0),
      users.count(),
      client.rules.emit('t', { n: 1 }),
    ];
    const [inserted, got, invalid, counted, emitted] = await Promise.allSettled(calls);
    expect([inserted, got, counted, emitted].map((r) => r?.status)).toEqual(
      Array(4).fill('fulfilled'),
    );
    expect(invalid).toMatchObject({
      status: 'rejected',
      reason: expect.any(RequestValidationError),
    });
    expect((invalid as PromiseRejectedResult).reason.message).toContain('store.first');
    expect(framesOf(server).map((f) => f.type)).toEqual([
      'store.insert',
      'store.get',
      'store.count',
      'rules.emit',
    ]);
  });

  it('gives a bad call made before connect() its validation error, and a good one DISCONNECTED', async () => {
    const client = new NoexClient('ws://127.0.0.1:9', { reconnect: false });
    const users = client.store.bucket('users');
    await expect(users.first(0)).rejects.toBeInstanceOf(RequestValidationError);
    await expect(users.first(1)).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('has it loaded once connect() resolves: the next call is sent in the same turn', async () => {
    const server = await startServer();
    const client = new NoexClient(server.url, { reconnect: false });
    await using _ = closedTogether(server, client);
    await client.connect();
    const got = client.store.bucket('users').get('k');
    expect(client.inspect().pendingCalls).toBe(1);
    await got;
  });

  it('rejects the waiting calls when a chunk fails to load, and loads it again for the next call', async () => {
    const server = await startServer();
    let attempts = 0;
    const source = async (): Promise<{ validators: OperationValidators }> => {
      if (++attempts === 1) throw new Error('the validators chunk failed to load');
      return import('../../generated/validators.js');
    };
    const core = new ClientCore<Operations>(
      server.url,
      { reconnect: false, lazy: true },
      source,
      effects,
    );
    await using _ = closedTogether(server, core);
    const first = core.request('store.count', { bucket: 'users' });
    const second = core.request('store.count', { bucket: 'users' });
    await expect(first).rejects.toThrow('the validators chunk failed to load');
    await expect(second).rejects.toThrow('the validators chunk failed to load');
    expect(server.received).toHaveLength(0);
    await expect(core.request('store.count', { bucket: 'users' })).resolves.toBe(0);
    await expect(core.request('store.count', { bucket: 1 } as never)).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(attempts).toBe(2);
  });

  it('is connecting from connect() on, and a disconnect() while it loads ends the connect', async () => {
    const server = await startServer();
    const client = new NoexClient(server.url, { reconnect: false });
    await using _ = closedTogether(server, client);
    const states: string[] = [];
    client.on('statechange', (state) => states.push(state));
    const users = client.store.bucket('users');
    const waiting = users.count(undefined, { waitForConnection: true });
    const connecting = client.connect();
    expect(client.state).toBe('connecting');
    expect(client.inspect()).toMatchObject({ state: 'disconnected', waitingCalls: 1 });
    const closed = client.disconnect();
    await expect(connecting).rejects.toBeInstanceOf(DisconnectedError);
    await expect(waiting).rejects.toBeInstanceOf(DisconnectedError);
    await closed;
    expect(client.state).toBe('disconnected');
    expect(server.received).toHaveLength(0);
    // The client connects again as usual.
    await client.connect();
    await expect(users.count()).resolves.toBe(0);
    expect(states).toEqual(['connecting', 'disconnected', 'connecting', 'connected']);
  });
});
