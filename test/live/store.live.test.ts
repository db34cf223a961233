import { expect, it, vi } from 'vitest';
import { NoexClientError } from '../../index.js';
import { connectedToLive, describeLive, liveClient, startServer } from './harness.js';

describeLive('live: store quick start against noex-server 0.1.4', () => {
  it('inserts, gets, filters, paginates, subscribes with a push and runs a transaction', async () => {
    await using server = await startServer('open');
    await using client = liveClient(server.url);
    const welcome = await client.connect();
    expect(welcome).toMatchObject({ version: '1.0.0', requiresAuth: false });

    const users = client.store.bucket<{ name: string; role?: string; age?: number }>('users');
    const alice = await users.insert({ name: 'Alice', age: 30 });
    expect(alice).toMatchObject({ name: 'Alice', age: 30, role: 'user', _version: 1 });
    const id = (alice as unknown as { id: string }).id;
    expect(await users.get(id)).toEqual(alice);
    expect(await users.get('nope')).toBeNull();
    await users.insert({ name: 'Bob', role: 'admin' });
    expect((await users.where({ role: 'admin' })).map((u) => u.name)).toEqual(['Bob']);

    const seen: unknown[][] = [];
    const unsubscribe = await client.store.subscribe('all-users', (data) =>
      seen.push(data as unknown[]),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(2);
    await users.insert({ name: 'Carol', role: 'admin' });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toHaveLength(3);
    unsubscribe();

    const page1 = await users.paginate({ limit: 2 });
    expect(page1.records).toHaveLength(2);
    expect(page1.hasMore).toBe(true);
    const page2 = await users.paginate({ limit: 2, after: page1.nextCursor });
    expect(page2.records.map((u) => u.name)).toEqual(['Carol']);
    expect(page2.hasMore).toBe(false);

    const { results } = await client.store.transaction([
      { op: 'insert', bucket: 'orders', data: { status: 'new', total: 10 } },
      { op: 'update', bucket: 'users', key: id, data: { age: 31 } },
      { op: 'get', bucket: 'users', key: id },
      { op: 'count', bucket: 'orders' },
    ]);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(results[2]!.data).toMatchObject({ age: 31, _version: 2 });
    expect(results[3]!.data).toBe(1);

    expect(await users.count()).toBe(3);
    expect(await users.sum('age')).toBe(31);
    await users.delete(id);
    expect(await users.get(id)).toBeNull();
  });
});

type User = { name: string; role?: string; age?: number };
type Order = { status: string; total: number };

async function open() {
  const pair = await connectedToLive('open');
  return { ...pair, users: pair.client.store.bucket<User>('users') };
}

describeLive('live: store data operations against noex-server 0.1.4', () => {
  it('updates a record (merging, _version + 1), finds one or null, and deletes idempotently', async () => {
    const { users } = await open();
    const alice = await users.insert({ name: 'Alice', age: 30 });
    const updated = await users.update(alice.id, { age: 31 });
    expect(updated).toMatchObject({ id: alice.id, name: 'Alice', age: 31, _version: 2 });
    expect(updated._createdAt).toBe(alice._createdAt);
    expect(await users.findOne({ age: { $gte: 31 } })).toEqual(updated);
    expect(await users.findOne({ name: 'Nobody' })).toBeNull();
    await users.delete(alice.id);
    await users.delete(alice.id); // a missing key is not an error
    expect(await users.findOne({ name: 'Alice' })).toBeNull();
  });

  it('reads the first and last n records in insertion order, counts with a filter and clears the bucket', async () => {
    const { users } = await open();
    for (const name of ['A', 'B', 'C', 'D']) await users.insert({ name, age: name.charCodeAt(0) });
    expect((await users.first(2)).map((u) => u.name)).toEqual(['A', 'B']);
    expect((await users.last(2)).map((u) => u.name)).toEqual(['C', 'D']);
    expect((await users.first(10)).map((u) => u.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(await users.count({ age: { $gt: 66 } })).toBe(2);
    expect(
      (await users.where({ $or: [{ name: 'A' }, { name: { $startsWith: 'D' } }] })).map(
        (u) => u.name,
      ),
    ).toEqual(['A', 'D']);
    await users.clear();
    expect(await users.count()).toBe(0);
    expect(await users.all()).toEqual([]);
  });

  it('paginates across every page with the cursor until hasMore is false', async () => {
    const { users } = await open();
    const names = Array.from({ length: 7 }, (_, i) => `user-${i}`);
    for (const name of names) await users.insert({ name });
    const seen: string[] = [];
    const pages: number[] = [];
    let after: unknown;
    for (;;) {
      const page = await users.paginate(after === undefined ? { limit: 3 } : { limit: 3, after });
      pages.push(page.records.length);
      seen.push(...page.records.map((u) => u.name));
      // The server sends nextCursor even on the last page; it is the last record's key.
      expect(page.nextCursor).toBe(page.records.at(-1)!.id);
      if (!page.hasMore) break;
      after = page.nextCursor;
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(names);
    // An unknown cursor gives an empty page, not an error.
    expect(await users.paginate({ limit: 3, after: 'no-such-key' })).toEqual({
      records: [],
      hasMore: false,
    });
  });

  it('aggregates sum, avg, min and max, with a filter and over no rows', async () => {
    const { client } = await open();
    const orders = client.store.bucket<Order>('orders');
    for (const [status, total] of [
      ['paid', 10],
      ['paid', 30],
      ['new', 5],
    ] as const)
      await orders.insert({ status, total });
    expect(await orders.sum('total')).toBe(45);
    expect(await orders.avg('total')).toBe(15);
    expect(await orders.min('total')).toBe(5);
    expect(await orders.max('total')).toBe(30);
    expect(await orders.sum('total', { status: 'paid' })).toBe(40);
    expect(await orders.avg('total', { status: 'paid' })).toBe(20);
    expect(await orders.min('total', { status: 'paid' })).toBe(10);
    expect(await orders.max('total', { status: 'new' })).toBe(5);
    // No matching rows: sum and avg are 0, min and max null.
    expect(await orders.sum('total', { status: 'void' })).toBe(0);
    expect(await orders.avg('total', { status: 'void' })).toBe(0);
    expect(await orders.min('total', { status: 'void' })).toBeNull();
    expect(await orders.max('total', { status: 'void' })).toBeNull();
  });

  it('lists the buckets and reports store stats', async () => {
    const { client, users } = await open();
    await users.insert({ name: 'A' });
    expect(await client.store.buckets()).toEqual({ count: 2, names: ['users', 'orders'] });
    const stats = await client.store.stats();
    expect(stats).toMatchObject({
      buckets: { count: 2 },
      records: { total: 1, perBucket: { users: 1, orders: 0 } },
      queries: { defined: 3, activeSubscriptions: 0 },
      persistence: { enabled: false },
    });
    expect(stats.buckets.names.sort()).toEqual(['orders', 'users']);
  });

  it('fails with BUCKET_NOT_DEFINED for an unknown bucket on every data operation', async () => {
    const { client } = await open();
    const ghost = client.store.bucket<{ x: number }>('ghost');
    const calls: [string, () => Promise<unknown>][] = [
      ['insert', () => ghost.insert({ x: 1 })],
      ['get', () => ghost.get('k')],
      ['update', () => ghost.update('k', { x: 2 })],
      ['delete', () => ghost.delete('k')],
      ['all', () => ghost.all()],
      ['where', () => ghost.where({ x: 1 })],
      ['findOne', () => ghost.findOne({ x: 1 })],
      ['count', () => ghost.count()],
      ['first', () => ghost.first(1)],
      ['last', () => ghost.last(1)],
      ['paginate', () => ghost.paginate({ limit: 1 })],
      ['clear', () => ghost.clear()],
      ['sum', () => ghost.sum('x')],
      ['avg', () => ghost.avg('x')],
      ['min', () => ghost.min('x')],
      ['max', () => ghost.max('x')],
    ];
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(NoexClientError);
      expect(error, name).toMatchObject({
        code: 'BUCKET_NOT_DEFINED',
        message: 'Bucket "ghost" is not defined',
      });
    }
  });

  it('refuses a record that breaks the schema with VALIDATION_ERROR and its field issues, and an update of a missing key with INTERNAL_ERROR', async () => {
    const { users } = await open();
    const error = await users
      .insert({ age: 'old' } as unknown as User)
      .catch((e: unknown) => e as NoexClientError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((error as NoexClientError).details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', code: 'required' }),
        expect.objectContaining({ field: 'age', code: 'type' }),
      ]),
    );
    // The server has no NOT_FOUND for a missing record on update.
    await expect(users.update('missing', { age: 1 })).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      message: 'Record with key "missing" not found in bucket "users"',
    });
    expect(await users.count()).toBe(0);
  });
});

