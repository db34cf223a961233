/**
 * `noex-client/react`: React bindings (React 18 or later). A provider for the
 * client and hooks for live queries, rules events and the connection state,
 * built on `useSyncExternalStore`.
 */
export { NoexProvider, useNoex } from './provider.js';
export type { NoexProviderProps } from './provider.js';
export { useQuery } from './use-query.js';
export type { QueryResult, QueryStatus, UseQueryOptions } from './use-query.js';
export type { LiveState, LiveStatus } from './live.js';
export { useRulesEvents } from './use-rules-events.js';
export type {
  RulesEventHandler,
  RulesEventsResult,
  UseRulesEventsOptions,
} from './use-rules-events.js';
export { useConnectionState } from './use-connection-state.js';
