import type { RecordChecks } from './records.js';

/**
 * The schema a typed bucket was given. The code that checks records against
 * it loads on the bucket's first call, so that apps without typed buckets do
 * not carry it.
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
      ({ RecordChecks }) => new RecordChecks(this.schema),
    ));
  }
}
