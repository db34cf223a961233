/** The runtime's public surface, and the one seam generated code imports through. */
export { ClientCore } from './client.js';
export {
  any,
  arr,
  bool,
  int,
  lit,
  nul,
  num,
  obj,
  oneOf,
  rec,
  str,
  tagged,
  validator,
} from './validate.js';
export type { Check } from './validate.js';
export * from './errors.js';
export type * from './types.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
