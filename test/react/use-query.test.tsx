// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState, type ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { NoexProvider, useQuery, type UseQueryOptions } from '../../react/index.js';
import { MockError } from '../../testing/mock-server.js';
import { connectedTodos, startTodoServer, type Todo } from './server.js';

afterEach(cleanup);

/** A todo server and a connected client, closed (and the tree unmounted) by `await using`. */
async function connected() {
  const todos = await connectedTodos();
  return {
    ...todos,
    /** Renders `children` under a provider of this client (in StrictMode when asked). */
    show(children: ReactNode, strict = false) {
      const tree = <NoexProvider client={todos.client}>{children}</NoexProvider>;
      return render(strict ? <StrictMode>{tree}</StrictMode> : tree);
    },
    async [Symbol.asyncDispose]() {
      cleanup();
      await todos[Symbol.asyncDispose]();
    },
  };
}

/** Every render's `status data`, for checks on what was shown between two states. */
type Renders = string[];

function Todos(props: {
  query?: string;
  params?: unknown;
  options?: UseQueryOptions;
  id?: string;
  renders?: Renders;
}) {
  const { data, status, error } = useQuery<Todo[]>(
    props.query ?? 'todos',
    props.params,
    props.options,
  );
  const shown = `${status} ${data ? data.map((todo) => todo.title).join(',') || 'none' : '-'}${error ? ` (${error.message})` : ''}`;
  props.renders?.push(shown);
  return <p data-testid={props.id ?? 'todos'}>{shown}</p>;
}

const shown = (id = 'todos') => screen.getByTestId(id).textContent;
const until = (text: string, id = 'todos') => waitFor(() => expect(shown(id)).toBe(text));

