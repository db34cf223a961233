import { expect, it, vi } from 'vitest';
import { NoexClientError, type BucketDefinition } from '../../index.js';
import { connectedToLive, describeLive } from './harness.js';

const open = () => connectedToLive('open');

type Product = { sku: string; name: string; price: number; category: string; stock?: number };

const products: BucketDefinition = {
  key: 'sku',
  schema: {
    sku: { type: 'string', required: true },
    name: { type: 'string', required: true, minLength: 2 },
    price: { type: 'number', min: 0 },
    category: { type: 'string', enum: ['tools', 'toys'] },
    email: { type: 'string', format: 'email', unique: true },
  },
  indexes: ['category'],
};

describeLive('live: store bucket admin against noex-server 0.1.4', () => {
  it('defines a bucket, reads its schema, extends it with updateBucket, and drops it', async () => {
    const { client } = await open();
    expect(await client.store.defineBucket('products', products)).toEqual({
      name: 'products',
      created: true,
    });
    expect((await client.store.buckets()).names).toContain('products');
    const schema = await client.store.getBucketSchema('products');
    expect(schema).toMatchObject({
      name: 'products',
      config: { key: 'sku', indexes: ['category'] },
    });
    expect(schema.config.schema.price).toEqual({ type: 'number', min: 0 });

    const items = client.store.bucket<Product>('products');
    const hammer = await items.insert({ sku: 'h-1', name: 'Hammer', price: 12, category: 'tools' });
    expect(hammer).toMatchObject({ sku: 'h-1', _version: 1 });
    expect(await items.get('h-1')).toEqual(hammer);

    expect(
      await client.store.updateBucket('products', {
        addFields: { stock: { type: 'number', default: 0 } },
        addIndexes: ['price'],
      }),
    ).toEqual({ name: 'products', updated: true });
    // With noex-store 0.2.0 the store's supervisor fails to restart an updated bucket about
    // 50 ms later (AlreadyRegisteredError): read the new schema and drop the bucket before that.
    const updated = await client.store.getBucketSchema('products');
    expect(await client.store.dropBucket('products')).toEqual({ name: 'products', dropped: true });
    expect(updated.config.schema.stock).toEqual({ type: 'number', default: 0 });
    expect(updated.config.indexes).toEqual(['category', 'price']);
    expect((await client.store.buckets()).names).not.toContain('products');
    await expect(items.all()).rejects.toMatchObject({ code: 'BUCKET_NOT_DEFINED' });
  });

  it('enforces the defined schema: VALIDATION_ERROR per field, ALREADY_EXISTS for a unique value', async () => {
    const { client } = await open();
    await client.store.defineBucket('products', products);
    const items = client.store.bucket<Product & { email?: string }>('products');
    const error = (await items
      .insert({ sku: 'x', name: 'X', price: -1, category: 'food' })
      .catch((e: unknown) => e)) as NoexClientError;
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(
      (error.details as { field: string; code: string }[]).map((d) => [d.field, d.code]),
    ).toEqual(
      expect.arrayContaining([
        ['name', 'minLength'],
        ['price', 'min'],
        ['category', 'enum'],
      ]),
    );
    await items.insert({ sku: 'a', name: 'Aa', price: 1, category: 'toys', email: 'a@x.io' });
    await expect(
      items.insert({ sku: 'b', name: 'Bb', price: 1, category: 'toys', email: 'a@x.io' }),
    ).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      details: { bucket: 'products', field: 'email', value: 'a@x.io' },
    });
  });

  it('fails bucket admin on a taken name with ALREADY_EXISTS and on an unknown one with BUCKET_NOT_DEFINED', async () => {
    const { client } = await open();
    await expect(client.store.defineBucket('users', products)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'Bucket "users" already exists',
    });
    await expect(client.store.getBucketSchema('ghost')).rejects.toMatchObject({
      code: 'BUCKET_NOT_DEFINED',
      message: 'Bucket "ghost" does not exist',
    });
    await expect(client.store.dropBucket('ghost')).rejects.toMatchObject({
      code: 'BUCKET_NOT_DEFINED',
      message: 'Bucket "ghost" does not exist',
    });
    await expect(
      client.store.updateBucket('ghost', { addFields: { x: { type: 'string' } } }),
    ).rejects.toMatchObject({ code: 'BUCKET_NOT_DEFINED' });
    // Adding a field that exists is an unmapped store error.
    await expect(
      client.store.updateBucket('users', { addFields: { name: { type: 'string' } } }),
    ).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      message: 'Field "name" already exists in bucket "users"',
    });
  });
});

