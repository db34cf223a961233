// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoexClient } from '../../index.js';
import {
  NoexProvider,
  useConnectionState,
  useNoex,
  useRulesEvents,
  type RulesEventHandler,
} from '../../react/index.js';
import { connectedTodos, startTodoServer } from './server.js';

afterEach(cleanup);

function Listener(props: { id: string; pattern?: string; onEvent: RulesEventHandler }) {
  const { status } = useRulesEvents(props.pattern ?? 'order.*', props.onEvent);
  return <p data-testid={props.id}>{status}</p>;
}

const status = (id: string) => screen.getByTestId(id).textContent;

describe('useRulesEvents', () => {
  it('calls the latest handler for each event without resubscribing when it changes', async () => {
    await using todos = await connectedTodos();
    const { server, client } = todos;
    const seen: string[] = [];
    const listener = (label: string) => (
      <NoexProvider client={client}>
        {/* a new handler function on every render, as an inline arrow is */}
        <Listener id="l" onEvent={(event, topic) => seen.push(`${label} ${topic} ${event.id}`)} />
      </NoexProvider>
    );
    const view = render(listener('first'));
    expect(status('l')).toBe('loading');
    await waitFor(() => expect(status('l')).toBe('live'));
    await client.rules.emit('order.created');
    await waitFor(() => expect(seen).toEqual(['first order.created e-order.created']));
    view.rerender(listener('second'));
    view.rerender(listener('third'));
    await client.rules.emit('order.shipped');
    await client.rules.emit('invoice.sent');
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toBe('third order.shipped e-order.shipped');
    expect(server.requests('rules.subscribe')).toEqual([
      expect.objectContaining({ pattern: 'order.*' }),
    ]);
    view.unmount();
    await waitFor(() => expect(todos.ruleSubscriptions()).toBe(0));
    expect(server.requests('rules.unsubscribe')).toHaveLength(1);
  });

  it('shares one subscription per pattern; every component gets every event, also in StrictMode', async () => {
    await using todos = await connectedTodos();
    const { server, client } = todos;
    const seen: string[] = [];
    const view = render(
      <StrictMode>
        <NoexProvider client={client}>
          <Listener id="a" onEvent={(_, topic) => seen.push(`a ${topic}`)} />
          <Listener id="b" onEvent={(_, topic) => seen.push(`b ${topic}`)} />
        </NoexProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(status('a')).toBe('live'));
    expect(status('b')).toBe('live');
    await client.rules.emit('order.paid');
    await waitFor(() => expect(seen.sort()).toEqual(['a order.paid', 'b order.paid']));
    expect(server.requests('rules.subscribe')).toHaveLength(1);
    expect(todos.ruleSubscriptions()).toBe(1);
    view.unmount();
    await waitFor(() => expect(todos.ruleSubscriptions()).toBe(0));
  });
});

describe('useConnectionState', () => {
  it('re-renders on each change of the client’s state', async () => {
    const todos = await startTodoServer();
    await using server = todos.server;
    await using client = todos.newClient({ reconnect: { initialDelayMs: 50, jitterMs: 0 } });
    const states: string[] = [];
    function State() {
      const state = useConnectionState();
      states.push(state);
      return <p data-testid="state">{state}</p>;
    }
    render(
      <NoexProvider client={client}>
        <State />
      </NoexProvider>,
    );
    expect(status('state')).toBe('disconnected');
    await act(() => client.connect());
    expect(status('state')).toBe('connected');
    server.connection.terminate();
    await waitFor(() => expect(status('state')).toBe('reconnecting'));
    await waitFor(() => expect(status('state')).toBe('connected'));
    await act(() => client.disconnect());
    expect(status('state')).toBe('disconnected');
    // `connecting` shows only on clients that announce it (a `statechange` event)
    const changes = states.filter((state, i) => state !== states[i - 1] && state !== 'connecting');
    expect(changes).toEqual([
      'disconnected',
      'connected',
      'reconnecting',
      'connected',
      'disconnected',
    ]);
  });
});

describe('useNoex', () => {
  it('returns the provider’s client, and says what is missing without one', () => {
    const client = {} as NoexClient;
    let got: NoexClient | undefined;
    function Probe() {
      got = useNoex();
      return null;
    }
    render(
      <NoexProvider client={client}>
        <Probe />
      </NoexProvider>,
    );
    expect(got).toBe(client);
    const error = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Probe />)).toThrow(
        /wrap the component in <NoexProvider client=\{client\}>/,
      );
    } finally {
      console.error = error;
    }
  });
});
