import { RequestValidationError, ResultValidationError } from './errors.js';
import { checkFromSchema, issuesOf } from './schema-check.js';
import type { Check } from './validate.js';

const META = ['_version', '_createdAt', '_updatedAt', '_expiresAt'];

type Shape = 'one' | 'oneOrNull' | 'many' | 'page';

/** Where each bucket operation carries records: what it sends, and how its result holds them. */
const sends: Record<string, 'input' | 'patch'> = {
  'store.insert': 'input',
  'store.update': 'patch',
};
const returns: Record<string, Shape> = {
  'store.insert': 'one',
  'store.update': 'one',
  'store.get': 'oneOrNull',
  'store.findOne': 'oneOrNull',
  'store.all': 'many',
  'store.where': 'many',
  'store.first': 'many',
  'store.last': 'many',
  'store.paginate': 'page',
};

/**
 * The checks of a typed bucket, from the schema of its records: records sent
 * (`insert`: the key `id` may be left to the server; `update`: any subset of
 * fields) and records received (with the server's metadata).
 */
export class RecordChecks {
  private readonly input: Check;
  private readonly patch: Check;
  private readonly record: Check;

  constructor(schema: object) {
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
    this.record = checkFromSchema(withMeta, 'bucket schema');
    this.input = checkFromSchema(
      { ...s, required: (s.required ?? []).filter((key) => key !== 'id') },
      'bucket schema',
    );
    this.patch = checkFromSchema({ ...s, required: [] }, 'bucket schema');
  }

  /** Throws RequestValidationError when a record sent by `type` breaks the schema. */
  checkRequest(type: string, payload: Record<string, unknown>): void {
    const kind = sends[type];
    if (!kind) return;
    const issues = issuesOf(kind === 'input' ? this.input : this.patch, payload.data, 'data');
    if (issues) throw new RequestValidationError(type, issues);
  }

  /** Throws ResultValidationError when a record received by `type` breaks the schema. */
  checkResult(type: string, data: unknown): void {
    const shape = returns[type];
    if (!shape) return;
    const records =
      shape === 'one' || (shape === 'oneOrNull' && data !== null)
        ? [data]
        : shape === 'many'
          ? (data as unknown[])
          : shape === 'page'
            ? (data as { records: unknown[] }).records
            : [];
    for (let i = 0; i < records.length; i++) {
      const path = shape === 'many' ? `[${i}]` : shape === 'page' ? `records[${i}]` : '';
      const issues = issuesOf(this.record, records[i], path);
      if (issues) throw new ResultValidationError(type, issues, data);
    }
  }
}
