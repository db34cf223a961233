/**
 * `noex-client/schemas`: the TypeBox schemas of every operation, envelope and
 * shape of the protocol. A subpath of its own, so that importing the client
 * loads no TypeBox; an app that checks frames against the schemas imports this.
 */
export * from './protocol/index.js';
