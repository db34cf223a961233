import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
import { BucketDefinition, BucketSchemaUpdate, QueryDefinition } from './store-definition.js';
import {
  FieldName,
  JsonObject,
  NonEmptyString,
  payload,
  PositiveInteger,
  RecordInput,
  RecordPatch,
  described,
  StoreKey,
  StoreRecord,
  SubscriptionId,
  WhereFilter,
} from './shapes.js';

const bucket = NonEmptyString;
const count = described(PositiveInteger, 'How many records');
const bucketName = described(NonEmptyString, 'The bucket’s name');
const queryName = described(NonEmptyString, 'The query’s name');
const RecordOrNull = Type.Union([StoreRecord, Type.Null()]);
const Aggregate = (result: TSchema = Type.Number()) => ({
  request: payload({ bucket, field: FieldName, filter: Type.Optional(WhereFilter) }),
  result,
  api: 'bucket' as const,
  safeRetry: true as const,
});

export const PaginatedRecords = Type.Object(
  {
    records: Type.Array(StoreRecord),
    hasMore: Type.Boolean(),
    nextCursor: Type.Optional(Type.Unknown()),
  },
  { $id: 'PaginatedRecords', typedAs: 'BucketPage' },
);

export const BucketsInfo = Type.Object(
  { count: Type.Integer(), names: Type.Array(Type.String()) },
  { $id: 'BucketsInfo' },
);

const PerBucket = Type.Record(Type.String(), Type.Integer());
export const StoreStats = Type.Object(
  {
    name: Type.String(),
    buckets: BucketsInfo,
    records: Type.Object({ total: Type.Integer(), perBucket: PerBucket }),
    indexes: Type.Object({ total: Type.Integer(), perBucket: PerBucket }),
    queries: Type.Object({ defined: Type.Integer(), activeSubscriptions: Type.Integer() }),
    persistence: Type.Object({ enabled: Type.Boolean() }),
    ttl: Type.Object({ enabled: Type.Boolean(), checkIntervalMs: Type.Number() }),
  },
  { $id: 'StoreStats' },
);

export const QueryInfo = Type.Object(
  {
    name: Type.String(),
    type: Type.Union([Type.Literal('programmatic'), Type.Literal('declarative')]),
    activeSubscriptions: Type.Integer(),
    config: Type.Optional(QueryDefinition),
  },
  { $id: 'QueryInfo' },
);

const txBucket = { bucket: NonEmptyString };
export const TransactionOperation = Type.Union(
  [
    Type.Object({ op: Type.Literal('get'), ...txBucket, key: StoreKey }),
    Type.Object({ op: Type.Literal('insert'), ...txBucket, data: JsonObject }),
    Type.Object({ op: Type.Literal('update'), ...txBucket, key: StoreKey, data: JsonObject }),
    Type.Object({ op: Type.Literal('delete'), ...txBucket, key: StoreKey }),
    Type.Object({ op: Type.Literal('where'), ...txBucket, filter: WhereFilter }),
    Type.Object({ op: Type.Literal('findOne'), ...txBucket, filter: WhereFilter }),
    Type.Object({ op: Type.Literal('count'), ...txBucket, filter: Type.Optional(WhereFilter) }),
  ],
  { $id: 'TransactionOperation' },
);

export const TransactionResult = Type.Object(
  { results: Type.Array(Type.Object({ index: Type.Integer(), data: Type.Unknown() })) },
  { $id: 'TransactionResult' },
);

const SubscriptionStarted = Type.Object({
  subscriptionId: Type.String(),
  data: Type.Optional(Type.Unknown()),
});

