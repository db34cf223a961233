import type { Engine } from './engine.js';

interface Waiting {
  run(engine: Engine): void;
  fail(error: unknown): void;
}

/**
 * The client's engine, which loads (a chunk of its own, with the validators)
 * when the client is made, so that an app's first bundle carries only the
 * client's face. What is asked of it before it is in waits in a queue that
 * runs in order in the same turn as it arrives, so that nothing asked later
 * overtakes it. A failed load fails what waits; the next ask loads again.
 */
export class EngineSlot {
  /** The engine, once loaded. */
  engine: Engine | undefined;
  /** How many calls wait for it. */
  waitingCalls = 0;
  #waiting: Waiting[] = [];
  #loading = false;

  constructor(private readonly make: () => Promise<Engine>) {}

  /** Starts loading the engine, unless it is loaded or loading. */
  load(): void {
    if (this.engine || this.#loading) return;
    this.#loading = true;
    this.make().then(
      (engine) => {
        this.engine = engine;
        this.#settle((waiting) => waiting.run(engine));
      },
      (error: unknown) => this.#settle((waiting) => waiting.fail(error)),
    );
  }

  /** `use` of the engine: at once when it is loaded, else once it is. */
  with<T>(use: (engine: Engine) => T | Promise<T>): Promise<T> {
    const { engine } = this;
    if (engine) return Promise.resolve(use(engine));
    return new Promise<T>((resolve, reject) => {
      const run = (loaded: Engine) => {
        try {
          resolve(use(loaded));
        } catch (error) {
          reject(error);
        }
      };
      this.#waiting.push({ run, fail: reject });
      this.load();
    });
  }

  /** A call's `use` of the engine: counted among the calls waiting until it is in. */
  call<T>(use: (engine: Engine) => T | Promise<T>): Promise<T> {
    if (!this.engine) this.waitingCalls++;
    return this.with(use);
  }

  /** How many asks wait for the engine. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #settle(each: (waiting: Waiting) => void): void {
    this.#loading = false;
    this.waitingCalls = 0;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const one of waiting) each(one);
  }
}