describeLive('live: store subscriptions against noex-server 0.1.4', () => {
  it('subscribes to a query with params: the initial result, then a push for each change that affects it', async () => {
    const { client, users } = await open();
    const admins: User[][] = [];
    const unsubscribe = await client.store.subscribe(
      'users-by-role',
      (data) => admins.push(data as User[]),
      { role: 'admin' },
    );
    expect(admins).toEqual([[]]);
    await users.insert({ name: 'Ann', role: 'admin' });
    await vi.waitFor(() => expect(admins).toHaveLength(2));
    expect(admins[1]!.map((u) => u.name)).toEqual(['Ann']);
    // A change outside the query's result sends no push; the next change that matters does.
    await users.insert({ name: 'Usr', role: 'user' });
    await users.insert({ name: 'Bea', role: 'admin' });
    await vi.waitFor(() => expect(admins).toHaveLength(3));
    expect(admins[2]!.map((u) => u.name)).toEqual(['Ann', 'Bea']);

    const counts: number[] = [];
    const unsubscribeCount = await client.store.subscribe('user-count', (n) =>
      counts.push(n as number),
    );
    expect(counts).toEqual([3]);
    await users.insert({ name: 'Cid' });
    await vi.waitFor(() => expect(counts).toEqual([3, 4]));
    unsubscribe();
    unsubscribeCount();
  });

  it('unsubscribes by subscription id with store.unsubscribe, and an unknown id fails with NOT_FOUND', async () => {
    const { client } = await open();
    const started = await client.request('store.subscribe', { query: 'all-users' });
    expect(started).toEqual({ subscriptionId: expect.stringMatching(/^sub-\d+$/), data: [] });
    expect((await client.server.stats()).connections.totalStoreSubscriptions).toBe(1);
    await client.store.unsubscribe(started.subscriptionId);
    expect((await client.server.stats()).connections.totalStoreSubscriptions).toBe(0);
    const error = await client.store.unsubscribe(started.subscriptionId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: `Subscription "${started.subscriptionId}" not found`,
    });
  });

  it('fails to subscribe to an unknown query with QUERY_NOT_DEFINED', async () => {
    const { client } = await open();
    await expect(client.store.subscribe('no-such-query', () => {})).rejects.toMatchObject({
      code: 'QUERY_NOT_DEFINED',
      message: 'Query "no-such-query" is not defined',
    });
  });
});

