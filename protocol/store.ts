import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
import {
  FieldName,
  JsonObject,
  NonEmptyString,
  payload,
  PositiveInteger,
  RecordInput,
  RecordPatch,
  StoreKey,
  StoreRecord,
  WhereFilter,
} from './shapes.js';

const bucket = NonEmptyString;
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

export const FieldDefinition = Type.Object(
  {
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('number'),
      Type.Literal('boolean'),
      Type.Literal('object'),
      Type.Literal('array'),
      Type.Literal('date'),
    ]),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
    generated: Type.Optional(
      Type.Union([
        Type.Literal('uuid'),
        Type.Literal('cuid'),
        Type.Literal('autoincrement'),
        Type.Literal('timestamp'),
      ]),
    ),
    enum: Type.Optional(Type.Array(Type.Unknown())),
    format: Type.Optional(
      Type.Union([Type.Literal('email'), Type.Literal('url'), Type.Literal('iso-date')]),
    ),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    minLength: Type.Optional(Type.Number()),
    maxLength: Type.Optional(Type.Number()),
    pattern: Type.Optional(Type.String()),
    unique: Type.Optional(Type.Boolean()),
    ref: Type.Optional(Type.String()),
    onDelete: Type.Optional(
      Type.Union([Type.Literal('restrict'), Type.Literal('cascade'), Type.Literal('set_null')]),
    ),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    items: Type.Optional(Type.Unknown()),
  },
  { $id: 'FieldDefinition', additionalProperties: true },
);

const Ttl = Type.Union([Type.Number(), Type.String()]);

export const BucketDefinition = Type.Object(
  {
    key: NonEmptyString,
    schema: Type.Record(Type.String(), FieldDefinition),
    indexes: Type.Optional(Type.Array(Type.String())),
    etsType: Type.Optional(
      Type.Union([
        Type.Literal('set'),
        Type.Literal('ordered_set'),
        Type.Literal('bag'),
        Type.Literal('duplicate_bag'),
      ]),
    ),
    persistent: Type.Optional(Type.Boolean()),
    ttl: Type.Optional(Ttl),
    maxSize: Type.Optional(Type.Integer()),
  },
  { $id: 'BucketDefinition', additionalProperties: true },
);

export const BucketSchemaUpdate = Type.Object(
  {
    addFields: Type.Optional(Type.Record(Type.String(), FieldDefinition)),
    addIndexes: Type.Optional(Type.Array(Type.String())),
    ttl: Type.Optional(Type.Union([Ttl, Type.Null()])),
  },
  { $id: 'BucketSchemaUpdate', additionalProperties: true },
);

