import { describe, expect, it, vi } from 'vitest';
import {
  DisconnectedError,
  NoexClientError,
  RequestTimeoutError,
  RequestValidationError,
  ResultValidationError,
} from '../../runtime/index.js';
import { NO_REPLY, MockError } from '../../testing/mock-server.js';
import { NoexClient } from '../../generated/client.js';
import { connectedPair, framesOf } from '../helpers.js';

describe('requests', () => {
  it('correlates concurrent requests by id whatever order the answers come in', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.handle('store.get', async ({ key }) => {
      if (key === 'slow') await gate;
      return { id: key, _version: 1, _createdAt: 1, _updatedAt: 1 };
    });
    const users = client.store.bucket('users');
    const slow = users.get('slow');
    const fast = users.get('fast');
    await expect(fast).resolves.toMatchObject({ id: 'fast' });
    release();
    await expect(slow).resolves.toMatchObject({ id: 'slow' });
    const ids = server.received.map((r) => r.frame.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => typeof id === 'number' && id >= 1)).toBe(true);
  });

  it('rejects with the server’s code, message and details', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.insert', () => {
      throw new MockError(
        'VALIDATION_ERROR',
        'Validation failed for bucket "users": name: Field is required',
        [{ field: 'name', message: 'Field is required', code: 'required' }],
      );
    });
    const error = await pair.client.store
      .bucket('users')
      .insert({ role: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Validation failed for bucket "users": name: Field is required',
      details: [{ field: 'name', message: 'Field is required', code: 'required' }],
    });
  });

  it('times out with RequestTimeoutError, per client and per call, and ignores the late answer', async () => {
    await using pair = await connectedPair({ requestTimeoutMs: 40 });
    const { server, client } = pair;
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const held: Array<() => void> = [];
    server.handle('store.count', (_, { connection, frame }) => {
      held.push(() => connection.send({ id: frame.id, type: 'result', data: 1 }));
      return NO_REPLY;
    });
    const users = client.store.bucket('users');
    const byDefault = await users.count().catch((e: unknown) => e);
    expect(byDefault).toBeInstanceOf(RequestTimeoutError);
    expect(byDefault).toMatchObject({
      code: 'TIMEOUT',
      message: 'store.count: no answer within 40 ms',
    });
    const perCall = await users.count(undefined, { timeoutMs: 10 }).catch((e: unknown) => e);
    expect((perCall as Error).message).toBe('store.count: no answer within 10 ms');
    held.forEach((answer) => answer());
    server.handle('store.all', () => []);
    await expect(users.all()).resolves.toEqual([]);
    expect(errors).toEqual([]);
  });

  it('waits without a deadline when timeoutMs is 0', async () => {
    await using pair = await connectedPair({ requestTimeoutMs: 20 });
    const answers: Array<() => void> = [];
    pair.server.handle('store.count', (_, { connection, frame }) => {
      answers.push(() => connection.send({ id: frame.id, type: 'result', data: 7 }));
      return NO_REPLY;
    });
    const pending = pair.client.store.bucket('users').count(undefined, { timeoutMs: 0 });
    const timedOut = pair.client.store.bucket('users').count();
    await expect(timedOut).rejects.toBeInstanceOf(RequestTimeoutError);
    answers[0]!();
    await expect(pending).resolves.toBe(7);
  });

  it('rejects with the abort reason and sends nothing when the signal is already aborted', async () => {
    await using pair = await connectedPair();
    const reason = new Error('user navigated away');
    const before = pair.server.received.length;
    const error = await pair.client.store
      .bucket('users')
      .all({ signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(pair.server.received.length).toBe(before);
  });

  it('rejects with the abort reason when aborted while waiting', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.all', () => NO_REPLY);
    const controller = new AbortController();
    const pending = pair.client.store.bucket('users').all({ signal: controller.signal });
    await pair.server.waitFor(() => pair.server.requests('store.all').length === 1);
    controller.abort('stop');
    await expect(pending).rejects.toBe('stop');
  });

  it('fails at once with DisconnectedError while not connected, and sends nothing', async () => {
    const client = new NoexClient('ws://127.0.0.1:1', { reconnect: false });
    const error = await client.store
      .bucket('users')
      .all()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DisconnectedError);
    expect(error).toMatchObject({
      code: 'DISCONNECTED',
      message: 'store.all: not connected (disconnected)',
    });
  });

  it('rejects every pending request with DisconnectedError when the connection drops', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.all', () => NO_REPLY);
    const users = pair.client.store.bucket('users');
    const pending = [users.all(), users.all(), users.all()];
    await pair.server.waitFor(() => pair.server.requests('store.all').length === 3);
    pair.server.connection.terminate();
    const results = await Promise.allSettled(pending);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DisconnectedError);
    }
  });

  it('types client.request by operation name and sends the payload as is', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.buckets', () => ({ count: 1, names: ['users'] }));
    pair.server.handle('store.get', () => null);
    const info = await pair.client.request('store.buckets');
    expect(info.names).toEqual(['users']);
    await expect(pair.client.request('store.get', { bucket: 'users', key: 7 })).resolves.toBeNull();
    expect(framesOf(pair.server)).toEqual([
      { type: 'store.buckets' },
      { type: 'store.get', bucket: 'users', key: 7 },
    ]);
  });
});

