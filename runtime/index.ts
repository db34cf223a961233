/** The runtime's public surface, and the one seam generated code imports through. */
export { ClientCore } from './client.js';
export * from './errors.js';
export type * from './types.js';
export type { WebSocketConstructor, WebSocketLike } from './transport.js';
