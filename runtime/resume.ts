/**
 * Resume hints in browsers: the network coming back ends a reconnect wait at
 * once, and a page shown again after a while away checks that its connection
 * still answers. Nothing here runs where `window` and `document` do not exist.
 */

/** Hidden longer than this, a page shown again probes its connection. */
const HIDDEN_MS = 5_000;

export interface Resumable {
  /** Ends a wait before a reconnect attempt at once. */
  wake(): void;
  /** Whether the connection answers (true when there is none to ask). */
  probe(): Promise<boolean>;
  /** Drops the connection and connects again at once. */
  reconnect(): Promise<void>;
}

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Starts the hints for `client`; returns what stops them. */
export function watchResume(client: Resumable, report: (error: unknown) => void): () => void {
  const scope = globalThis as {
    window?: EventTargetLike;
    document?: EventTargetLike & { visibilityState?: string };
  };
  const { window, document } = scope;
  if (!window?.addEventListener || !document?.addEventListener) return () => {};
  let hiddenAt: number | undefined;
  const online = () => client.wake();
  const visibility = () => {
    if (document.visibilityState === 'hidden') {
      hiddenAt = Date.now();
      return;
    }
    const away = hiddenAt === undefined ? 0 : Date.now() - hiddenAt;
    hiddenAt = undefined;
    if (away < HIDDEN_MS) return;
    client
      .probe()
      .then((alive) => (alive ? undefined : client.reconnect()))
      .catch(report);
  };
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', visibility);
  return () => {
    window.removeEventListener('online', online);
    document.removeEventListener('visibilitychange', visibility);
  };
}
