// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, expect, it } from 'vitest';
import type { NoexClient } from '../../index.js';
import { NoexProvider, useConnectionState, useQuery, useRulesEvents } from '../../react/index.js';
import { startTodoServer } from './server.js';

afterEach(cleanup);

/** Counts the client listeners that are registered and not yet removed. */
function countListeners(client: NoexClient): () => number {
  const active = new Set<() => void>();
  const on = client.on.bind(client);
  client.on = ((event: never, handler: never) => {
    const off = on(event, handler);
    const stop = () => {
      active.delete(stop);
      off();
    };
    active.add(stop);
    return stop;
  }) as NoexClient['on'];
  return () => active.size;
}

function Everything() {
  const todos = useQuery<unknown[]>('todos');
  const byDone = useQuery<unknown[]>('todos-by-done', { done: false });
  const events = useRulesEvents('order.*', () => {});
  const state = useConnectionState();
  return <p data-testid="all">{`${todos.status} ${byDone.status} ${events.status} ${state}`}</p>;
}

it('leaves no listener on the client and no subscription on the server once unmounted', async () => {
  const todos = await startTodoServer();
  await using server = todos.server;
  await using client = todos.newClient();
  const listeners = countListeners(client);
  await client.connect();
  const view = render(
    <StrictMode>
      <NoexProvider client={client}>
        <Everything />
      </NoexProvider>
    </StrictMode>,
  );
  const shown = () => screen.getByTestId('all').textContent;
  await waitFor(() => expect(shown()).toBe('live live live connected'));
  expect(listeners()).toBeGreaterThan(0);
  // through a drop and a restore, then a disconnect that leaves the subscriptions waiting
  const release = todos.hold();
  server.connection.terminate();
  await waitFor(() => expect(shown()).toBe('restoring restoring restoring reconnecting'));
  release();
  await waitFor(() => expect(shown()).toBe('live live live connected'));
  await act(() => client.disconnect());
  expect(shown()).toBe('restoring restoring restoring disconnected');
  view.unmount();
  await waitFor(() => expect(listeners()).toBe(0));
  await client.connect();
  // nothing subscribes again once connected: the server holds nothing
  await client.rules.emit('probe');
  expect(todos.subscriptions()).toEqual([]);
  expect(todos.ruleSubscriptions()).toBe(0);
});