describeLive('live: store query admin against noex-server 0.1.4', () => {
  it('defines a declarative query with a "{{ params.x }}" filter, subscribes with params, lists and undefines it', async () => {
    const { client } = await open();
    const users = client.store.bucket<{ name: string; role?: string; age?: number }>('users');
    await users.insert({ name: 'Old admin', role: 'admin', age: 70 });
    await users.insert({ name: 'Young admin', role: 'admin', age: 20 });
    await users.insert({ name: 'Old user', role: 'user', age: 80 });

    expect(
      await client.store.defineQuery('by-role-older-than', {
        bucket: 'users',
        filter: { role: '{{ params.role }}', age: { $gte: '{{ params.minAge }}' } },
        sort: { age: 'desc' },
        fields: ['name', 'age'],
      }),
    ).toEqual({ name: 'by-role-older-than', defined: true });

    const seen: unknown[] = [];
    const unsubscribe = await client.store.subscribe(
      'by-role-older-than',
      (data) => seen.push(data),
      { role: 'admin', minAge: 18 },
    );
    expect(seen).toEqual([
      [
        { name: 'Old admin', age: 70 },
        { name: 'Young admin', age: 20 },
      ],
    ]);
    await users.insert({ name: 'Mid admin', role: 'admin', age: 40 });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toEqual([
      { name: 'Old admin', age: 70 },
      { name: 'Mid admin', age: 40 },
      { name: 'Young admin', age: 20 },
    ]);

    await client.store.defineQuery('admin-age-total', {
      bucket: 'users',
      filter: { role: 'admin' },
      aggregate: { function: 'sum', field: 'age' },
    });
    const { queries } = await client.store.listQueries();
    expect(queries.find((q) => q.name === 'by-role-older-than')).toEqual({
      name: 'by-role-older-than',
      type: 'declarative',
      activeSubscriptions: 1,
      config: expect.objectContaining({ bucket: 'users', fields: ['name', 'age'] }),
    });
    expect(queries.find((q) => q.name === 'all-users')).toEqual({
      name: 'all-users',
      type: 'programmatic',
      activeSubscriptions: 0,
    });
    const totals: number[] = [];
    const unsubscribeTotal = await client.store.subscribe('admin-age-total', (n) =>
      totals.push(n as number),
    );
    expect(totals).toEqual([130]);
    unsubscribeTotal();
    unsubscribe();

    expect(await client.store.undefineQuery('by-role-older-than')).toEqual({
      name: 'by-role-older-than',
      undefined: true,
    });
    expect((await client.store.listQueries()).queries.map((q) => q.name)).not.toContain(
      'by-role-older-than',
    );
    await expect(client.store.subscribe('by-role-older-than', () => {})).rejects.toMatchObject({
      code: 'QUERY_NOT_DEFINED',
    });
  });

  it('fails query admin with ALREADY_EXISTS, BUCKET_NOT_DEFINED and QUERY_NOT_DEFINED', async () => {
    const { client } = await open();
    await expect(client.store.defineQuery('all-users', { bucket: 'users' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'Query "all-users" is already defined',
    });
    await expect(client.store.defineQuery('q', { bucket: 'ghost' })).rejects.toMatchObject({
      code: 'BUCKET_NOT_DEFINED',
    });
    await expect(client.store.undefineQuery('no-such-query')).rejects.toMatchObject({
      code: 'QUERY_NOT_DEFINED',
      message: 'Query "no-such-query" is not defined',
    });
  });

  it('keeps a declarative query whose bucket was dropped: subscribing then fails with BUCKET_NOT_DEFINED', async () => {
    const { client } = await open();
    await client.store.defineBucket('temp', {
      key: 'id',
      schema: { id: { type: 'string', generated: 'uuid' } },
    });
    await client.store.defineQuery('all-temp', { bucket: 'temp' });
    await client.store.dropBucket('temp');
    expect((await client.store.listQueries()).queries.map((q) => q.name)).toContain('all-temp');
    await expect(client.store.subscribe('all-temp', () => {})).rejects.toMatchObject({
      code: 'BUCKET_NOT_DEFINED',
    });
  });
});
