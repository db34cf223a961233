import { describe, expect, it } from 'vitest';
import type { BucketDefinition, QueryDefinition } from '../../generated/types.js';
import { paramsType, resultType, type QueryBucket } from '../../codegen/app/queries.js';
import {
  bucketProperties,
  procedureInputType,
  type Property,
  type Role,
} from '../../codegen/app/types.js';

/** The type text the app generator writes for bucket fields, declarative queries and procedure inputs. */

/** `name: type` or `name?: type` for each property, as it would read in the generated interface. */
const show = (properties: Property[]) =>
  properties.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`);
const squash = (type: string) =>
  type.replace(/\s+/g, ' ').replace(/\{ /g, '{').replace(/; \}/g, '}');

describe('bucket fields, by option and role', () => {
  const bucket = (schema: BucketDefinition['schema'], key = 'id'): BucketDefinition => ({
    key,
    schema: { [key]: { type: 'string', generated: 'uuid' }, ...schema },
  });
  const field = (def: BucketDefinition['schema'][string], role: Role) =>
    show(bucketProperties(bucket({ f: def }), role).filter((p) => p.name === 'f'));

  it.each<[string, BucketDefinition['schema'][string], string, string, string | undefined]>([
    // option, definition, on stored records, in insert, in update (undefined: not there)
    [
      'type string',
      { type: 'string' },
      'f?: string | null',
      'f?: string | null',
      'f?: string | null',
    ],
    [
      'type number',
      { type: 'number' },
      'f?: number | null',
      'f?: number | null',
      'f?: number | null',
    ],
    [
      'type boolean',
      { type: 'boolean' },
      'f?: boolean | null',
      'f?: boolean | null',
      'f?: boolean | null',
    ],
    [
      'type date',
      { type: 'date' },
      'f?: string | number | null',
      'f?: string | number | null',
      'f?: string | number | null',
    ],
    [
      'type object',
      { type: 'object' },
      'f?: Record<string, unknown> | null',
      'f?: Record<string, unknown> | null',
      'f?: Record<string, unknown> | null',
    ],
    [
      'type array',
      { type: 'array' },
      'f?: unknown[] | null',
      'f?: unknown[] | null',
      'f?: unknown[] | null',
    ],
    ['required', { type: 'string', required: true }, 'f: string', 'f: string', 'f?: string'],
    ['default', { type: 'number', default: 3 }, 'f: number', 'f?: number', 'f?: number'],
    [
      'required with a default',
      { type: 'number', required: true, default: 3 },
      'f: number',
      'f?: number',
      'f?: number',
    ],
    ['generated uuid', { type: 'string', generated: 'uuid' }, 'f: string', 'f?: string', undefined],
    ['generated cuid', { type: 'string', generated: 'cuid' }, 'f: string', 'f?: string', undefined],
    [
      'generated autoincrement',
      { type: 'number', generated: 'autoincrement' },
      'f: number',
      'f?: number',
      undefined,
    ],
    [
      'generated timestamp',
      { type: 'date', generated: 'timestamp' },
      'f: string | number',
      'f?: string | number',
      undefined,
    ],
    [
      'enum',
      { type: 'string', enum: ['a', "b'c"], required: true },
      `f: "a" | "b'c"`,
      `f: "a" | "b'c"`,
      `f?: "a" | "b'c"`,
    ],
    [
      'enum of numbers',
      { type: 'number', enum: [1, 2] },
      'f?: 1 | 2 | null',
      'f?: 1 | 2 | null',
      'f?: 1 | 2 | null',
    ],
    [
      'format',
      { type: 'string', format: 'email', required: true },
      'f: string',
      'f: string',
      'f?: string',
    ],
    [
      'min and max',
      { type: 'number', min: 0, max: 9, required: true },
      'f: number',
      'f: number',
      'f?: number',
    ],
    [
      'minLength, maxLength and pattern',
      { type: 'string', minLength: 1, maxLength: 5, pattern: '^a', required: true },
      'f: string',
      'f: string',
      'f?: string',
    ],
    [
      'unique',
      { type: 'string', unique: true, required: true },
      'f: string',
      'f: string',
      'f?: string',
    ],
    [
      'ref and onDelete',
      { type: 'string', ref: 'users', onDelete: 'cascade', required: true },
      'f: string',
      'f: string',
      'f?: string',
    ],
    [
      'array items',
      { type: 'array', items: { type: 'number' }, required: true },
      'f: number[]',
      'f: number[]',
      'f?: number[]',
    ],
    [
      'array of enums',
      { type: 'array', items: { type: 'string', enum: ['x', 'y'] }, required: true },
      'f: ("x" | "y")[]',
      'f: ("x" | "y")[]',
      'f?: ("x" | "y")[]',
    ],
    [
      'array of enums with brackets in them',
      { type: 'array', items: { type: 'string', enum: ['<', 'a|b'] }, required: true },
      'f: ("<" | "a|b")[]',
      'f: ("<" | "a|b")[]',
      'f?: ("<" | "a|b")[]',
    ],
  ])('%s', (_, def, record, insert, update) => {
    expect(field(def, 'record')).toEqual([record]);
    expect(field(def, 'insert')).toEqual([insert]);
    expect(field(def, 'update')).toEqual(update === undefined ? [] : [update]);
  });

  it('object properties: required ones present, others optional or null, nested to any depth', () => {
    const [address] = field(
      {
        type: 'object',
        required: true,
        properties: {
          city: { type: 'string', required: true },
          geo: { type: 'object', properties: { lat: { type: 'number', required: true } } },
        },
      },
      'record',
    );
    expect(squash(address!)).toBe('f: {city: string; geo?: {lat: number} | null}');
  });

  it('the key field: present on stored records, given on insert unless generated, never updated', () => {
    const keyed = bucket({ sku: { type: 'string' }, name: { type: 'string' } }, 'sku');
    keyed.schema.sku = { type: 'string' };
    expect(show(bucketProperties(keyed, 'record'))).toEqual([
      'sku: string',
      'name?: string | null',
    ]);
    expect(show(bucketProperties(keyed, 'insert'))).toEqual([
      'sku: string',
      'name?: string | null',
    ]);
    expect(show(bucketProperties(keyed, 'update'))).toEqual(['name?: string | null']);
  });

  it('documents the rules a type cannot express', () => {
    const [, f] = bucketProperties(
      bucket({
        f: {
          type: 'string',
          format: 'email',
          minLength: 3,
          pattern: 'a*/b',
          unique: true,
          ref: 'u',
          onDelete: 'restrict',
        },
      }),
      'record',
    );
    expect(f!.doc).toBe(
      'format: email, minLength: 3, pattern: a*\\/b, unique, ref: u (on delete: restrict)',
    );
  });
});

describe('declarative queries', () => {
  const orders: QueryBucket = {
    recordType: 'OrdersRecord',
    definition: {
      key: 'id',
      schema: {
        id: { type: 'string', generated: 'uuid' },
        status: { type: 'string', enum: ['new', 'paid'] },
        total: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  };
  const params = (filter: QueryDefinition['filter']) =>
    squash(paramsType({ bucket: 'orders', filter }, orders));

  it.each<[string, QueryDefinition['filter'], string]>([
    ['no filter', undefined, 'undefined'],
    ['a filter without params', { status: 'paid' }, 'undefined'],
    ['equality', { status: '{{ params.status }}' }, '{status: "new" | "paid"}'],
    ['spacing inside the braces', { total: '{{params.t}}' }, '{t: number}'],
    ['a partial template is not a param', { status: 'x {{ params.s }}' }, 'undefined'],
    [
      'comparison operators',
      { total: { $gt: '{{ params.a }}', $lte: '{{ params.b }}' } },
      '{a: number; b: number}',
    ],
    [
      '$in with a param for the list',
      { status: { $in: '{{ params.s }}' } },
      '{s: ("new" | "paid")[]}',
    ],
    [
      '$nin with params in the list',
      { status: { $nin: ['{{ params.a }}', 'paid'] } },
      '{a: "new" | "paid"}',
    ],
    [
      '$between with a param for the pair',
      { total: { $between: '{{ params.r }}' } },
      '{r: [number, number]}',
    ],
    [
      '$between with params in the pair',
      { total: { $between: ['{{ params.lo }}', '{{ params.hi }}'] } },
      '{hi: number; lo: number}',
    ],
    [
      '$contains, $startsWith, $endsWith take strings',
      { status: { $contains: '{{ params.c }}', $endsWith: '{{ params.e }}' } },
      '{c: string; e: string}',
    ],
    ['$exists takes a boolean', { total: { $exists: '{{ params.x }}' } }, '{x: boolean}'],
    [
      '$or and $and branches',
      { $or: [{ status: '{{ params.s }}' }, { $and: [{ total: '{{ params.t }}' }] }] },
      '{s: "new" | "paid"; t: number}',
    ],
    ['an array field filtered by an element', { tags: ['{{ params.tag }}'] }, '{tag: string}'],
    [
      'metadata fields are numbers',
      { _createdAt: { $gte: '{{ params.since }}' } },
      '{since: number}',
    ],
    ['a field the schema does not have', { nope: '{{ params.n }}' }, '{n: unknown}'],
    [
      'one param in two places of different types',
      { status: '{{ params.x }}', total: '{{ params.x }}' },
      '{x: ("new" | "paid") & number}',
    ],
  ])('params: %s', (_, filter, expected) => {
    expect(params(filter)).toBe(expected);
  });

  it.each<[string, Omit<QueryDefinition, 'bucket'>, string]>([
    ['records', {}, '(OrdersRecord & RecordMeta)[]'],
    [
      'sort, limit and offset keep the records',
      { sort: { total: 'desc' }, limit: 5, offset: 1 },
      '(OrdersRecord & RecordMeta)[]',
    ],
    [
      'fields project the records',
      { fields: ['status', 'total', '_version'] },
      `Pick<OrdersRecord & RecordMeta, "status" | "total" | "_version">[]`,
    ],
    [
      'fields the schema does not have',
      { fields: ['total', 'x'] },
      '(Pick<OrdersRecord & RecordMeta, "total"> & {x?: unknown})[]',
    ],
    ['count', { aggregate: { function: 'count' } }, 'number'],
    ['sum', { aggregate: { function: 'sum', field: 'total' } }, 'number'],
    ['avg', { aggregate: { function: 'avg', field: 'total' } }, 'number'],
    [
      'min (undefined over no rows)',
      { aggregate: { function: 'min', field: 'total' } },
      'number | undefined',
    ],
    ['max', { aggregate: { function: 'max', field: 'total' } }, 'number | undefined'],
    [
      'groupBy one field',
      { aggregate: { function: 'sum', field: 'total', groupBy: 'status' } },
      '{ key: Pick<OrdersRecord, "status">; value: number }[]',
    ],
    [
      'min by group: a group without numbers has 0',
      { aggregate: { function: 'min', field: 'total', groupBy: 'status' } },
      '{ key: Pick<OrdersRecord, "status">; value: number }[]',
    ],
    [
      'groupBy fields',
      { aggregate: { function: 'count', groupBy: ['status', 'tags'] } },
      '{ key: Pick<OrdersRecord, "status" | "tags">; value: number }[]',
    ],
    [
      'aggregate wins over fields',
      { fields: ['total'], aggregate: { function: 'count' } },
      'number',
    ],
  ])('result: %s', (_, config, expected) => {
    expect(squash(resultType({ bucket: 'orders', ...config }, orders))).toBe(squash(expected));
  });

  it('a query whose bucket is not in the schema delivers unknown records', () => {
    expect(resultType({ bucket: 'gone' }, undefined)).toBe('unknown');
    expect(squash(paramsType({ bucket: 'gone', filter: { a: '{{ params.a }}' } }, undefined))).toBe(
      '{a: unknown}',
    );
  });
});

describe('procedure inputs', () => {
  it.each<[string, Parameters<typeof procedureInputType>[0], string]>([
    ['no input spec: any object, or none', undefined, 'Record<string, unknown> | undefined'],
    ['an empty spec', {}, 'Record<string, never> | undefined'],
    ['required by default', { a: { type: 'string' } }, '{a: string}'],
    ['required: false', { a: { type: 'number', required: false } }, '{a?: number} | undefined'],
    [
      'a default fills a missing value',
      { a: { type: 'boolean', default: true }, b: { type: 'string' } },
      '{/** default: true */ a?: boolean; b: string}',
    ],
    [
      'object and array',
      { o: { type: 'object' }, l: { type: 'array' } },
      '{o: Record<string, unknown>; l: unknown[]}',
    ],
  ])('%s', (_, input, expected) => {
    expect(squash(procedureInputType(input))).toBe(squash(expected));
  });
});
