import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '../../index.js';
import { NoexProvider, useConnectionState, useQuery, useRulesEvents } from '../../react/index.js';
import type { NoexClient } from '../../index.js';
import { connectedTodos, startTodoServer } from './server.js';

function Page() {
  const state = useConnectionState();
  const todos = useQuery<{ title: string }[]>('todos');
  const events = useRulesEvents('order.*', () => {});
  return (
    <main>
      <p>{`state ${state}`}</p>
      <p>{`todos ${todos.status} ${todos.data === undefined ? 'no data' : 'data'}`}</p>
      <p>{`events ${events.status}`}</p>
    </main>
  );
}

const html =
  '<main><p>state connecting</p><p>todos loading no data</p><p>events loading</p></main>';

const renderPage = (client: NoexClient) =>
  renderToString(
    <NoexProvider client={client}>
      <Page />
    </NoexProvider>,
  );

describe('server rendering (renderToString, node)', () => {
  it('renders loading and opens no socket, even with a lazy client', async () => {
    const todos = await startTodoServer();
    await using server = todos.server;
    let sockets = 0;
    const Counting = class extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets++;
      }
    };
    // lazy: its first call or subscription would connect it
    await using client = todos.newClient({
      lazy: true,
      WebSocket: Counting as unknown as WebSocketConstructor,
    });
    expect(renderPage(client)).toBe(html);
    expect(sockets).toBe(0);
    expect(client.state).toBe('disconnected');
    expect(server.connections).toHaveLength(0);
    // the counting constructor does count: a call connects the lazy client through it
    await client.rules.emit('probe');
    expect(sockets).toBe(1);
  });

  it('subscribes nothing with a connected client either', async () => {
    await using todos = await connectedTodos();
    const { server, client } = todos;
    expect(renderPage(client)).toBe(html);
    // frames arrive in order: a subscribe sent while rendering would be seen before this emit
    await client.rules.emit('probe');
    expect(server.received.map(({ frame }) => frame.type)).toEqual(['rules.emit']);
  });
});
