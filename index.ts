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
  RequestTimeoutError,
  DisconnectedError,
  ConnectionError,
  RequestValidationError,
  ResultValidationError,
  ProtocolError,
} from './runtime/index.js';
export type * from './runtime/types.js';
export type { IterateOptions, Logger, SubscribeOptions, WatchOptions } from './runtime/index.js';
export type { WebSocketConstructor, WebSocketLike } from './runtime/transport.js';
export * as schemas from './protocol/index.js';
export { ServerErrorCode, CloseCode } from './protocol/codes.js';