export const QueryDefinition = Type.Object(
  {
    bucket: NonEmptyString,
    filter: Type.Optional(WhereFilter),
    sort: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    ),
    limit: Type.Optional(Type.Integer()),
    offset: Type.Optional(Type.Integer()),
    fields: Type.Optional(Type.Array(Type.String())),
    aggregate: Type.Optional(
      Type.Object({
        function: Type.Union([
          Type.Literal('count'),
          Type.Literal('sum'),
          Type.Literal('avg'),
          Type.Literal('min'),
          Type.Literal('max'),
        ]),
        field: Type.Optional(Type.String()),
        groupBy: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
      }),
    ),
  },
  { $id: 'QueryDefinition', additionalProperties: true },
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
    sends: 'record',
    returns: 'record',
    request: payload({ bucket, data: RecordInput }),
    result: StoreRecord,
    api: 'bucket',
    doc: 'Insert a record; resolves the stored record with its key and metadata.',
  },
  'store.get': {
    returns: 'recordOrNull',
    safeRetry: true,
    request: payload({ bucket, key: StoreKey }),
    result: RecordOrNull,
    api: 'bucket',
    doc: 'Get a record by key; resolves null when there is none.',
  },
  'store.update': {
    sends: 'patch',
    returns: 'record',
    request: payload({ bucket, key: StoreKey, data: RecordPatch }),
    result: StoreRecord,
    api: 'bucket',
    doc: 'Merge fields into an existing record; resolves the updated record (its `_version` one higher).',
  },
  'store.delete': {
    request: payload({ bucket, key: StoreKey }),
    result: Type.Object({ deleted: Type.Boolean() }),
    api: 'bucket',
    kind: 'void',
    doc: 'Delete a record by key; deleting a missing key succeeds too.',
  },
  'store.all': {
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'Every record in the bucket.',
  },
  'store.where': {
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, filter: WhereFilter }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'The records that match a filter.',
  },
  'store.findOne': {
    returns: 'recordOrNull',
    safeRetry: true,
    request: payload({ bucket, filter: WhereFilter }),
    result: RecordOrNull,
    api: 'bucket',
    doc: 'The first record that matches a filter, or null.',
  },
  'store.count': {
    safeRetry: true,
    request: payload({ bucket, filter: Type.Optional(WhereFilter) }),
    result: Type.Integer(),
    api: 'bucket',
    doc: 'How many records match a filter (all records without one).',
  },
  'store.first': {
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, n: PositiveInteger }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'The first n records, in insertion order (key order for ordered_set buckets).',
  },
  'store.last': {
    returns: 'records',
    safeRetry: true,
    request: payload({ bucket, n: PositiveInteger }),
    result: Type.Array(StoreRecord),
    api: 'bucket',
    doc: 'The last n records.',
  },
  'store.paginate': {
    returns: 'page',
    safeRetry: true,
    request: payload({ bucket, limit: PositiveInteger, after: Type.Optional(Type.Unknown()) }),
    result: PaginatedRecords,
    api: 'bucket',
    params: ['...page'],
    doc: 'One page of records after a cursor; pass the previous page’s `nextCursor` as `after`.',
  },
  'store.clear': {
    request: payload({ bucket }),
    result: Type.Object({ cleared: Type.Boolean() }),
    api: 'bucket',
    kind: 'void',
    doc: 'Remove every record from the bucket.',
  },
  'store.sum': {
    ...Aggregate(),
    doc: 'The sum of a numeric field over the matching records (0 when there are none).',
  },
  'store.avg': {
    ...Aggregate(),
    doc: 'The average of a numeric field over the matching records (0 when there are none).',
  },
  'store.min': {
    ...Aggregate(Type.Union([Type.Number(), Type.Null()])),
    doc: 'The smallest value of a numeric field, or null when there are no numeric values.',
  },
  'store.max': {
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
    unsubscribe: 'store.unsubscribe',
    request: payload({ query: NonEmptyString, params: Type.Optional(Type.Unknown()) }),
    result: SubscriptionStarted,
    kind: 'subscribe',
    callback: { data: Type.Unknown() },
    doc: 'Subscribe to a reactive query: the callback gets the current result at once and every changed result after; survives reconnects.',
  },
  'store.unsubscribe': {
    request: payload({ subscriptionId: NonEmptyString }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    kind: 'unsubscribe',
    doc: 'Cancel a store subscription by its server-assigned id.',
  },
  'store.transaction': {
    request: payload({ operations: Type.Array(TransactionOperation, { minItems: 1 }) }),
    result: TransactionResult,
    doc: 'Run get/insert/update/delete/where/findOne/count operations atomically: all are applied or none.',
  },
  'store.defineBucket': {
    request: payload({ name: NonEmptyString, config: BucketDefinition }),
    result: Type.Object({ name: Type.String(), created: Type.Boolean() }),
    doc: 'Define a bucket with its key field, schema and indexes.',
  },
  'store.dropBucket': {
    request: payload({ name: NonEmptyString }),
    result: Type.Object({ name: Type.String(), dropped: Type.Boolean() }),
    doc: 'Drop a bucket and its records; its live subscriptions end silently.',
  },
  'store.updateBucket': {
    request: payload({ name: NonEmptyString, updates: BucketSchemaUpdate }),
    result: Type.Object({ name: Type.String(), updated: Type.Boolean() }),
    doc: 'Add fields or indexes to a bucket, or change its TTL.',
  },
  'store.getBucketSchema': {
    safeRetry: true,
    request: payload({ name: NonEmptyString }),
    result: Type.Object({ name: Type.String(), config: BucketDefinition }),
    doc: 'A bucket’s definition as stored, after any updates.',
  },
  'store.defineQuery': {
    request: payload({ name: NonEmptyString, config: QueryDefinition }),
    result: Type.Object({ name: Type.String(), defined: Type.Boolean() }),
    doc: 'Define a declarative query that clients can subscribe to; `"{{ params.x }}"` filter values take subscription params.',
  },
  'store.undefineQuery': {
    request: payload({ name: NonEmptyString }),
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
