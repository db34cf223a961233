import type { RecordChecks } from './records.js';
import { any, arr, bool, int, lit, nul, num, obj, oneOf, opt, rec, str } from './validate.js';

/** The building blocks the record checks are made of. */
export type Combinators = typeof combinators;

const combinators = { any, arr, bool, int, lit, nul, num, obj, oneOf, opt, rec, str };

/**
 * The schema a typed bucket was given. The code that checks records against
 * it loads on the bucket's first call, so that apps without typed buckets do
 * not carry it. It builds its checks from the combinators handed to it, so
 * that the chunk shares no module with the core.
 */
export class BucketSchema {
  #checks: Promise<RecordChecks> | undefined;

  constructor(readonly schema: object) {
    const { type, properties } = schema as { type?: unknown; properties?: unknown };
    if (type !== 'object' || typeof properties !== 'object' || properties === null) {
      throw new TypeError('a bucket schema must be an object schema with properties');
    }
  }

  /** The checks built from the schema; rejects if the schema uses what they cannot check. */
  checks(): Promise<RecordChecks> {
    return (this.#checks ??= import('./records.js').then(
      ({ RecordChecks }) => new RecordChecks(this.schema, combinators),
    ));
  }
}