export const store = defineOperations({
  'store.insert': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED', 'ALREADY_EXISTS', 'INTERNAL_ERROR'],
    sends: 'record',
    returns: 'record',
    request: payload({ bucket, data: RecordInput }),
    result: StoreRecord,
    api: 'bucket',
    example: `const user = await client.store.bucket<User>('users').insert({ name: 'Alice', role: 'admin' });
console.log(user.id, user._version);`,
    doc: 'Insert a record; resolves the stored record with its key and metadata.',
  },
  'store.get': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'recordOrNull',
    safeRetry: true,
    request: payload({ bucket, key: StoreKey }),
    result: RecordOrNull,
    api: 'bucket',
    example: `const user = await client.store.bucket<User>('users').get('user-1');
if (user === null) console.log('no such user');`,
    doc: 'Get a record by key; resolves null when there is none.',
  },
  'store.update': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED', 'ALREADY_EXISTS', 'INTERNAL_ERROR'],
    sends: 'patch',
    returns: 'record',
    request: payload({ bucket, key: StoreKey, data: RecordPatch }),
    result: StoreRecord,
    api: 'bucket',
    doc: 'Merge fields into an existing record; resolves the updated record (its `_version` one higher).',
  },
  'store.delete': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    request: payload({ bucket, key: StoreKey }),
    result: Type.Object({ deleted: Type.Boolean() }),
    api: 'bucket',
    kind: 'void',
    doc: 'Delete a record by key; deleting a missing key succeeds too.',
  },
  'store.all': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'Every record in the bucket.',
  },
  'store.where': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, filter: WhereFilter }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    example: `const admins = await client.store.bucket<User>('users').where({ role: 'admin' });`,
    doc: 'The records that match a filter.',
  },
  'store.findOne': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'recordOrNull',
    safeRetry: true,
    request: payload({ bucket, filter: WhereFilter }),
    result: RecordOrNull,
    api: 'bucket',
    doc: 'The first record that matches a filter, or null.',
  },
  'store.count': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    safeRetry: true,
    request: payload({ bucket, filter: Type.Optional(WhereFilter) }),
    result: Type.Integer(),
    api: 'bucket',
    doc: 'How many records match a filter (all records without one).',
  },
  'store.first': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, n: count }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'The first n records, in insertion order (key order for ordered_set buckets).',
  },
  'store.last': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, n: count }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'The last n records.',
  },
  'store.paginate': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    returns: 'page',
    safeRetry: true,
    request: payload({ bucket, limit: PositiveInteger, after: Type.Optional(Type.Unknown()) }),
    result: PaginatedRecords,
    api: 'bucket',
    params: ['...page'],
    doc: 'One page of records after a cursor; pass the previous page’s `nextCursor` as `after`.',
  },
  'store.clear': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    request: payload({ bucket }),
    result: Type.Object({ cleared: Type.Boolean() }),
    api: 'bucket',
    kind: 'void',
    doc: 'Remove every record from the bucket.',
  },
  'store.sum': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    ...Aggregate(),
    doc: 'The sum of a numeric field over the matching records (0 when there are none).',
  },
  'store.avg': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    ...Aggregate(),
    doc: 'The average of a numeric field over the matching records (0 when there are none).',
  },
  'store.min': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    ...Aggregate(Type.Union([Type.Number(), Type.Null()])),
    doc: 'The smallest value of a numeric field, or null when there are no numeric values.',
  },
  'store.max': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    ...Aggregate(Type.Union([Type.Number(), Type.Null()])),
    doc: 'The largest value of a numeric field, or null when there are no numeric values.',
  },
  'store.buckets': {
    safeRetry: true,
    request: payload({}),
    result: BucketsInfo,
    doc: 'The names and count of the defined buckets.',
  },
  'store.stats': {
    safeRetry: true,
    request: payload({}),
    result: StoreStats,
    doc: 'Bucket, record, index, query and subscription counts of the store.',
  },
  'store.subscribe': {
    errors: ['VALIDATION_ERROR', 'QUERY_NOT_DEFINED', 'BUCKET_NOT_DEFINED', 'RATE_LIMITED'],
    unsubscribe: 'store.unsubscribe',
    request: payload({
      query: described(NonEmptyString, 'The name of a query defined with `defineQuery`'),
      params: Type.Optional(
        described(Type.Unknown(), 'Values for the query’s `{{ params.x }}` placeholders'),
      ),
    }),
    result: SubscriptionStarted,
    kind: 'subscribe',
    callback: { data: Type.Unknown() },
    example: `const unsubscribe = await client.store.subscribe<User[]>('all-users', (users) => {
  console.log(users.length);
});
unsubscribe();`,
    doc: 'Subscribe to a reactive query: the callback gets the current result at once and every changed result after; survives reconnects.',
  },
  'store.unsubscribe': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
    request: payload({ subscriptionId: SubscriptionId }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    kind: 'unsubscribe',
    doc: 'Cancel a store subscription by its server-assigned id.',
  },
  'store.transaction': {
    errors: ['VALIDATION_ERROR', 'ALREADY_EXISTS', 'CONFLICT', 'INTERNAL_ERROR'],
    request: payload({
      operations: Type.Array(TransactionOperation, {
        minItems: 1,
        description: 'The operations, in order; later ones see the writes of earlier ones',
      }),
    }),
    result: TransactionResult,
    doc: 'Run get/insert/update/delete/where/findOne/count operations atomically: all are applied or none.',
  },
  'store.defineBucket': {
    errors: ['VALIDATION_ERROR', 'ALREADY_EXISTS', 'INTERNAL_ERROR'],
    request: payload({ name: bucketName, config: BucketDefinition }),
    result: Type.Object({ name: Type.String(), created: Type.Boolean() }),
    doc: 'Define a bucket with its key field, schema and indexes.',
  },
  'store.dropBucket': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    request: payload({ name: bucketName }),
    result: Type.Object({ name: Type.String(), dropped: Type.Boolean() }),
    doc: 'Drop a bucket and its records; its live subscriptions end silently.',
  },
  'store.updateBucket': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED', 'INTERNAL_ERROR'],
    request: payload({ name: bucketName, updates: BucketSchemaUpdate }),
    result: Type.Object({ name: Type.String(), updated: Type.Boolean() }),
    doc: 'Add fields or indexes to a bucket, or change its TTL.',
  },
  'store.getBucketSchema': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED'],
    safeRetry: true,
    request: payload({ name: bucketName }),
    result: Type.Object({ name: Type.String(), config: BucketDefinition }),
    doc: 'A bucket’s definition as stored, after any updates.',
  },
  'store.defineQuery': {
    errors: ['VALIDATION_ERROR', 'BUCKET_NOT_DEFINED', 'ALREADY_EXISTS'],
    request: payload({ name: queryName, config: QueryDefinition }),
    result: Type.Object({ name: Type.String(), defined: Type.Boolean() }),
    doc: 'Define a declarative query that clients can subscribe to; `"{{ params.x }}"` filter values take subscription params.',
  },
  'store.undefineQuery': {
    errors: ['VALIDATION_ERROR', 'QUERY_NOT_DEFINED'],
    request: payload({ name: queryName }),
    result: Type.Object({ name: Type.String(), undefined: Type.Boolean() }),
    endsSubscriptions: { of: 'store.subscribe', field: 'query', from: 'name' },
    doc: 'Remove a query. The server ends its live subscriptions without a word; this client ends its own with code SUBSCRIPTION_ENDED.',
  },
  'store.listQueries': {
    safeRetry: true,
    request: payload({}),
    result: Type.Object({ queries: Type.Array(QueryInfo) }),
    doc: 'The defined queries with their subscription counts.',
  },
});
