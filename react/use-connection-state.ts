import { useCallback, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../index.js';
import { useNoex } from './provider.js';

/**
 * The events after which the state may have changed. `statechange` reports
 * every transition on clients that have it; the others cover clients that
 * do not (they have no event for `connecting`, which shows on the next).
 */
const STATE_EVENTS = ['statechange', 'connected', 'disconnected', 'reconnecting', 'reconnected'];

type On = (event: string, handler: () => void) => () => void;

/** Hydration renders what the server rendered; a page comes up connecting. */
const serverSnapshot = (): ConnectionState => 'connecting';

/** The client's connection state, re-rendering on each change. */
export function useConnectionState(): ConnectionState {
  const client = useNoex();
  const subscribe = useCallback(
    (changed: () => void) => {
      const on = client.on.bind(client) as On;
      const stops = STATE_EVENTS.map((event) => on(event, changed));
      return () => {
        for (const stop of stops) stop();
      };
    },
    [client],
  );
  const snapshot = useCallback(() => client.state, [client]);
  return useSyncExternalStore(subscribe, snapshot, serverSnapshot);
}
