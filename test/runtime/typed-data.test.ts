import Type from 'typebox';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { RequestValidationError, ResultValidationError } from '../../runtime/index.js';
import { connectedPair, framesOf } from '../helpers.js';

const User = Type.Object({
  id: Type.String(),
  name: Type.String({ minLength: 1 }),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  email: Type.Optional(Type.String({ format: 'email' })),
  role: Type.Union([Type.Literal('user'), Type.Literal('admin')]),
});
const meta = { _version: 1, _createdAt: 1, _updatedAt: 1 };

describe('buckets typed by a schema', () => {
  it('types records from the schema', async () => {
    await using pair = await connectedPair();
    const users = pair.client.store.bucket('users', User);
    pair.server.handle('store.insert', ({ data }) => ({ id: 'u1', ...data, ...meta }));
    const alice = await users.insert({ name: 'Alice', role: 'admin' });
    expectTypeOf(alice.name).toEqualTypeOf<string>();
    expectTypeOf(alice.role).toEqualTypeOf<'user' | 'admin'>();
    expectTypeOf(alice._version).toEqualTypeOf<number>();
    expect(alice).toEqual({ id: 'u1', name: 'Alice', role: 'admin', ...meta });
  });

  it('refuses a record that breaks the schema, naming each field, and sends nothing', async () => {
    await using pair = await connectedPair();
    const users = pair.client.store.bucket('users', User);
    const error = (await users
      .insert({ name: '', age: 200, email: 'nope', role: 'root' } as never)
      .catch((e: unknown) => e)) as RequestValidationError;
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error.issues).toEqual([
      { path: 'data.name', message: 'expected non-empty string' },
      { path: 'data.age', message: 'expected at most 150' },
      { path: 'data.email', message: 'expected email format' },
      { path: 'data.role', message: 'expected "user" or "admin"' },
    ]);
    expect(pair.server.received).toEqual([]);
  });

  it('checks updates field by field, all optional', async () => {
    await using pair = await connectedPair();
    const users = pair.client.store.bucket('users', User);
    pair.server.handle('store.update', ({ key, data }) => ({
      id: key,
      name: 'A',
      role: 'user',
      ...data,
      ...meta,
    }));
    await expect(users.update('u1', { age: 31 })).resolves.toMatchObject({ age: 31 });
    await expect(users.update('u1', { age: -1 })).rejects.toThrow(
      'store.update (bucket "users"): invalid request: data.age: expected integer ≥ 0',
    );
    expect(framesOf(pair.server)).toEqual([
      { type: 'store.update', bucket: 'users', key: 'u1', data: { age: 31 } },
    ]);
  });

  it('rejects a received record that breaks the schema, with its path', async () => {
    await using pair = await connectedPair();
    const users = pair.client.store.bucket('users', User);
    pair.server.handle('store.all', () => [
      { id: 'a', name: 'A', role: 'user', ...meta },
      { id: 'b', name: 'B', role: 'superuser', ...meta },
    ]);
    pair.server.handle('store.paginate', () => ({
      records: [{ id: 'c', role: 'user', ...meta }],
      hasMore: false,
    }));
    pair.server.handle('store.get', () => null);
    const error = (await users.all().catch((e: unknown) => e)) as ResultValidationError;
    expect(error).toBeInstanceOf(ResultValidationError);
    expect(error.issues).toEqual([{ path: '[1].role', message: 'expected "user" or "admin"' }]);
    await expect(users.paginate({ limit: 5 })).rejects.toThrow(
      'store.paginate: unexpected result: records[0].name: is required',
    );
    await expect(users.get('zzz')).resolves.toBeNull();
  });

  it('sends its calls in order with the client’s other calls once its checks have loaded', async () => {
    await using pair = await connectedPair();
    const users = pair.client.store.bucket('users', User);
    pair.server.handle('store.insert', ({ data }) => ({ id: 'u1', ...data, ...meta }));
    pair.server.handle('store.get', () => null);
    await users.get('warm-up'); // its checks are in by now (they load as the bucket is made)
    const before = pair.server.received.length;
    await Promise.all([
      users.insert({ name: 'Alice', role: 'user' }),
      pair.client.store.bucket('other').get('k'),
      users.insert({ name: 'Ben', role: 'user' }),
    ]);
    expect(framesOf(pair.server, before).map((frame) => frame.type)).toEqual([
      'store.insert',
      'store.get',
      'store.insert',
    ]);
  });

  it('refuses a schema that does not describe records when the bucket is made', async () => {
    await using pair = await connectedPair();
    expect(() => pair.client.store.bucket('x', Type.String() as never)).toThrow(
      'a bucket schema must be an object schema with properties',
    );
  });

  it('refuses, on the first call, a schema it cannot check, and sends nothing', async () => {
    await using pair = await connectedPair();
    const hosts = pair.client.store.bucket(
      'x',
      Type.Object({ a: Type.String({ format: 'hostname' }) }),
    );
    await expect(hosts.insert({ a: 'example.org' })).rejects.toThrow(
      'bucket schema.a: format "hostname" is not supported',
    );
    expect(pair.server.received).toEqual([]);
  });
});