describe('useQuery', () => {
  it('shows loading, then the initial result, then each pushed result', async () => {
    await using s = await connected();
    s.add('a');
    s.show(<Todos />);
    expect(shown()).toBe('loading -');
    await until('live a');
    s.add('b');
    s.refresh();
    await until('live a,b');
    // a change made by another client reaches the component the same way
    await using other = s.newClient();
    await other.connect();
    await other.store.bucket('todos').insert({ title: 'c' });
    await until('live a,b,c');
    expect(s.server.requests('store.subscribe')).toEqual([
      expect.objectContaining({ query: 'todos' }),
    ]);
  });

  it('waits for a client that is not connected yet', async () => {
    const todos = await startTodoServer();
    await using server = todos.server;
    await using client = todos.newClient();
    todos.add('a');
    render(
      <NoexProvider client={client}>
        <Todos />
      </NoexProvider>,
    );
    expect(client.state).toBe('disconnected');
    await act(() => client.connect());
    await until('live a');
    expect(server.requests('store.subscribe')).toHaveLength(1);
    cleanup();
  });

  it('connects a lazy client when the first query mounts', async () => {
    const todos = await startTodoServer();
    await using server = todos.server;
    await using client = todos.newClient({ lazy: true });
    todos.add('a');
    render(
      <NoexProvider client={client}>
        <Todos />
      </NoexProvider>,
    );
    await until('live a');
    expect(server.connections).toHaveLength(1);
    expect(server.requests('store.subscribe')).toHaveLength(1);
    cleanup();
  });

  it('shows error with the server’s message when the query is refused', async () => {
    await using s = await connected();
    s.show(<Todos query="no-such-query" />);
    await until('error - (Query "no-such-query" is not defined)');
  });

  it('compares params by value: an object written inline does not resubscribe', async () => {
    await using s = await connected();
    s.add('a');
    function Rerendering() {
      const [count, setCount] = useState(0);
      return (
        <>
          <button onClick={() => setCount(count + 1)}>render {count}</button>
          <Todos query="todos-by-done" params={{ done: false }} />
        </>
      );
    }
    s.show(<Rerendering />);
    await until('live a');
    for (let i = 0; i < 3; i++) fireEvent.click(screen.getByRole('button'));
    await screen.findByText('render 3');
    expect(shown()).toBe('live a');
    expect(s.server.requests('store.subscribe')).toHaveLength(1);
    expect(s.server.requests('store.unsubscribe')).toHaveLength(0);
  });

  it('switches to changed params, showing the previous result until the new one arrives', async () => {
    await using s = await connected();
    s.add('open one');
    s.add('done one', true);
    const renders: Renders = [];
    function Switch() {
      const [done, setDone] = useState(false);
      return (
        <>
          <button onClick={() => setDone(!done)}>toggle</button>
          <Todos query="todos-by-done" params={{ done }} renders={renders} />
        </>
      );
    }
    s.show(<Switch />);
    await until('live open one');
    const release = s.hold();
    fireEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(s.server.requests('store.subscribe')).toHaveLength(2));
    expect(shown()).toBe('loading open one');
    // the old params' subscription is released as soon as the component moves off them
    await waitFor(() => expect(s.subscriptions()).toHaveLength(0));
    release();
    await until('live done one');
    expect(s.subscriptions()).toMatchObject([{ query: 'todos-by-done', params: { done: true } }]);
    const first = renders.indexOf('live open one');
    expect(renders.slice(first).filter((render) => render.endsWith(' -'))).toEqual([]);
  });

  it('with keepPreviousData: false shows no data while changed params load', async () => {
    await using s = await connected();
    s.add('open one');
    s.add('done one', true);
    function Switch() {
      const [done, setDone] = useState(false);
      return (
        <>
          <button onClick={() => setDone(!done)}>toggle</button>
          <Todos query="todos-by-done" params={{ done }} options={{ keepPreviousData: false }} />
        </>
      );
    }
    s.show(<Switch />);
    await until('live open one');
    const release = s.hold();
    fireEvent.click(screen.getByRole('button'));
    expect(shown()).toBe('loading -');
    release();
    await until('live done one');
  });

  it('unsubscribes on unmount: the server holds no subscription after', async () => {
    await using s = await connected();
    s.add('a');
    const view = s.show(<Todos />);
    await until('live a');
    expect(s.subscriptions()).toHaveLength(1);
    view.unmount();
    await waitFor(() => expect(s.subscriptions()).toHaveLength(0));
    expect(s.server.requests('store.unsubscribe')).toHaveLength(1);
  });

  it('leaves exactly one server subscription under StrictMode’s double mount', async () => {
    await using s = await connected();
    s.add('a');
    const view = s.show(<Todos />, true);
    await until('live a');
    s.add('b');
    s.refresh();
    await until('live a,b');
    expect(s.server.requests('store.subscribe')).toHaveLength(1);
    expect(s.server.requests('store.unsubscribe')).toHaveLength(0);
    expect(s.subscriptions()).toHaveLength(1);
    view.unmount();
    await waitFor(() => expect(s.subscriptions()).toHaveLength(0));
  });

  it('shares one server subscription among components with the same query and equal params', async () => {
    await using s = await connected();
    s.add('a');
    const lists = (ids: string[]) =>
      ids.map((id) => (
        <Todos
          key={id}
          id={id}
          query="todos-by-done"
          // equal by value whatever the key order; `other` asks for something else
          params={
            id === 'other'
              ? { done: true }
              : id === 'one'
                ? { done: false, tag: 'x' }
                : { tag: 'x', done: false }
          }
        />
      ));
    const view = s.show(lists(['one', 'two', 'other']));
    await until('live a', 'one');
    await until('live a', 'two');
    await until('live none', 'other');
    expect(s.server.requests('store.subscribe')).toHaveLength(2);
    s.add('b');
    s.refresh();
    await until('live a,b', 'one');
    expect(shown('two')).toBe('live a,b');

    view.rerender(<NoexProvider client={s.client}>{lists(['two'])}</NoexProvider>);
    await waitFor(() => expect(s.subscriptions()).toHaveLength(1));
    expect(s.subscriptions()[0]).toMatchObject({ params: { done: false } });
    // a component mounted later gets the shared result on its first render
    view.rerender(<NoexProvider client={s.client}>{lists(['two', 'one'])}</NoexProvider>);
    expect(shown('one')).toBe('live a,b');
    view.rerender(<NoexProvider client={s.client}>{lists([])}</NoexProvider>);
    await waitFor(() => expect(s.subscriptions()).toHaveLength(0));
    expect(s.server.requests('store.subscribe')).toHaveLength(2);
  });

  it('enabled: false subscribes nothing until enabled', async () => {
    await using s = await connected();
    s.add('a');
    const view = s.show(<Todos options={{ enabled: false }} />);
    expect(shown()).toBe('loading -');
    // frames arrive in order: had the component subscribed, the server would have seen it first
    await s.client.rules.emit('probe');
    expect(s.server.requests('store.subscribe')).toHaveLength(0);
    expect(shown()).toBe('loading -');
    view.rerender(
      <NoexProvider client={s.client}>
        <Todos options={{ enabled: true }} />
      </NoexProvider>,
    );
    await until('live a');
    view.rerender(
      <NoexProvider client={s.client}>
        <Todos options={{ enabled: false }} />
      </NoexProvider>,
    );
    expect(shown()).toBe('loading -');
    await waitFor(() => expect(s.subscriptions()).toHaveLength(0));
  });

  it('keeps the data while restoring after a drop, then shows the fresh result', async () => {
    await using s = await connected();
    s.add('a');
    s.show(<Todos />);
    await until('live a');
    const release = s.hold();
    s.add('b');
    s.server.connection.terminate();
    await until('restoring a');
    await waitFor(() => expect(s.server.requests('store.subscribe')).toHaveLength(2));
    release();
    await until('live a,b');
    expect(s.subscriptions()).toHaveLength(1);
    s.add('c');
    s.refresh();
    await until('live a,b,c');
  });

  it('shows ended, with the reason and the last data, when the subscription cannot be restored', async () => {
    await using s = await connected();
    s.add('a');
    s.show(<Todos />);
    await until('live a');
    s.refuse(new MockError('QUERY_NOT_DEFINED', 'Query "todos" is not defined'));
    s.server.connection.terminate();
    await waitFor(() =>
      expect(shown()).toMatch(/^ended a \(.*could not be restored.*not defined\)$/),
    );
    await waitFor(() => expect(s.client.state).toBe('connected'));
    expect(s.subscriptions()).toHaveLength(0);
  });

  it('keeps the data across disconnect() and subscribes afresh on the next connect()', async () => {
    await using s = await connected();
    s.add('a');
    s.show(<Todos />);
    await until('live a');
    await act(() => s.client.disconnect());
    expect(shown()).toBe('restoring a');
    s.add('b');
    await act(() => s.client.connect());
    await until('live a,b');
    expect(s.subscriptions()).toHaveLength(1);
    expect(s.server.requests('store.subscribe')).toHaveLength(2);
  });
});
