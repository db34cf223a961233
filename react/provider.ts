import { createContext, createElement, useContext, type ReactElement, type ReactNode } from 'react';
import type { NoexClient } from '../index.js';

const NoexContext = createContext<NoexClient | null>(null);

export interface NoexProviderProps {
  client: NoexClient;
  children?: ReactNode;
}

/** Makes `client` available to the hooks below it. Connecting it is the app's call. */
export function NoexProvider({ client, children }: NoexProviderProps): ReactElement {
  // `.Provider` rather than the context itself: React 18 has no other form.
  return createElement(NoexContext.Provider, { value: client }, children);
}

/**
 * The client of the nearest `<NoexProvider>`. Name the client's type when it
 * is more specific than `NoexClient` (a client typed by an app schema):
 * `useNoex<typeof client>()`.
 */
export function useNoex<Client extends NoexClient = NoexClient>(): Client {
  const client = useContext(NoexContext);
  if (!client) {
    throw new Error(
      'useNoex: no client here; wrap the component in <NoexProvider client={client}>',
    );
  }
  return client as Client;
}
