/** noex-client: the TypeScript client SDK for noex-server. */
export {
  NoexClient,
  StoreAPI,
  BucketAPI,
  RulesAPI,
  AuthAPI,
  IdentityAPI,
  ProceduresAPI,
  AuditAPI,
  ServerAPI,
} from './generated/client.js';
export type * from './generated/types.js';
export { operationNames } from './generated/types.js';
export {
  ClientErrorCode,
  NoexClientError,
  RateLimitedError,
  RequestTimeoutError,
  DisconnectedError,
  ConnectionError,
  RequestValidationError,
  ResultValidationError,
  ProtocolError,
} from './runtime/index.js';
export type {
  AuthOptions,
  BucketPage,
  BucketRecord,
  CallOptions,
  ClientEvents,
  ClientInspection,
  ClientOptions,
  ConnectionState,
  Credentials,
  ErrorCode,
  FieldOperators,
  Issue,
  IterateOptions,
  Logger,
  NewRecord,
  NumericField,
  RecordFilter,
  RecordMeta,
  RecordUpdate,
  ReconnectOptions,
  RetryOptions,
  SubscribeOptions,
  SubscriptionInfo,
  SubscriptionStatus,
  Supplied,
  Unsubscribe,
  WatchOptions,
  WebSocketConstructor,
  WebSocketLike,
  WelcomeInfo,
} from './runtime/index.js';
export * as schemas from './protocol/index.js';
export { ServerErrorCode, CloseCode } from './protocol/codes.js';
