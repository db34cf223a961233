/** The runtime's public surface, and the one seam generated code imports through. */
export { ClientCore } from './client.js';
export { BucketSchema } from './record-schema.js';
export { pages, watchAll, watchLatest } from './streams.js';
export type { IterateOptions, SubscribeOptions, WatchOptions } from './streams.js';
export type { Logger } from './logger.js';
export type { RecordSchema } from './schema-check.js';
export type {
  AppBucket,
  AppClientOptions,
  AppField,
  AppProcedure,
  AppQuery,
  AppSchema,
  AppShape,
  BucketName,
  ProcedureArgs,
  ProcedureName,
  ProcedureOutcome,
  QueryArgs,
  QueryName,
  QueryResult,
  RuntimeName,
  UntypedApp,
} from './app.js';
export {
  any,
  arr,
  bool,
  enm,
  int,
  lit,
  nul,
  num,
  obj,
  oneOf,
  op,
  opt,
  rec,
  req,
  str,
  tagged,
  validator,
} from './validate.js';
export type { Check } from './validate.js';
export * from './errors.js';
export type * from './types.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
