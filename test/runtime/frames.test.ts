import { describe, expect, it, vi } from 'vitest';
import { NoexClientError, ProtocolError } from '../../runtime/index.js';
import { NO_REPLY } from '../../testing/mock-server.js';
import { connectedPair } from '../helpers.js';

describe('heartbeat', () => {
  it('answers every ping with a pong that echoes its timestamp', async () => {
    await using pair = await connectedPair();
    pair.server.connection.ping(1795708183727);
    pair.server.connection.ping(1795708184127);
    await pair.server.waitFor(() => pair.server.requests('pong').length === 2);
    expect(pair.server.requests('pong')).toEqual([
      { type: 'pong', timestamp: 1795708183727 },
      { type: 'pong', timestamp: 1795708184127 },
    ]);
  });

  it('does not answer when heartbeat is off', async () => {
    await using pair = await connectedPair({ heartbeat: false });
    pair.server.connection.ping(5);
    pair.server.handle('store.buckets', () => ({ count: 0, names: [] }));
    await pair.client.store.buckets();
    expect(pair.server.requests('pong')).toEqual([]);
  });
});

describe('malformed server frames', () => {
  async function withPendingGet() {
    const pair = await connectedPair();
    const errors: Error[] = [];
    pair.client.on('error', (e) => errors.push(e));
    let answer!: (data: unknown) => void;
    pair.server.handle('store.get', (_, { connection, frame }) => {
      answer = (data) => connection.send({ id: frame.id, type: 'result', data });
      return NO_REPLY;
    });
    const pending = pair.client.store.bucket('users').get('a');
    await pair.server.waitFor(() => pair.server.requests('store.get').length === 1);
    return { ...pair, errors, pending, answer: (data: unknown) => answer(data) };
  }

  it.each([
    ['invalid JSON', '{"type":', 'ignored a frame that is not JSON'],
    ['a JSON array', '[1,2]', 'ignored a frame that is not a JSON object'],
    ['a JSON scalar', '42', 'ignored a frame that is not a JSON object'],
    ['an unknown frame type', '{"type":"surprise"}', 'ignored a frame of unknown type "surprise"'],
    [
      'a result for an unknown id',
      '{"id":999,"type":"result","data":1}',
      'ignored a result for unknown request id 999',
    ],
    [
      'a result without an id',
      '{"type":"result","data":1}',
      'ignored a result for unknown request id undefined',
    ],
    [
      'a push without a subscription id',
      '{"type":"push","channel":"subscription","data":1}',
      'ignored a push without a subscriptionId',
    ],
  ])('reports %s on error and keeps the pending request intact', async (_, raw, message) => {
    await using pair = await withPendingGet();
    pair.server.connection.send(raw);
    await vi.waitFor(() => expect(pair.errors).toHaveLength(1));
    expect(pair.errors[0]).toBeInstanceOf(ProtocolError);
    expect(pair.errors[0]!.message).toBe(message);
    pair.answer(null);
    await expect(pair.pending).resolves.toBeNull();
  });

  it('settles a request once when its result comes twice, and reports the duplicate', async () => {
    await using pair = await withPendingGet();
    pair.answer(null);
    pair.answer({ id: 'a', _version: 1, _createdAt: 1, _updatedAt: 1 });
    await expect(pair.pending).resolves.toBeNull();
    await vi.waitFor(() =>
      expect(pair.errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^ignored a result for unknown request id \d+$/),
      ]),
    );
  });

  it('reports a binary frame and stays connected', async () => {
    await using pair = await withPendingGet();
    pair.server.connection.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await vi.waitFor(() => expect(pair.errors).toHaveLength(1));
    expect(pair.errors[0]!.message).toBe('ignored a binary frame: the protocol is JSON text');
    pair.answer(null);
    await expect(pair.pending).resolves.toBeNull();
    expect(pair.client.isConnected).toBe(true);
  });

  it('handles a large frame', async () => {
    await using pair = await withPendingGet();
    const big = {
      id: 'a',
      blob: 'x'.repeat(4 * 1024 * 1024),
      _version: 1,
      _createdAt: 1,
      _updatedAt: 1,
    };
    pair.answer(big);
    await expect(pair.pending).resolves.toEqual(big);
  });

  it('reports protocol-level errors (id 0) from the server on error', async () => {
    await using pair = await withPendingGet();
    pair.server.connection.send({
      id: 0,
      type: 'error',
      code: 'PARSE_ERROR',
      message: 'Invalid JSON',
    });
    await vi.waitFor(() => expect(pair.errors).toHaveLength(1));
    expect(pair.errors[0]).toBeInstanceOf(NoexClientError);
    expect(pair.errors[0]).toMatchObject({ code: 'PARSE_ERROR', message: 'Invalid JSON' });
    pair.answer(null);
    await expect(pair.pending).resolves.toBeNull();
  });

  it('survives an error handler that throws', async () => {
    await using pair = await withPendingGet();
    pair.client.on('error', () => {
      throw new Error('handler bug');
    });
    pair.server.connection.send('not json');
    await vi.waitFor(() => expect(pair.errors).toHaveLength(1));
    pair.answer(null);
    await expect(pair.pending).resolves.toBeNull();
  });
});
