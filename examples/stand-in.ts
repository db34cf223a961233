import { randomUUID } from 'node:crypto';
import { MockServer } from '../testing.js';

type Row = Record<string, unknown> & {
  id: string;
  _version: number;
  _createdAt: number;
  _updatedAt: number;
};

/**
 * A few handlers over an in-memory map, enough for the quick start to run
 * without a noex-server: users CRUD, the `all-users` query with pushes, and
 * `rules.emit` with rule subscriptions. It is a stand-in, not a store.
 */
export async function startStandIn(): Promise<MockServer> {
  const server = await MockServer.start();
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
    .handle('store.all', ({ bucket: name }) => [...bucket(name).values()])
    .handle('store.count', ({ bucket: name }) => bucket(name).size)
    .handle('store.subscribe', ({ query }, { connection }) => {
      const subscriptionId = server.nextSubscriptionId();
      const run = () => [...bucket('users').values()];
      if (query !== 'all-users') throw new Error(`Query "${query}" is not defined`);
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
