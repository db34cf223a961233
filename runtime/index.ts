/** The runtime's public surface, and the one seam generated code imports through. */
export { ClientCore } from './client.js';
export { ApiBase, BucketBase, RulesBase, StoreBase } from './api-base.js';
export type { Bucket, BucketKind, TopicEvent } from './api-base.js';
export { BucketSchema } from './bucket-schema.js';
export type { EffectsTable, OperationEffects } from './effects.js';
export { pages, watchAll, watchLatest } from './streams.js';
export type { IterateOptions, WatchOptions } from './streams.js';
export type {
  SubscribeOptions,
  SubscriptionInfo,
  SubscriptionStatus,
  Unsubscribe,
} from './subscriptions.js';
export type { Logger } from './logging.js';
export type { CallOptions } from './requests.js';
export type { RetryOptions } from './calls.js';
export type { AuthOptions, Credentials, Supplied } from './session.js';
export type { ReconnectOptions } from './backoff.js';
export type { ClientEvents, ConnectionState, WelcomeInfo } from './events.js';
export type { OperationValidators, Validator } from './validate.js';
export type {
  ClientInspection,
  ClientOptions,
  Caller,
  OperationMap,
  OperationShape,
} from './client.js';
export type * from './record-types.js';
export type { InsertOf, IsAppBucket, RecordOf, UpdateOf } from './app-schema.js';
export type { ObjectSchema } from './schema-check.js';
export type {
  AppBucket,
  AppClientOptions,
  AppField,
  AppProcedure,
  AppProcedureMethods,
  AppQuery,
  AppSchema,
  AppShape,
  AppStoreMethods,
  BucketName,
  ProcedureArgs,
  ProcedureName,
  ProcedureOutcome,
  ProceduresOf,
  QueryArgs,
  QueryName,
  QueryResult,
  RuntimeName,
  StoreOf,
  UntypedApp,
} from './app.js';
export type { Schema as JsonSchema } from './json-schema.js';
export type { Check } from './validate.js';
export * from './errors.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
