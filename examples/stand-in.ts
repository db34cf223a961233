import { randomUUID } from 'node:crypto';
import { MockError, MockServer } from '../testing.js';

type Row = Record<string, unknown> & {
  id: string;
  _version: number;
  _createdAt: number;
  _updatedAt: number;
};

/**
 * A few handlers over an in-memory map, enough for the examples to run
 * without a noex-server: bucket CRUD and pagination, the `all-users` and
 * `user-count` queries with pushes, token login, and `rules.emit` with rule
 * subscriptions. It is a stand-in, not a store.
 */
export async function startStandIn(options: { tokens?: string[] } = {}): Promise<MockServer> {
  const server = await MockServer.start({ requiresAuth: options.tokens !== undefined });
  const buckets = new Map<string, Map<string, Row>>();
  const bucket = (name: string) => buckets.get(name) ?? buckets.set(name, new Map()).get(name)!;
  const queries = new Map<string, { send: (data: unknown) => void; run: () => unknown }>();
  const ruleSubscriptions = new Map<string, { pattern: string; send: (data: unknown) => void }>();
  const refresh = () => queries.forEach((query) => query.send(query.run()));
  const matches = (pattern: string, topic: string) =>
    pattern === '*' ||
    new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`).test(topic);

  server
    .handle('store.insert', ({ bucket: name, data }) => {
      const now = Date.now();
      const row: Row = { ...data, id: randomUUID(), _version: 1, _createdAt: now, _updatedAt: now };
      bucket(name).set(row.id, row);
      setImmediate(refresh);
      return row;
    })
    .handle('store.get', ({ bucket: name, key }) => bucket(name).get(String(key)) ?? null)
    .handle('store.update', ({ bucket: name, key, data }) => {
      const row = bucket(name).get(String(key));
      if (!row) throw new Error(`Record with key "${String(key)}" not found in bucket "${name}"`);
      const updated = { ...row, ...data, _version: row._version + 1, _updatedAt: Date.now() };
      bucket(name).set(row.id, updated);
      setImmediate(refresh);
      return updated;
    })
    .handle('store.paginate', ({ bucket: name, limit, after }) => {
      const rows = [...bucket(name).values()];
      const start = after === undefined ? 0 : rows.findIndex((row) => row.id === after) + 1;
      const records = rows.slice(start, start + limit);
      return { records, hasMore: start + limit < rows.length, nextCursor: records.at(-1)?.id };
    })
    .handle('auth.whoami', () => ({ authenticated: true, userId: 'demo-user', roles: ['writer'], expiresAt: null }))
    .handle('auth.login', ({ token }) => {
      if (!options.tokens?.includes(token)) throw new MockError('UNAUTHORIZED', 'Invalid token');
      return { userId: 'demo-user', roles: ['writer'], expiresAt: null };
    })
    .handle('store.all', ({ bucket: name }) => [...bucket(name).values()])
    .handle('store.count', ({ bucket: name }) => bucket(name).size)
    .handle('store.subscribe', ({ query }, { connection }) => {
      const subscriptionId = server.nextSubscriptionId();
      const queryRuns: Record<string, () => unknown> = {
        'all-users': () => [...bucket('users').values()],
        'user-count': () => bucket('users').size,
      };
      const run = queryRuns[query];
      if (!run) throw new MockError('QUERY_NOT_DEFINED', `Query "${query}" is not defined`);
      queries.set(subscriptionId, { run, send: (data) => connection.push(subscriptionId, data) });
      return { subscriptionId, data: run() };
    })
    .handle('store.unsubscribe', ({ subscriptionId }) => ({
      unsubscribed: queries.delete(subscriptionId),
    }))
    .handle('rules.subscribe', ({ pattern }, { connection }) => {
      const subscriptionId = server.nextSubscriptionId();
      ruleSubscriptions.set(subscriptionId, {
        pattern,
        send: (data) => connection.push(subscriptionId, data, 'event'),
      });
      return { subscriptionId };
    })
    .handle('rules.emit', ({ topic, data }) => {
      const event = {
        id: randomUUID(),
        topic,
        data: data ?? {},
        timestamp: Date.now(),
        source: 'api',
      };
      for (const { pattern, send } of ruleSubscriptions.values())
        if (matches(pattern, topic)) send({ topic, event });
      return event;
    });
  return server;
}
