// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (...args: any[]) => void;

/**
 * A typed event emitter whose handlers cannot break the client: a handler
 * that throws is reported to `onHandlerError` and the others still run.
 */
export class Emitter<Events extends { [E in keyof Events]: unknown[] }> {
  private readonly handlers = new Map<keyof Events, Set<Handler>>();

  constructor(private readonly onHandlerError: (error: unknown, event: keyof Events) => void) {}

  on<E extends keyof Events>(event: E, handler: (...args: Events[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler);
    return () => {
      set.delete(handler as Handler);
    };
  }

  /** Whether anyone listens to `event`. */
  has(event: keyof Events): boolean {
    return (this.handlers.get(event)?.size ?? 0) > 0;
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(...args);
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