describeLive('live: store transactions against noex-server 0.1.4', () => {
  it('runs every operation kind in one transaction; reads see its own earlier writes', async () => {
    const { client, users } = await open();
    const bob = await users.insert({ name: 'Bob', age: 40 });
    const gone = await users.insert({ name: 'Gone' });
    const { results } = await client.store.transaction([
      { op: 'insert', bucket: 'users', data: { name: 'Tx', role: 'admin' } },
      { op: 'update', bucket: 'users', key: bob.id, data: { age: 41 } },
      { op: 'delete', bucket: 'users', key: gone.id },
      { op: 'get', bucket: 'users', key: gone.id },
      { op: 'where', bucket: 'users', filter: { role: 'admin' } },
      { op: 'findOne', bucket: 'users', filter: { name: 'Bob' } },
      { op: 'count', bucket: 'users' },
      { op: 'count', bucket: 'users', filter: { role: 'admin' } },
    ]);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results[0]!.data).toMatchObject({ name: 'Tx', _version: 1 });
    expect(results[1]!.data).toMatchObject({ age: 41, _version: 2 });
    expect(results[2]!.data).toEqual({ deleted: true });
    expect(results[3]!.data).toBeNull();
    expect((results[4]!.data as User[]).map((u) => u.name)).toEqual(['Tx']);
    expect(results[5]!.data).toMatchObject({ name: 'Bob', age: 41 });
    expect(results[6]!.data).toBe(2);
    expect(results[7]!.data).toBe(1);
    expect((await users.all()).map((u) => u.name).sort()).toEqual(['Bob', 'Tx']);
  });

  it('rolls back: when a later operation fails, none of the earlier writes are kept', async () => {
    const { client, users } = await open();
    const carl = await users.insert({ name: 'Carl', age: 20 });
    const error = await client.store
      .transaction([
        { op: 'insert', bucket: 'users', data: { name: 'Never' } },
        { op: 'update', bucket: 'users', key: carl.id, data: { age: 99 } },
        { op: 'insert', bucket: 'orders', data: { status: 'x', total: 'not a number' } },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((await users.all()).map((u) => [u.name, u.age])).toEqual([['Carl', 20]]);
    expect(await client.store.bucket('orders').count()).toBe(0);

    // An unknown bucket inside a transaction is an INTERNAL_ERROR (not BUCKET_NOT_DEFINED), and also rolls back.
    await expect(
      client.store.transaction([
        { op: 'insert', bucket: 'users', data: { name: 'Never either' } },
        { op: 'insert', bucket: 'ghost', data: {} },
      ]),
    ).rejects.toMatchObject({ code: 'INTERNAL_ERROR', message: 'Bucket "ghost" is not defined' });
    expect(await users.count()).toBe(1);
  });
});
