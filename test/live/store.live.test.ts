import { expect, it, vi } from 'vitest';
import { NoexClient } from '../../index.js';
import { describeLive, startServer } from './harness.js';

describeLive('live: store quick start against noex-server 0.1.4', () => {
  it('inserts, gets, filters, paginates, subscribes with a push and runs a transaction', async () => {
    await using server = await startServer('open');
    await using client = new NoexClient(server.url, { validateResults: 'strict' });
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