describe('watch', () => {
  it('yields each result of a query and unsubscribes on break', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 0 }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    const seen: unknown[] = [];
    for await (const count of client.store.watch('user-count')) {
      seen.push(count);
      if (count === 2) break;
      server.connection.push('sub-1', (count as number) + 1);
    }
    expect(seen).toEqual([0, 1, 2]);
    await server.waitFor(() => server.requests('store.unsubscribe').length === 1);
  });

  it('gives a slow consumer the latest result, not a backlog', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 0 }));
    server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const watch = client.store.watch('user-count');
    expect(await watch.next()).toEqual({ value: 0, done: false });
    for (let n = 1; n <= 5; n++) server.connection.push('sub-1', n);
    await client.store.buckets();
    expect(await watch.next()).toEqual({ value: 5, done: false });
    await watch.return!();
    expect(await watch.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with the abort reason when its signal is aborted', async () => {
    await using pair = await connectedPair();
    pair.server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 0 }));
    pair.server.handle('store.unsubscribe', () => ({ unsubscribed: true }));
    const controller = new AbortController();
    const watch = pair.client.store.watch('q', undefined, { signal: controller.signal });
    expect((await watch.next()).value).toBe(0);
    const pending = watch.next();
    controller.abort(new Error('left the page'));
    await expect(pending).rejects.toThrow('left the page');
    await pair.server.waitFor(() => pair.server.requests('store.unsubscribe').length === 1);
  });

  it('rejects when the subscription is refused', async () => {
    await using pair = await connectedPair();
    const watch = pair.client.store.watch('nope');
    await expect(watch.next()).rejects.toMatchObject({ code: 'UNKNOWN_OPERATION' });
  });

  it('yields every rule event in order, with its topic', async () => {
    await using pair = await connectedPair();
    const { server, client } = pair;
    server.handle('rules.subscribe', () => ({ subscriptionId: 'sub-2' }));
    server.handle('rules.unsubscribe', () => ({ unsubscribed: true }));
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const events = client.rules.watch('order.*');
    const first = events.next();
    await server.waitFor(() => server.requests('rules.subscribe').length === 1);
    await client.store.buckets();
    const event = (n: number) => ({
      id: `e${n}`,
      topic: 'order.created',
      data: { n },
      timestamp: n,
      source: 'api',
    });
    for (let n = 1; n <= 3; n++)
      server.connection.push('sub-2', { topic: 'order.created', event: event(n) }, 'event');
    expect(await first).toEqual({
      value: { event: event(1), topic: 'order.created' },
      done: false,
    });
    expect((await events.next()).value.event.data).toEqual({ n: 2 });
    expect((await events.next()).value.event.data).toEqual({ n: 3 });
    await events.return!();
  });

  it('ends when its subscription cannot be restored after a reconnect', async () => {
    await using pair = await connectedPair({ reconnect: { initialDelayMs: 0, jitterMs: 0 } });
    const { server, client } = pair;
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: [] }));
    const watch = client.store.watch('gone');
    await watch.next();
    client.on('error', () => {});
    server.handle('store.subscribe', () => {
      throw new Error('Query "gone" is not defined');
    });
    const pending = watch.next();
    server.connection.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'SUBSCRIPTION_LOST' });
  });
});

describe('bucket.iterate', () => {
  it('walks every record a page at a time', async () => {
    await using pair = await connectedPair();
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, ...meta }));
    pair.server.handle('store.paginate', ({ limit, after }) => {
      const start = after === undefined ? 0 : rows.findIndex((r) => r.id === after) + 1;
      const records = rows.slice(start, start + limit);
      return { records, hasMore: start + limit < rows.length, nextCursor: records.at(-1)?.id };
    });
    const ids: string[] = [];
    for await (const record of pair.client.store
      .bucket<{ id: string }>('rows')
      .iterate({ pageSize: 2 })) {
      ids.push(record.id);
    }
    expect(ids).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(framesOf(pair.server)).toEqual([
      { type: 'store.paginate', bucket: 'rows', limit: 2 },
      { type: 'store.paginate', bucket: 'rows', limit: 2, after: 'r1' },
      { type: 'store.paginate', bucket: 'rows', limit: 2, after: 'r3' },
    ]);
  });
});

describe('logger', () => {
  it('sees connection changes and frames, with credentials redacted', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (message: string, frame: unknown) =>
        lines.push(`debug ${message} ${JSON.stringify(frame)}`),
      info: (message: string) => lines.push(`info ${message}`),
    };
    await using pair = await connectedPair({ logger }, { requiresAuth: false });
    pair.server.handle('identity.login', () => ({
      token: 'tok-123',
      expiresAt: 1,
      user: { id: 'u', username: 'alice', roles: [] },
    }));
    await pair.client.identity.login('alice', 'hunter22');
    expect(lines[0]).toBe(`info connected to ${pair.server.url}`);
    expect(lines).toContain(
      'debug send {"id":1,"type":"identity.login","username":"alice","password":"[redacted]"}',
    );
    expect(
      lines.some((l) => l.startsWith('debug receive') && l.includes('"token":"[redacted]"')),
    ).toBe(true);
    expect(lines.join('\n')).not.toMatch(/hunter22|tok-123/);
  });

  it('is silent by default', async () => {
    const spy = vi.spyOn(console, 'log');
    await using pair = await connectedPair();
    void pair;
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
