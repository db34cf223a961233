import { RequestValidationError, ResultValidationError } from './errors.js';
import type { BucketChecks } from './bucket-checks.js';

/**
 * The schema a typed bucket was given. The code that checks records against
 * it (with the combinators of the generated validators) is loaded when the
 * bucket is made, so that apps without typed buckets do not carry it.
 */
export class BucketSchema {
  #checks: Promise<BucketChecks> | undefined;
  #loaded: BucketChecks | undefined;

  constructor(readonly schema: object) {
    const { type, properties } = schema as { type?: unknown; properties?: unknown };
    if (type !== 'object' || typeof properties !== 'object' || properties === null) {
      throw new TypeError('a bucket schema must be an object schema with properties');
    }
    // Loaded now, so that calls made once it is in are checked and sent at once, in order.
    this.checks().catch(() => {}); // a schema the checks refuse fails the bucket's first call
  }

  /** The checks, once they have loaded. */
  get loaded(): BucketChecks | undefined {
    return this.#loaded;
  }

  /** The checks built from the schema; rejects if the schema uses what they cannot check. */
  checks(): Promise<BucketChecks> {
    // The building blocks come with the checks: like the generated validators, they load when used.
    this.#checks ??= Promise.all([import('./bucket-checks.js'), import('./validate.js')]).then(
      ([{ BucketChecks }, blocks]) =>
        (this.#loaded = new BucketChecks(this.schema, {
          ...blocks,
          RequestValidationError,
          ResultValidationError,
        })),
    );
    return this.#checks;
  }
}
