interface Waiting<T> {
  run(value: T): void;
  fail(error: unknown): void;
}

/**
 * Code the client loads when it needs it (a chunk of its own where the app's
 * bundler splits code): the engine, the validators, typed-bucket checks.
 * What is asked of it before it is in waits in a queue that runs in order in
 * the same turn as it arrives, so that nothing asked later overtakes it. A
 * failed load fails what waits; the next ask loads again.
 */
export class Loader<T> {
  /** What was loaded, once it is in. */
  value: T | undefined;
  /** How many of the asks waiting for it are calls (see `call`). */
  waitingCalls = 0;
  #waiting: Waiting<T>[] = [];
  #loading = false;

  constructor(private readonly make: () => Promise<T>) {}

  /** Starts loading, unless it is in or loading. */
  load(): void {
    if (this.value !== undefined || this.#loading) return;
    this.#loading = true;
    this.make().then(
      (value) => {
        this.value = value;
        this.#settle((waiting) => waiting.run(value));
      },
      (error: unknown) => this.#settle((waiting) => waiting.fail(error)),
    );
  }

  /** `use` of what is loaded: at once when it is in, else once it is. */
  with<R>(use: (value: T) => R | Promise<R>): Promise<R> {
    const { value } = this;
    if (value !== undefined) return Promise.resolve(use(value));
    return new Promise<R>((resolve, reject) => {
      const run = (loaded: T) => {
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

  /** A call's `use`: counted among the calls waiting until it is in. */
  call<R>(use: (value: T) => R | Promise<R>): Promise<R> {
    if (this.value === undefined) this.waitingCalls++;
    return this.with(use);
  }

  /** How many asks wait for it. */
  get waiting(): number {
    return this.#waiting.length;
  }

  #settle(each: (waiting: Waiting<T>) => void): void {
    this.#loading = false;
    this.waitingCalls = 0;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const one of waiting) each(one);
  }
}
