import { MockError, MockServer, type MockConnection } from '../../testing.js';

type Todo = {
  id: string;
  title: string;
  done: boolean;
  _version: number;
  _createdAt: number;
  _updatedAt: number;
};

/**
 * What the todo list needs of a noex-server, in memory: the `todos` bucket
 * (insert, update), the `todos` query with a push to every subscriber after
 * each change, and rules events (`rules.emit`, patterns ending in `*`).
 * A stand-in, not a store.
 */
export async function startTodoStandIn(): Promise<MockServer> {
  const server = await MockServer.start();
  const todos = new Map<string, Todo>();
  const queries = new Map<string, MockConnection>();
  const events = new Map<string, { connection: MockConnection; pattern: string }>();
  const list = () => [...todos.values()];
  const changed = () =>
    setImmediate(() => {
      for (const [id, connection] of queries) connection.push(id, list());
    });
  let counter = 0;

  server
    .handle('store.subscribe', ({ query }, { connection }) => {
      if (query !== 'todos')
        throw new MockError('QUERY_NOT_DEFINED', `Query "${query}" is not defined`);
      const subscriptionId = server.nextSubscriptionId();
      queries.set(subscriptionId, connection);
      connection.socket.once('close', () => queries.delete(subscriptionId));
      return { subscriptionId, data: list() };
    })
    .handle('store.unsubscribe', ({ subscriptionId }) => ({
      unsubscribed: queries.delete(subscriptionId),
    }))
    .handle('store.insert', ({ data }) => {
      const now = Date.now();
      const todo: Todo = {
        id: `todo-${++counter}`,
        title: String(data.title),
        done: data.done === true,
        _version: 1,
        _createdAt: now,
        _updatedAt: now,
      };
      todos.set(todo.id, todo);
      changed();
      return todo;
    })
    .handle('store.update', ({ key, data }) => {
      const todo = todos.get(String(key));
      if (!todo) throw new MockError('NOT_FOUND', `Record with key "${String(key)}" not found`);
      const updated = { ...todo, ...data, _version: todo._version + 1, _updatedAt: Date.now() };
      todos.set(todo.id, updated as Todo);
      changed();
      return updated;
    })
    .handle('rules.subscribe', ({ pattern }, { connection }) => {
      const subscriptionId = server.nextSubscriptionId();
      events.set(subscriptionId, { connection, pattern });
      connection.socket.once('close', () => events.delete(subscriptionId));
      return { subscriptionId };
    })
    .handle('rules.unsubscribe', ({ subscriptionId }) => ({
      unsubscribed: events.delete(subscriptionId),
    }))
    .handle('rules.emit', ({ topic, data }) => {
      const event = {
        id: `event-${++counter}`,
        topic,
        data: data ?? {},
        timestamp: Date.now(),
        source: 'api',
      };
      for (const [id, { connection, pattern }] of events) {
        const matches = pattern.endsWith('*')
          ? topic.startsWith(pattern.slice(0, -1))
          : pattern === topic;
        if (matches) connection.push(id, { topic, event }, 'event');
      }
      return event;
    });
  return server;
}
