import Type from 'typebox';
import { defineOperations } from './define.js';
import { EngineStats } from './rules.js';
import { payload, Timestamp } from './shapes.js';
import { StoreStats } from './store.js';

export const ServerStats = Type.Object(
  {
    name: Type.String(),
    connectionCount: Type.Integer(),
    authEnabled: Type.Boolean(),
    rateLimitEnabled: Type.Boolean(),
    rulesEnabled: Type.Boolean(),
    connections: Type.Object({
      active: Type.Integer(),
      authenticated: Type.Integer(),
      totalStoreSubscriptions: Type.Integer(),
      totalRulesSubscriptions: Type.Integer(),
    }),
    store: StoreStats,
    rules: Type.Union([EngineStats, Type.Null()], { description: 'null without a rule engine' }),
  },
  { $id: 'ServerStats' },
);

export const ConnectionInfo = Type.Object(
  {
    connectionId: Type.String(),
    remoteAddress: Type.String(),
    connectedAt: Timestamp,
    authenticated: Type.Boolean(),
    userId: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(Type.String()),
    storeSubscriptionCount: Type.Integer(),
    rulesSubscriptionCount: Type.Integer(),
  },
  { $id: 'ConnectionInfo' },
);

export const server = defineOperations({
  'server.stats': {
    safeRetry: true,
    request: payload({}),
    result: ServerStats,
    doc: 'Connection, subscription, store and rule-engine statistics of the server.',
  },
  'server.connections': {
    safeRetry: true,
    request: payload({}),
    result: Type.Array(ConnectionInfo),
    doc: 'Every open connection with its user, roles and subscription counts.',
  },
});
