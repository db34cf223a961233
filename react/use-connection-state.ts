import { useCallback, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../index.js';
import { useNoex } from './provider.js';

/** Hydration renders what the server rendered; a page comes up connecting. */
const serverSnapshot = (): ConnectionState => 'connecting';

/** The client's connection state, re-rendering on each change (its `statechange` event). */
export function useConnectionState(): ConnectionState {
  const client = useNoex();
  const subscribe = useCallback(
    (changed: () => void) => client.on('statechange', changed),
    [client],
  );
  const snapshot = useCallback(() => client.state, [client]);
  return useSyncExternalStore(subscribe, snapshot, serverSnapshot);
}
