import { WebSocket } from 'ws';
import { NoexClient } from '../../generated/client.js';
import type { StoreRecord } from '../../generated/types.js';
import type { ClientOptions, WebSocketConstructor } from '../../runtime/index.js';
import { MockError, MockServer, type MockConnection } from '../../testing/mock-server.js';
import { closedTogether } from '../helpers.js';

/** A todo as the server sends it: a stored record with a todo's fields. */
export type Todo = StoreRecord & { id: string; title: string; done: boolean };

interface Held {
  readonly connection: MockConnection;
  readonly query: string;
  readonly params: unknown;
}

/**
 * A mock server with a `todos` bucket and two queries over it — `todos` (all)
 * and `todos-by-done` (params `{ done }`) — that pushes fresh results after
 * every insert and update, and rules events by pattern (`*` at the end matches any
 * suffix). It counts the subscriptions it holds for open connections, as the
 * real server does, and can hold or refuse `store.subscribe`.
 */
export async function startTodoServer() {
  const server = await MockServer.start();
  const todos: Todo[] = [];
  const held = new Map<string, Held>();
  const rules = new Map<string, { connection: MockConnection; pattern: string }>();
  let gate: Promise<void> | undefined;
  let refusal: MockError | undefined;

  const run = (query: string, params: unknown): unknown => {
    if (query === 'todos') return [...todos];
    if (query === 'todos-by-done')
      return todos.filter((todo) => todo.done === (params as { done: boolean }).done);
    throw new MockError('QUERY_NOT_DEFINED', `Query "${query}" is not defined`);
  };
  const openOnly = <T extends { connection: MockConnection }>(map: Map<string, T>) =>
    [...map].filter(([, entry]) => !entry.connection.closed);
  const add = (title: string, done = false): Todo => {
    const todo = {
      id: `t${todos.length + 1}`,
      title,
      done,
      _version: 1,
      _createdAt: 1,
      _updatedAt: 1,
    };
    todos.push(todo);
    return todo;
  };
  const refresh = () => {
    for (const [id, { connection, query, params }] of openOnly(held))
      connection.push(id, run(query, params));
  };
  const start = (query: string, params: unknown, connection: MockConnection) => {
    if (refusal) throw refusal;
    const data = run(query, params);
    const subscriptionId = server.nextSubscriptionId();
    held.set(subscriptionId, { connection, query, params });
    return { subscriptionId, data };
  };

  server
    .handle('store.subscribe', ({ query, params }, { connection }) =>
      gate ? gate.then(() => start(query, params, connection)) : start(query, params, connection),
    )
    .handle('store.unsubscribe', ({ subscriptionId }) => ({
      unsubscribed: held.delete(subscriptionId),
    }))
    .handle('store.insert', ({ data }) => {
      const todo = add(String(data.title), data.done === true);
      setImmediate(refresh);
      return todo;
    })
    .handle('store.update', ({ key, data }) => {
      const todo = todos.find((t) => t.id === key);
      if (!todo) throw new MockError('NOT_FOUND', `Record with key "${String(key)}" not found`);
      Object.assign(todo, data, { _version: todo._version + 1 });
      setImmediate(refresh);
      return { ...todo };
    })
    .handle('rules.subscribe', ({ pattern }, { connection }) => {
      const subscriptionId = server.nextSubscriptionId();
      rules.set(subscriptionId, { connection, pattern });
      return { subscriptionId };
    })
    .handle('rules.unsubscribe', ({ subscriptionId }) => ({
      unsubscribed: rules.delete(subscriptionId),
    }))
    .handle('rules.emit', ({ topic, data }) => {
      const event = { id: `e-${topic}`, topic, data: data ?? {}, timestamp: 1, source: 'api' };
      for (const [id, { connection, pattern }] of openOnly(rules)) {
        const matches = pattern.endsWith('*')
          ? topic.startsWith(pattern.slice(0, -1))
          : pattern === topic;
        if (matches) connection.push(id, { topic, event }, 'event');
      }
      return event;
    });

  return {
    server,
    add,
    /** Pushes every held query's fresh result, as the server does after a change. */
    refresh,
    /** The store subscriptions held for open connections, of one query or all. */
    subscriptions(query?: string): Held[] {
      return openOnly(held)
        .map(([, entry]) => entry)
        .filter((entry) => query === undefined || entry.query === query);
    },
    /** The rules subscriptions held for open connections. */
    ruleSubscriptions(): number {
      return openOnly(rules).length;
    },
    /** Holds `store.subscribe` answers until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    /** Refuses `store.subscribe` with `error` from now on (undefined: answers again). */
    refuse(error: MockError | undefined): void {
      refusal = error;
    },
    /** A client of this server (over `ws`) that reconnects at once; not yet connected. */
    newClient(options: ClientOptions = {}): NoexClient {
      return new NoexClient(server.url, {
        WebSocket: WebSocket as unknown as WebSocketConstructor,
        reconnect: { initialDelayMs: 5, jitterMs: 0 },
        validateResults: 'strict',
        ...options,
      });
    },
  };
}

export type TodoServer = Awaited<ReturnType<typeof startTodoServer>>;

/** A todo server and a client of it, connected; `await using` closes both. */
export async function connectedTodos(options: ClientOptions = {}) {
  const todos = await startTodoServer();
  const client = todos.newClient(options);
  await client.connect();
  return { ...todos, ...closedTogether(todos.server, client) };
}
