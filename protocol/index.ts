import type { OperationSpec } from './define.js';
import { audit } from './audit.js';
import { auth } from './auth.js';
import { identity } from './identity.js';
import { procedures } from './procedures.js';
import { rules } from './rules.js';
import { server } from './server.js';
import { store } from './store.js';

export * from './apis.js';
export * from './define.js';
export * from './envelope.js';
export * from './shapes.js';
export * from './store.js';
export * from './store-definition.js';
export * from './rules.js';
export * from './rule-definition.js';
export * from './auth.js';
export * from './identity.js';
export * from './identity-records.js';
export * from './procedures.js';
export * from './audit.js';
export * from './server.js';

/** Every operation noex-server routes, by wire name. Each lives in protocol/<namespace>.ts. */
export const operations = {
  ...store,
  ...rules,
  ...auth,
  ...identity,
  ...procedures,
  ...audit,
  ...server,
} satisfies Record<string, OperationSpec>;
