// A React component of an application, against noex-client/react (the
// subpath's declarations and its optional peer dependency, @types/react).
import type { ReactElement } from 'react';
import { NoexClient } from 'noex-client';
import {
  NoexProvider,
  useConnectionState,
  useNoex,
  useQuery,
  useRulesEvents,
  type QueryStatus,
} from 'noex-client/react';

interface Todo {
  id: string;
  title: string;
}

function Todos(): ReactElement {
  const { data, status, error } = useQuery<Todo[]>('todos', { owner: 'ann' }, { enabled: true });
  const state = useConnectionState();
  const client = useNoex();
  useRulesEvents('todo.*', (event, topic) => console.log(topic, event.data));
  const shown: QueryStatus = status;
  if (status === 'error') return <p>{error?.message}</p>;
  return (
    <ul title={`${shown} ${state} ${client.state}`}>
      {(data ?? []).map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
    </ul>
  );
}

export function App({ client }: { client: NoexClient }): ReactElement {
  return (
    <NoexProvider client={client}>
      <Todos />
    </NoexProvider>
  );
}
