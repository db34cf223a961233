import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { NoexClient } from '../../index.js';
import { MockServer } from '../../testing.js';

/**
 * `ws` in Node: the frames a client sends in one tick leave in one write of
 * the TCP socket, not one system call each.
 */
class CountingWebSocket extends WebSocket {
  static instances: CountingWebSocket[] = [];
  /** Calls that hand data to the operating system: one `_write` or `_writev` each. */
  writes = 0;
  constructor(url: string) {
    super(url);
    CountingWebSocket.instances.push(this);
    this.once('open', () => {
      const tcp = (this as unknown as { _socket: { _write: Function; _writev: Function } })._socket;
      for (const method of ['_write', '_writev'] as const) {
        const original = tcp[method];
        tcp[method] = (...args: unknown[]) => {
          this.writes++;
          return original.apply(tcp, args);
        };
      }
    });
  }
}

async function pair() {
  const server = await MockServer.start();
  server.handle('store.get', ({ key }) => ({ id: key, _version: 1, _createdAt: 1, _updatedAt: 1 }));
  CountingWebSocket.instances = [];
  const client = new NoexClient(server.url, {
    WebSocket: CountingWebSocket as never,
    reconnect: false,
    validateResults: 'strict',
  });
  await client.connect();
  const socket = CountingWebSocket.instances[0]!;
  return {
    server,
    client,
    socket,
    async [Symbol.asyncDispose]() {
      await client.disconnect();
      await server.close();
    },
  };
}

describe('write batching over ws', () => {
  it('sends the requests of one tick in two writes (the first at once, the rest together), each answered', async () => {
    await using p = await pair();
    const users = p.client.store.bucket('users');
    const before = p.socket.writes;
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const records = await Promise.all(keys.map((key) => users.get(key)));
    expect(records.map((r) => r?.id)).toEqual(keys);
    expect(p.socket.writes - before).toBe(2);
    expect(p.server.received.slice(-50).map(({ frame }) => frame.key)).toEqual(keys);
  });

  it('does not hold a lone request: it leaves in the tick it was sent', async () => {
    await using p = await pair();
    const users = p.client.store.bucket('users');
    for (let i = 0; i < 3; i++) {
      const before = p.socket.writes;
      const answer = users.get(`one${i}`);
      await Promise.resolve();
      await Promise.resolve();
      expect(p.socket.writes - before).toBe(1);
      await expect(answer).resolves.toMatchObject({ id: `one${i}` });
    }
  });
});
