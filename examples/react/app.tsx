/**
 * A live todo list: every open page shows each change as it is made, and
 * keeps showing its list while the connection is being restored.
 * Served by `npm run example:react` (serve.ts), which bundles this file.
 *
 * In an app, import from 'noex-client' and 'noex-client/react'.
 */
import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { NoexClient } from '../../index.js';
import {
  NoexProvider,
  useConnectionState,
  useNoex,
  useQuery,
  useRulesEvents,
} from '../../react/index.js';

interface Todo {
  id: string;
  title: string;
  done: boolean;
}

function TodoList() {
  const client = useNoex();
  const todos = client.store.bucket<Todo>('todos');
  const { data, status, error } = useQuery<Todo[]>('todos');
  const [title, setTitle] = useState('');

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    setTitle('');
    void todos
      .insert({ title: title.trim(), done: false })
      .then((todo) => client.rules.emit('todos.added', { title: todo.title }));
  };

  return (
    <section>
      <form onSubmit={add}>
        <input
          aria-label="New todo"
          placeholder="What needs doing?"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <button type="submit">Add</button>
      </form>
      <p className="status" data-status={status}>
        {status === 'loading' && 'Loading…'}
        {status === 'restoring' && 'Reconnecting: showing the last known list'}
        {status === 'ended' && `This list no longer updates: ${error?.message}`}
        {status === 'error' && `Could not load the list: ${error?.message}`}
      </p>
      <ul>
        {data?.map((todo) => (
          <li key={todo.id}>
            <label>
              <input
                type="checkbox"
                checked={todo.done}
                onChange={() => void todos.update(todo.id, { done: !todo.done })}
              />
              {todo.title}
            </label>
          </li>
        ))}
      </ul>
      {data?.length === 0 && <p>Nothing to do.</p>}
    </section>
  );
}

/** The latest `todos.*` events, from any page. */
function Activity() {
  const [lines, setLines] = useState<string[]>([]);
  useRulesEvents('todos.*', (event) =>
    setLines((last) => [`added “${String(event.data.title)}”`, ...last].slice(0, 3)),
  );
  return (
    <ul className="activity" aria-label="Activity">
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

function ConnectionBadge() {
  const state = useConnectionState();
  return (
    <span className="badge" data-state={state}>
      {state}
    </span>
  );
}

function App() {
  return (
    <main>
      <h1>
        Todos <ConnectionBadge />
      </h1>
      <TodoList />
      <Activity />
    </main>
  );
}

const url = document.querySelector<HTMLMetaElement>('meta[name="noex-url"]')!.content;
const client = new NoexClient(url, { reconnect: { initialDelayMs: 250, maxDelayMs: 5_000 } });
client.connect().catch((error: unknown) => console.error('noex: could not connect', error));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <NoexProvider client={client}>
      <App />
    </NoexProvider>
  </StrictMode>,
);
