import { describe, expectTypeOf, it } from 'vitest';
import { NoexClient, type BucketAPI, type ProcedureResult, type RecordMeta } from '../../index.js';
import {
  createClient,
  type App,
  type CustomersInsert,
  type CustomersRecord,
  type OrdersRecord,
} from './generated/shop.js';

/**
 * Type tests of a generated app (test/app/generated/shop.ts, from
 * fixtures/shop.schema.json): `npm run typecheck` checks that the uses compile
 * and that every misuse marked `@ts-expect-error` does not.
 */

type Customer = CustomersRecord & RecordMeta;

describe('a client typed by a generated App', () => {
  it('createClient and new NoexClient<App> give the same client', () => {
    expectTypeOf(createClient).returns.toEqualTypeOf<NoexClient<App>>();
    expectTypeOf(new NoexClient<App>('ws://x')).toEqualTypeOf<NoexClient<App>>();
  });

  it('buckets by name: stored records, what insert and update take, filters and aggregates', () => {
    function uses(client: NoexClient<App>) {
      const customers = client.store.bucket('customers');
      expectTypeOf(customers).toEqualTypeOf<BucketAPI<App['buckets']['customers']>>();
      // Fields with a default or a generated value may be left out of an insert.
      expectTypeOf(customers.insert({ email: 'a@b.cz', name: 'Ann' })).toEqualTypeOf<
        Promise<Customer>
      >();
      expectTypeOf<Parameters<typeof customers.insert>[0]>().toEqualTypeOf<CustomersInsert>();
      // …and are present on stored records, as are required fields; others may be absent or null.
      expectTypeOf<Customer['id']>().toEqualTypeOf<string>();
      expectTypeOf<Customer['tier']>().toEqualTypeOf<'free' | 'pro' | 'enterprise'>();
      expectTypeOf<Customer['active']>().toEqualTypeOf<boolean>();
      expectTypeOf<Customer['signedUpAt']>().toEqualTypeOf<string | number>();
      expectTypeOf<Customer['website']>().toEqualTypeOf<string | null | undefined>();
      expectTypeOf<NonNullable<Customer['address']>['geo']>().toEqualTypeOf<
        { lat?: number | null; lng?: number | null } | null | undefined
      >();
      expectTypeOf<Customer['tags']>().toEqualTypeOf<string[] | null | undefined>();
      expectTypeOf<Customer['_version']>().toEqualTypeOf<number>();
      expectTypeOf(customers.get('c1')).toEqualTypeOf<Promise<Customer | null>>();
      expectTypeOf(customers.where({ tier: 'pro', _createdAt: { $gte: 0 } })).toEqualTypeOf<
        Promise<Customer[]>
      >();
      void customers.update('c1', { website: null, tier: 'enterprise', address: null });
      void customers.findOne({ $or: [{ name: { $startsWith: 'A' } }, { active: false }] });
      const page = customers.paginate({ limit: 10 });
      expectTypeOf(page).resolves.toHaveProperty('records').toEqualTypeOf<Customer[]>();

      const orders = client.store.bucket('orders');
      // Keyed by `number`: its records have no `id`.
      expectTypeOf(orders.insert({ customerId: 'c', total: 1 })).resolves.not.toHaveProperty('id');
      expectTypeOf(orders.get(1)).toEqualTypeOf<Promise<(OrdersRecord & RecordMeta) | null>>();
      expectTypeOf<Parameters<typeof orders.sum>[0]>().toEqualTypeOf<
        'number' | 'total' | 'quantity' | 'priority'
      >();
      void orders.insert({
        customerId: 'c1',
        total: 10,
        lines: [{ sku: 'x', qty: 1 }],
        priority: 2,
      });
      void orders.max('total', { status: 'paid' });
    }
    function misuses(client: NoexClient<App>) {
      // @ts-expect-error a bucket the schema does not know
      client.store.bucket('nope');
      const customers = client.store.bucket('customers');
      // @ts-expect-error email is required
      void customers.insert({ name: 'Ann' });
      // @ts-expect-error tier is one of its enum values
      void customers.insert({ email: 'a@b.cz', name: 'Ann', tier: 'gold' });
      // @ts-expect-error name is a string
      void customers.insert({ email: 'a@b.cz', name: 3 });
      // @ts-expect-error the nested address needs its required city
      void customers.insert({ email: 'a@b.cz', name: 'Ann', address: { street: 'Main' } });
      // @ts-expect-error a generated field cannot be updated
      void customers.update('c1', { signedUpAt: 1 });
      // @ts-expect-error the key cannot be updated
      void customers.update('c1', { id: 'c2' });
      // @ts-expect-error a required field cannot be cleared
      void customers.update('c1', { name: null });
      // @ts-expect-error a field the bucket does not have
      void customers.where({ nickname: 'x' });
      // @ts-expect-error a filter value of the field's type
      void customers.where({ tier: 'gold' });
      // @ts-expect-error sum takes a numeric field
      void client.store.bucket('orders').sum('customerId');
    }
    expectTypeOf(uses).toBeFunction();
    expectTypeOf(misuses).toBeFunction();
  });

  it('an explicit record type opens a bucket created at run time', () => {
    function uses(client: NoexClient<App>) {
      const logs = client.store.bucket<{ line: string }>('logs-2024');
      expectTypeOf(logs.all()).toEqualTypeOf<
        Promise<({ line: string } & RecordMeta & { id: string })[]>
      >();
    }
    expectTypeOf(uses).toBeFunction();
  });

  it('queries by name: params where the filter uses them, results from bucket, fields and aggregate', () => {
    function uses(client: NoexClient<App>) {
      void client.store.subscribe(
        'customers-by-tier',
        (data) => expectTypeOf(data).toEqualTypeOf<Customer[]>(),
        { tier: 'pro' },
      );
      void client.store.subscribe('order-count', (count) =>
        expectTypeOf(count).toEqualTypeOf<number>(),
      );
      void client.store.subscribe('largest-order', (max) =>
        expectTypeOf(max).toEqualTypeOf<number | undefined>(),
      );
      void client.store.subscribe('customer-names', (rows) =>
        expectTypeOf(rows).toEqualTypeOf<Pick<Customer, 'id' | 'name' | 'tier' | '_version'>[]>(),
      );
      void client.store.subscribe('revenue-by-status', (groups) =>
        expectTypeOf(groups).toEqualTypeOf<
          { key: Pick<OrdersRecord, 'status'>; value: number }[]
        >(),
      );
      void client.store.subscribe(
        'big-orders',
        (orders) => expectTypeOf(orders).toEqualTypeOf<(OrdersRecord & RecordMeta)[]>(),
        { minTotal: 100, statuses: ['paid', 'shipped'], customerId: 'c1', prioritized: true },
      );
      void client.store.subscribe('orders-between', () => {}, { low: 1, high: 2, prefix: 'c' });
      void client.store.subscribe('all-customers', (all) =>
        expectTypeOf(all).toEqualTypeOf<Customer[]>(),
      );
      void client.store.subscribe(
        'customer-by-email',
        (one) => expectTypeOf(one).toEqualTypeOf<Customer | null>(),
        {
          email: 'a@b.cz',
        },
      );
      void client.store.subscribe('live-stats', (stats) =>
        expectTypeOf(stats).toEqualTypeOf<unknown>(),
      );
      expectTypeOf(client.store.watch('smallest-order-of', { customerId: 'c1' })).toEqualTypeOf<
        AsyncIterableIterator<number | undefined>
      >();
      expectTypeOf(client.store.watch<string[]>('defined-at-run-time')).toEqualTypeOf<
        AsyncIterableIterator<string[]>
      >();
      void client.store.subscribe<string[]>('defined-at-run-time', (rows) =>
        expectTypeOf(rows).toEqualTypeOf<string[]>(),
      );
    }
    function misuses(client: NoexClient<App>) {
      // @ts-expect-error the query's filter uses params.tier
      void client.store.subscribe('customers-by-tier', () => {});
      // @ts-expect-error params.tier is typed from the field it filters
      void client.store.subscribe('customers-by-tier', () => {}, { tier: 'gold' });
      // @ts-expect-error $in takes an array of the field's values
      void client.store.subscribe('big-orders', () => {}, {
        minTotal: 1,
        statuses: 'paid',
        customerId: 'c',
        prioritized: true,
      });
      // @ts-expect-error a query the schema does not know
      void client.store.subscribe('nope', () => {});
      // @ts-expect-error a query the schema does not know
      void client.store.watch('nope');
      // @ts-expect-error the declared params need an email
      void client.store.watch('customer-by-email', {});
    }
    expectTypeOf(uses).toBeFunction();
    expectTypeOf(misuses).toBeFunction();
  });

  it('procedures by name: input from the input spec, result where the schema file declares it', () => {
    function uses(client: NoexClient<App>) {
      const placed = client.procedures.call('place-order', {
        customerId: 'c1',
        total: 5,
        lines: [],
      });
      expectTypeOf(placed)
        .resolves.toHaveProperty('result')
        .toEqualTypeOf<OrdersRecord & RecordMeta>();
      expectTypeOf(client.procedures.call('touch'))
        .resolves.toHaveProperty('result')
        .toEqualTypeOf<number>();
      expectTypeOf(client.procedures.call('purge-sessions')).toEqualTypeOf<
        Promise<ProcedureResult>
      >();
      void client.procedures.call('place-order', {
        customerId: 'c1',
        total: 5,
        lines: [],
        note: 'x',
        priority: 1,
      });
      expectTypeOf(client.procedures.call<number>('registered-at-run-time', { a: 1 }))
        .resolves.toHaveProperty('result')
        .toEqualTypeOf<number>();
    }
    function misuses(client: NoexClient<App>) {
      // @ts-expect-error total is required (the server's default is required: true)
      void client.procedures.call('place-order', { customerId: 'c1', lines: [] });
      // @ts-expect-error the input is required
      void client.procedures.call('place-order');
      // @ts-expect-error total is a number
      void client.procedures.call('place-order', { customerId: 'c1', total: '5', lines: [] });
      // @ts-expect-error a procedure the schema does not know
      void client.procedures.call('nope');
    }
    expectTypeOf(uses).toBeFunction();
    expectTypeOf(misuses).toBeFunction();
  });

  it('the untyped client is unchanged: any name, untyped records, params and results', () => {
    function uses(client: NoexClient) {
      const any = client.store.bucket('whatever');
      expectTypeOf(any).toEqualTypeOf<BucketAPI<Record<string, unknown>>>();
      void client.store.subscribe('q', (data) => expectTypeOf(data).toEqualTypeOf<unknown>(), {
        any: 1,
      });
      expectTypeOf(client.procedures.call('p', { x: 1 })).toEqualTypeOf<Promise<ProcedureResult>>();
      expectTypeOf(client.procedures.call('p')).toEqualTypeOf<Promise<ProcedureResult>>();
    }
    expectTypeOf(uses).toBeFunction();
  });
});
