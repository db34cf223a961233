import { RequestValidationError, ResultValidationError } from './errors.js';
import type { BucketChecks } from './bucket-checks.js';
import { Loader } from './loader.js';

/**
 * The schema a typed bucket was given. The code that checks records against
 * it (with the combinators of the generated validators) is loaded when the
 * bucket is made, so that apps without typed buckets do not carry it.
 */
export class BucketSchema {
  /** The checks built from the schema; their load fails if the schema uses what they cannot check. */
  readonly checks: Loader<BucketChecks>;

  constructor(readonly schema: object) {
    const { type, properties } = schema as { type?: unknown; properties?: unknown };
    if (type !== 'object' || typeof properties !== 'object' || properties === null) {
      throw new TypeError('a bucket schema must be an object schema with properties');
    }
    // The building blocks come with the checks: like the generated validators, they load when used.
    this.checks = new Loader(() =>
      Promise.all([import('./bucket-checks.js'), import('./validate.js')]).then(
        ([{ BucketChecks }, blocks]) =>
          new BucketChecks(schema, { ...blocks, RequestValidationError, ResultValidationError }),
      ),
    );
    // Loaded now, so that calls made once it is in are checked and sent at once, in order.
    this.checks.load();
  }
}