describe('request validation', () => {
  it('names the operation and every bad field, and sends nothing', async () => {
    await using pair = await connectedPair();
    const before = pair.server.received.length;
    const error = await pair.client
      .request('store.paginate', { bucket: '', limit: 0, lmit: 5 } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).operation).toBe('store.paginate');
    expect((error as RequestValidationError).issues).toEqual([
      { path: 'bucket', message: 'expected non-empty string' },
      { path: 'limit', message: 'expected positive integer' },
      { path: 'lmit', message: 'is not a known field' },
    ]);
    expect((error as Error).message).toBe(
      'store.paginate: invalid request: bucket: expected non-empty string; limit: expected positive integer; lmit: is not a known field',
    );
    expect(pair.server.received.length).toBe(before);
  });

  it('reaches into nested values with their paths', async () => {
    await using pair = await connectedPair();
    const error = (await pair.client.store
      .transaction([
        { op: 'get', bucket: 'users', key: 'a' },
        { op: 'update', bucket: 'users', data: { a: 1 } } as never,
        { op: 'clear', bucket: 'users' } as never,
      ])
      .catch((e: unknown) => e)) as RequestValidationError;
    expect(error.issues).toEqual([
      { path: 'operations[1].key', message: 'is required' },
      {
        path: 'operations[2].op',
        message: 'expected one of "get", "insert", "update", "delete", "where", "findOne", "count"',
      },
    ]);
  });

  it('rejects a record key of null, as the server would', async () => {
    await using pair = await connectedPair();
    const error = (await pair.client.store
      .bucket('users')
      .get(null as never)
      .catch((e: unknown) => e)) as RequestValidationError;
    expect(error.issues).toEqual([
      { path: 'key', message: 'expected string or number or boolean or array or object' },
    ]);
  });

  it('cannot let payload fields replace the envelope’s id or type', async () => {
    await using pair = await connectedPair();
    const error = await pair.client
      .request('store.all', { bucket: 'users', id: 'x', type: 'store.clear' } as never)
      .catch((e: unknown) => e);
    expect((error as RequestValidationError).issues.map((i) => i.path)).toEqual(['id', 'type']);
    expect(pair.server.received).toHaveLength(0);
  });

  it('rejects an unknown operation name', async () => {
    await using pair = await connectedPair();
    const error = await pair.client
      .request('store.nope' as never, {} as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(pair.server.received).toHaveLength(0);
  });
});

describe('result validation', () => {
  const bad = { count: 'two', names: ['users'] };

  it('reports a mismatching result on error and still resolves it by default', async () => {
    await using pair = await connectedPair({ validateResults: 'report' });
    pair.server.handle('store.buckets', () => bad as never);
    const errors: Error[] = [];
    pair.client.on('error', (e) => errors.push(e));
    await expect(pair.client.store.buckets()).resolves.toEqual(bad);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ResultValidationError);
    expect(errors[0]!.message).toBe('store.buckets: unexpected result: count: expected integer');
  });

  it('rejects the call in strict mode', async () => {
    await using pair = await connectedPair({ validateResults: 'strict' });
    pair.server.handle('store.buckets', () => bad as never);
    await expect(pair.client.store.buckets()).rejects.toBeInstanceOf(ResultValidationError);
  });

  it('skips the check when off', async () => {
    await using pair = await connectedPair({ validateResults: 'off' });
    pair.server.handle('store.buckets', () => bad as never);
    const onError = vi.fn();
    pair.client.on('error', onError);
    await expect(pair.client.store.buckets()).resolves.toEqual(bad);
    expect(onError).not.toHaveBeenCalled();
  });

  it('accepts fields the spec does not list', async () => {
    await using pair = await connectedPair({ validateResults: 'strict' });
    pair.server.handle(
      'store.buckets',
      () => ({ count: 0, names: [], addedInALaterServer: true }) as never,
    );
    await expect(pair.client.store.buckets()).resolves.toMatchObject({ count: 0 });
  });
});
