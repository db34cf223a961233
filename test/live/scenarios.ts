import { confirmOrder } from '../fixtures/rules.js';

/** The server configurations the live suite runs against, and what each one defines. */

/* eslint-disable @typescript-eslint/no-explicit-any */
/** An object of the server packages, which ship no types the suite relies on. */
export type Module = any;

/**
 * - `open`: no auth; buckets `users`, `orders`; queries; rule engine; audit (all tiers).
 * - `identity`: built-in identity with {@link ADMIN_SECRET}; bucket `notes`; audit.
 * - `tokens`: token sessions ({@link TOKENS}) with role permissions; bucket `items`; audit.
 * - `limits`: optional token auth, rate limit 5 per 60 s, 1 subscription per connection,
 *   a 200 ms heartbeat ({@link LIMITS}); no rule engine, no audit, no identity.
 */
export type Scenario = 'open' | 'identity' | 'tokens' | 'limits';

/** The `limits` scenario's numbers. */
export const LIMITS = {
  maxRequests: 5,
  windowMs: 60_000,
  maxSubscriptionsPerConnection: 1,
  heartbeatIntervalMs: 200,
} as const;

export const ADMIN_SECRET = 'admin-secret-123';

/** Token sessions for the `tokens` scenario: token → session. */
export const TOKENS: Record<string, { userId: string; roles: string[]; expiresAt?: number }> = {
  'admin-token': { userId: 'admin-1', roles: ['admin'] },
  'writer-token': { userId: 'writer-1', roles: ['writer'] },
  'reader-token': { userId: 'reader-1', roles: ['reader'] },
  'expired-token': { userId: 'old-1', roles: ['admin'], expiresAt: 1000 },
};

const uuidKeyed = (schema: Record<string, unknown>) => ({
  key: 'id',
  schema: { id: { type: 'string', generated: 'uuid' }, ...schema },
});

function withoutRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'ref' && key !== 'onDelete')
      .map(([k, v]) => [k, withoutRefs(v)]),
  );
}

/**
 * noex-store 0.2.0 enforces `ref`, and the server's virtual superadmin has no
 * `_users` record, so built-in identity fails on login as shipped. The server
 * defines its system buckets through the store it is given; defining them
 * without `ref` makes identity work as in the recorded frames.
 */
function relaxSystemBucketRefs(store: Module): void {
  const defineBucket = store.defineBucket.bind(store);
  store.defineBucket = (name: string, definition: unknown) =>
    defineBucket(name, name.startsWith('_') ? withoutRefs(definition) : definition);
}

/** Defines the scenario's buckets, queries and rules; returns its server configuration. */
export async function setUpScenario(
  scenario: Scenario,
  store: Module,
  rules: Module,
): Promise<Record<string, unknown>> {
  if (scenario === 'open') {
    await store.defineBucket(
      'users',
      uuidKeyed({
        name: { type: 'string', required: true },
        role: { type: 'string', default: 'user' },
        age: { type: 'number' },
      }),
    );
    await store.defineBucket(
      'orders',
      uuidKeyed({ status: { type: 'string' }, total: { type: 'number' } }),
    );
    store.defineQuery('all-users', async (ctx: Module) => ctx.bucket('users').all());
    store.defineQuery('users-by-role', async (ctx: Module, params: Module) =>
      ctx.bucket('users').where({ role: params?.role }),
    );
    store.defineQuery('user-count', async (ctx: Module) => ctx.bucket('users').count());
    rules.registerRule(structuredClone(confirmOrder));
    return { audit: { tiers: ['admin', 'write', 'read'] } };
  }
  if (scenario === 'identity') {
    relaxSystemBucketRefs(store);
    await store.defineBucket('notes', uuidKeyed({ text: { type: 'string', required: true } }));
    store.defineQuery('all-notes', async (ctx: Module) => ctx.bucket('notes').all());
    return { auth: { builtIn: true, adminSecret: ADMIN_SECRET }, audit: {} };
  }
  await store.defineBucket('items', uuidKeyed({ title: { type: 'string' } }));
  store.defineQuery('all-items', async (ctx: Module) => ctx.bucket('items').all());
  const validate = async (token: string) => (TOKENS[token] ? { ...TOKENS[token] } : null);
  if (scenario === 'tokens') {
    return {
      auth: {
        validate,
        permissions: {
          default: 'deny',
          rules: [
            { role: 'admin', allow: '*' },
            { role: 'writer', allow: ['store.*', 'rules.*', 'procedures.*'] },
            { role: 'reader', allow: ['store.*', 'rules.*'] },
          ],
        },
      },
      audit: { tiers: ['admin', 'write'] },
    };
  }
  return {
    auth: { validate, required: false },
    rateLimit: { maxRequests: LIMITS.maxRequests, windowMs: LIMITS.windowMs },
    connectionLimits: { maxSubscriptionsPerConnection: LIMITS.maxSubscriptionsPerConnection },
    // timeoutMs is unused by noex-server 0.1.4: the deadline is one interval.
    heartbeat: { intervalMs: LIMITS.heartbeatIntervalMs, timeoutMs: 100 },
  };
}
