import Type from 'typebox';
import { defineOperations } from '../../protocol/define.js';
import {
  NonEmptyString,
  payload,
  PositiveInteger,
  Secret,
  StoreKey,
  StoreRecord,
  WhereFilter,
} from '../../protocol/shapes.js';

/** A small spec of its own, so that generator changes show up in a readable golden diff. */
export const miniSpec = defineOperations({
  'store.get': {
    request: payload({ bucket: NonEmptyString, key: StoreKey }),
    result: Type.Union([StoreRecord, Type.Null()]),
    api: 'bucket',
    params: ['key'],
    returns: 'recordOrNull',
    safeRetry: true,
    doc: 'Get a record by key.',
  },
  'store.paginate': {
    request: payload({
      bucket: NonEmptyString,
      limit: PositiveInteger,
      after: Type.Optional(Type.Unknown()),
    }),
    result: Type.Object({ records: Type.Array(StoreRecord), hasMore: Type.Boolean() }),
    api: 'bucket',
    params: ['...page'],
    doc: 'One page of records.',
  },
  'store.delete': {
    request: payload({ bucket: NonEmptyString, key: StoreKey }),
    result: Type.Object({ deleted: Type.Boolean() }),
    api: 'bucket',
    params: ['key'],
    kind: 'void',
    doc: 'Delete a record.',
  },
  'store.subscribe': {
    request: payload({ query: NonEmptyString, params: Type.Optional(Type.Unknown()) }),
    result: Type.Object({ subscriptionId: Type.String(), data: Type.Optional(Type.Unknown()) }),
    params: ['query', 'params'],
    kind: 'subscribe',
    callback: { data: Type.Unknown() },
    unsubscribe: 'store.unsubscribe',
    doc: 'Subscribe to a query.',
  },
  'store.unsubscribe': {
    request: payload({ subscriptionId: NonEmptyString }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    params: ['subscriptionId'],
    kind: 'unsubscribe',
    doc: 'Cancel a subscription.',
  },
  'auth.login': {
    request: payload({ token: Secret(NonEmptyString) }),
    result: Type.Object({ userId: Type.String() }),
    params: ['token'],
    session: 'restores',
    autoLogin: 'token',
    doc: 'Log in with a token.',
  },
  'audit.query': {
    request: payload({ userId: Type.Optional(Type.String()), filter: Type.Optional(WhereFilter) }),
    result: Type.Object({
      entries: Type.Array(
        Type.Union([
          Type.Object({ kind: Type.Literal('a'), n: Type.Integer() }),
          Type.Object({ kind: Type.Literal('b'), s: Type.String({ minLength: 2 }) }),
        ]),
      ),
    }),
    params: ['...filter'],
    unwrap: 'entries',
    doc: 'Query the log.',
  },
});
