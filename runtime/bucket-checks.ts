import { checkFromSchema, issuesOf, type Combinators } from './schema-check.js';
import type { OperationEffects } from './effects.js';
import type { Issue } from './errors.js';
import type { Check } from './validate.js';

const META = ['_version', '_createdAt', '_updatedAt', '_expiresAt'];

/**
 * The checks of a typed bucket, from the schema of its records: records sent
 * (`insert`: the key `id` may be left to the server; `update`: any subset of
 * fields) and records received (with the server's metadata).
 */
export class BucketChecks {
  private readonly input: Check;
  private readonly patch: Check;
  private readonly record: Check;

  /** `combinators`: runtime/validate.ts and the validation errors, handed over by the core. */
  constructor(
    schema: object,
    private readonly combinators: Combinators,
  ) {
    const s = schema as {
      type?: unknown;
      properties?: Record<string, unknown>;
      required?: string[];
      additionalProperties?: unknown;
    };
    const withMeta = {
      ...s,
      properties: {
        ...s.properties,
        ...Object.fromEntries(META.map((key) => [key, { type: 'number' }])),
      },
    };
    this.record = checkFromSchema(combinators, withMeta, 'bucket schema');
    this.input = checkFromSchema(
      combinators,
      { ...s, required: (s.required ?? []).filter((key) => key !== 'id') },
      'bucket schema',
    );
    this.patch = checkFromSchema(combinators, { ...s, required: [] }, 'bucket schema');
  }

  /**
   * A call of the bucket: checks the records it sends, then sends it with
   * `send` (at once: the caller's order holds), then checks the records that
   * come back.
   */
  call(
    type: string,
    effect: OperationEffects | undefined,
    payload: Record<string, unknown>,
    send: () => Promise<unknown>,
  ): Promise<unknown> {
    const { RequestValidationError, ResultValidationError } = this.combinators;
    const wrong = this.requestIssues(effect, payload);
    if (wrong) {
      return Promise.reject(new RequestValidationError(type, wrong, payload.bucket as string));
    }
    return send().then((result) => {
      const unexpected = this.resultIssues(effect, result);
      if (unexpected) throw new ResultValidationError(type, unexpected, result);
      return result;
    });
  }

  /** Where a record the call sends (in `data`) breaks the schema; undefined when it does not. */
  private requestIssues(
    effect: OperationEffects | undefined,
    payload: Record<string, unknown>,
  ): Issue[] | undefined {
    const kind = effect?.sends;
    if (!kind) return undefined;
    return issuesOf(kind === 'record' ? this.input : this.patch, payload.data, 'data');
  }

  /** Where a record received by `type` breaks the schema (the first such record); undefined when none does. */
  private resultIssues(effect: OperationEffects | undefined, data: unknown): Issue[] | undefined {
    const shape = effect?.returns;
    if (!shape) return undefined;
    const records =
      shape === 'record' || (shape === 'recordOrNull' && data !== null)
        ? [data]
        : shape === 'records'
          ? (data as unknown[])
          : shape === 'page'
            ? (data as { records: unknown[] }).records
            : [];
    for (let i = 0; i < records.length; i++) {
      const path = shape === 'records' ? `[${i}]` : shape === 'page' ? `records[${i}]` : '';
      const issues = issuesOf(this.record, records[i], path);
      if (issues) return issues;
    }
    return undefined;
  }
}
