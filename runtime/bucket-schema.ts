import { RequestValidationError, ResultValidationError } from './errors.js';
import type { BucketChecks } from './bucket-checks.js';
import type { Combinators } from './schema-check.js';
import * as checks from './validate.js';

/** What the record checks are made of, and the errors they raise: handed over by the core, which holds them. */
const combinators: Combinators = {
  any: checks.any,
  arr: checks.arr,
  bool: checks.bool,
  enm: checks.enm,
  int: checks.int,
  lit: checks.lit,
  nul: checks.nul,
  num: checks.num,
  obj: checks.obj,
  oneOf: checks.oneOf,
  opt: checks.opt,
  orNull: checks.orNull,
  rec: checks.rec,
  str: checks.str,
  tagged: checks.tagged,
  RequestValidationError,
  ResultValidationError,
};

/**
 * The schema a typed bucket was given. The code that checks records against
 * it is loaded when the bucket is made, so that apps without typed buckets do
 * not carry it. It builds its checks from the combinators handed to it, so
 * that the chunk shares no module with the core.
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
    return (this.#checks ??= import('./bucket-checks.js').then(
      ({ BucketChecks }) => (this.#loaded = new BucketChecks(this.schema, combinators)),
    ));
  }
}
