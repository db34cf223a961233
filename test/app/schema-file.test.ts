import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  displayUrl,
  parseSchema,
  printSchema,
  readSchema,
  SchemaFileError,
} from '../../codegen/app/model.js';

const fixture = new URL('./fixtures/shop.schema.json', import.meta.url).pathname;
const shop = () => JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The problems parseSchema names for a schema file, or [] when it accepts it. */
function problems(value: unknown): string[] {
  try {
    parseSchema(value, 'noex.schema.json');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaFileError);
    return [...(error as SchemaFileError).problems];
  }
}

describe('the schema file', () => {
  it('accepts every bucket, query and procedure form the server accepts, and declared types', () => {
    const schema = readSchema(readFileSync(fixture, 'utf8'), fixture);
    expect(Object.keys(schema.buckets)).toEqual(['customers', 'orders', 'sessions', 'audit-log']);
    expect(Object.keys(schema.queries)).toHaveLength(11);
    expect(schema.procedures['purge-sessions']!.name).toBe('purge-sessions');
    expect(schema.declared?.queries?.['live-stats']).toEqual({});
  });

  it('fills a procedure name from its key, and refuses one that differs', () => {
    const file = { procedures: { p: { steps: [{ action: 'return', value: 1 }] } } };
    expect(parseSchema(file, 'f').procedures.p!.name).toBe('p');
    expect(
      problems({ procedures: { p: { name: 'q', steps: [{ action: 'return', value: 1 }] } } }),
    ).toEqual(['procedures.p.name: "q" differs from its key "p"']);
  });

  it('names every problem by its path', () => {
    const file = shop();
    file.buckets.orders.schema.total.type = 'money';
    file.buckets.orders.key = 'id';
    file.buckets.orders.indexes.push('nope');
    file.buckets.customers.schema.address.properties.city = { required: true };
    file.buckets.customers.schema.tags.items.pattern = '[';
    delete file.queries['order-count'].bucket;
    file.procedures.touch.steps = [];
    file.declared.queries['customers-by-tier'] = {};
    file.declared.procedures.nope = { result: { type: 'number' } };
    file.declared.queries['all-customers'].result = { records: 3 };
    file.extra = {};
    const found = problems(file);
    expect(found).toEqual(
      expect.arrayContaining([
        'extra: unknown section (expected buckets, queries, procedures, declared)',
        expect.stringMatching(/^buckets\.orders\.schema\.total\.type: expected/),
        'buckets.orders.key: "id" is not a field of its schema',
        'buckets.orders.indexes: "nope" is not a field of its schema',
        expect.stringMatching(
          /^buckets\.customers\.schema\.address\.properties\.city\.type: expected one of string/,
        ),
        expect.stringMatching(/^buckets\.customers\.schema\.tags\.items\.pattern: Invalid regular/),
        expect.stringMatching(/^queries\.order-count\.bucket: /),
        expect.stringMatching(/^procedures\.touch\.steps: /),
        'declared.queries.customers-by-tier: "customers-by-tier" is a declarative query; declared types are for programmatic queries',
        'declared.procedures.nope: no such procedure',
        'declared.queries.all-customers.result.records: expected a bucket name',
      ]),
    );
    expect(found).toHaveLength(11);
  });

  it('says when the file is not JSON, or not an object', () => {
    expect(() => readSchema('{ "buckets": ', 'noex.schema.json')).toThrow(
      /^noex\.schema\.json: not valid JSON: /,
    );
    expect(problems([])).toEqual(['expected a JSON object']);
    expect(problems({ buckets: [] })).toEqual([
      'buckets: expected an object of definitions by name',
    ]);
  });

  it('prints sorted by name, two-space JSON: the same schema prints alike whatever its order', () => {
    const schema = readSchema(readFileSync(fixture, 'utf8'), fixture);
    const reversed = parseSchema(
      {
        buckets: Object.fromEntries(Object.entries(schema.buckets).reverse()),
        queries: Object.fromEntries(Object.entries(schema.queries).reverse()),
        procedures: Object.fromEntries(Object.entries(schema.procedures).reverse()),
        declared: schema.declared,
      },
      'reversed',
    );
    const text = printSchema(schema);
    expect(printSchema(reversed)).toBe(text);
    expect(Object.keys(JSON.parse(text).buckets)).toEqual([
      'audit-log',
      'customers',
      'orders',
      'sessions',
    ]);
    expect(text.endsWith('}\n')).toBe(true);
    expect(readSchema(text, 'again')).toEqual(readSchema(text, 'again'));
    expect(printSchema(readSchema(text, 'again'))).toBe(text);
  });

  it('names a server by its URL without credentials, query or fragment', () => {
    expect(displayUrl('ws://admin:secret@example.com:8080/ws?token=t#x')).toBe(
      'ws://example.com:8080/ws',
    );
    expect(displayUrl('wss://example.com')).toBe('wss://example.com');
  });
});
