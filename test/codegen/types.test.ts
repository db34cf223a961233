import Type from 'typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type { BucketAPI, NoexClient } from '../../generated/client.js';
import type { RuleEvent, StoreRecord, UserInfo } from '../../generated/types.js';
import type { BucketPage, BucketRecord, RecordMeta, Unsubscribe } from '../../runtime/index.js';

interface User {
  name: string;
  age: number;
  email?: string;
}

describe('types', () => {
  it('a typed bucket takes T and resolves T plus the record metadata', () => {
    type Users = BucketAPI<User>;
    expectTypeOf<User>().toExtend<Parameters<Users['insert']>[0]>();
    expectTypeOf<{ name: string }>().not.toExtend<Parameters<Users['insert']>[0]>();
    expectTypeOf<ReturnType<Users['insert']>>().toEqualTypeOf<
      Promise<User & RecordMeta & { id: string }>
    >();
    expectTypeOf<
      Awaited<ReturnType<BucketAPI<{ sku: number }>['insert']>>['sku']
    >().toEqualTypeOf<number>();
    expectTypeOf<
      Awaited<ReturnType<BucketAPI<{ id: number }>['insert']>>['id']
    >().toEqualTypeOf<number>();
    expectTypeOf<ReturnType<Users['get']>>().toEqualTypeOf<Promise<BucketRecord<User> | null>>();
    expectTypeOf<ReturnType<Users['paginate']>>().toEqualTypeOf<Promise<BucketPage<User>>>();
    expectTypeOf<ReturnType<Users['delete']>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<Parameters<Users['sum']>[0]>().toEqualTypeOf<'age'>();
    expectTypeOf<{ age: 3 }>().toExtend<Parameters<Users['update']>[1]>();
    expectTypeOf<{ age: { $gte: 18 } }>().toExtend<Parameters<Users['where']>[0]>();
  });

  it('an untyped bucket works with plain records', () => {
    type Any = BucketAPI;
    expectTypeOf<Parameters<Any['sum']>[0]>().toEqualTypeOf<string>();
    expectTypeOf<{ anything: 1 }>().toExtend<Parameters<Any['insert']>[0]>();
  });

  it('client.request infers payload and result from the operation name', () => {
    type Request = NoexClient['request'];
    expectTypeOf<Request>().toBeCallableWith('store.get', { bucket: 'users', key: 'a' });
    expectTypeOf<Request>().toBeCallableWith('store.buckets');
    expectTypeOf<ReturnType<typeof get>>().toEqualTypeOf<Promise<StoreRecord | null>>();
    function get(client: NoexClient) {
      return client.request('store.get', { bucket: 'users', key: 'a' });
    }
    function misuse(client: NoexClient) {
      // @ts-expect-error store.get needs a payload
      void client.request('store.get');
      // @ts-expect-error the payload of store.get has no field `name`
      void client.request('store.get', { bucket: 'users', name: 'x' });
      // @ts-expect-error there is no such operation
      void client.request('store.nope', {});
    }
    expectTypeOf(misuse).toBeFunction();
  });

  it('namespaces resolve the server’s shapes', () => {
    expectTypeOf<ReturnType<NoexClient['identity']['getUser']>>().toEqualTypeOf<
      Promise<UserInfo>
    >();
    expectTypeOf<ReturnType<NoexClient['rules']['emit']>>().toEqualTypeOf<Promise<RuleEvent>>();
    expectTypeOf<ReturnType<NoexClient['store']['subscribe']>>().toEqualTypeOf<
      Promise<Unsubscribe>
    >();
    expectTypeOf<Parameters<NoexClient['rules']['subscribe']>[1]>().toEqualTypeOf<
      (event: RuleEvent, topic: string) => void
    >();
  });

  it('store subscriptions and watches take the caller’s type for query results', () => {
    function typedResults(client: NoexClient) {
      void client.store.subscribe<User[]>('all-users', (users) => {
        expectTypeOf(users).toEqualTypeOf<User[]>();
      });
      expectTypeOf(client.store.watch<number>('user-count')).toEqualTypeOf<
        AsyncIterableIterator<number>
      >();
      expectTypeOf(client.store.watch('user-count')).toEqualTypeOf<
        AsyncIterableIterator<unknown>
      >();
    }
    expectTypeOf(typedResults).toBeFunction();
  });

  it('the methods built on operations keep the generated types', () => {
    function builtOn(client: NoexClient) {
      expectTypeOf(client.store.bucket<User>('users')).toEqualTypeOf<BucketAPI<User>>();
      expectTypeOf(client.store.bucket('users')).toEqualTypeOf<BucketAPI>();
      const schema = Type.Object({ name: Type.String(), age: Type.Number() });
      expectTypeOf(client.store.bucket('users', schema)).toEqualTypeOf<
        BucketAPI<{ name: string; age: number }>
      >();
      expectTypeOf(client.store.bucket<User>('users').iterate({ pageSize: 10 })).toEqualTypeOf<
        AsyncIterableIterator<BucketRecord<User>>
      >();
      expectTypeOf(client.rules.watch('order.*')).toEqualTypeOf<
        AsyncIterableIterator<{ event: RuleEvent; topic: string }>
      >();
    }
    expectTypeOf(builtOn).toBeFunction();
  });
});
