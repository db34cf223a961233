import type { OperationValidators } from './validate.js';

/**
 * Where the generated validators come from: the table itself, or a loader of
 * its module (what the generated client passes, so that the validators are
 * a chunk of their own that loads with the first connect or call).
 */
export type ValidatorSource =
  OperationValidators | (() => Promise<{ readonly validators: OperationValidators }>);

interface Waiting {
  run(): void;
  fail(error: unknown): void;
}

/**
 * The validators of every operation, once loaded. Calls made before then
 * wait in a queue that runs, in order, in the same turn as the table arrives,
 * so that no later call overtakes them.
 */
export class ValidatorTable {
  /** The validators, once loaded. */
  table: OperationValidators | undefined;
  #waiting: Waiting[] = [];
  #loading = false;

  constructor(private readonly source: ValidatorSource) {
    if (typeof source !== 'function') this.table = source;
  }

  /** Starts loading the validators, if they are not loaded or loading. */
  load(): void {
    if (this.table || this.#loading || typeof this.source !== 'function') return;
    this.#loading = true;
    this.source().then(
      ({ validators }) => {
        this.table = validators;
        this.#settle((waiting) => waiting.run());
      },
      // A chunk that failed to load fails the calls waiting for it; the next call tries again.
      (error: unknown) => this.#settle((waiting) => waiting.fail(error)),
    );
  }

  /** `run` once the validators are loaded (at once if they are); `fail` if they cannot be. */
  whenLoaded(run: () => void, fail: (error: unknown) => void): void {
    if (this.table) return run();
    this.#waiting.push({ run, fail });
    this.load();
  }

  #settle(each: (waiting: Waiting) => void): void {
    this.#loading = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const one of waiting) each(one);
  }
}
