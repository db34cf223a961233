import { describe, expect, it } from 'vitest';
import { typeOf } from '../../cli/help.js';
import { printType } from '../../codegen/types.js';
import { ValidatorEmitter } from '../../codegen/validators.js';
import type { Schema } from '../../runtime/json-schema.js';
import * as errors from '../../runtime/errors.js';
import { refine } from '../../runtime/json-schema.js';
import { checkFromSchema, issuesOf } from '../../runtime/schema-check.js';
import * as blocks from '../../runtime/validate.js';
import type { Check } from '../../runtime/validate.js';

const runtime = { ...blocks, ...errors, refine };

/** A generated validator expression, built with the runtime's combinators (as generated/validators.ts is). */
function generatedCheck(schema: Schema): Check {
  const emitter = new ValidatorEmitter(() => {
    throw new Error('no named schemas here');
  });
  const expression = emitter.expression(schema);
  const names = [...emitter.used];
  const values = names.map((name) => (runtime as Record<string, unknown>)[name]);
  return new Function(...names, `return ${expression};`)(...values) as Check;
}

/** The check a typed bucket builds from the same schema at run time. */
const runtimeCheck = (schema: Schema): Check =>
  checkFromSchema(runtime as never, schema as Record<string, unknown>);

const cases: [string, Schema, unknown[]][] = [
  ['pattern', { type: 'string', pattern: '^a+$' }, ['aa', 'ab', 3]],
  ['format', { type: 'string', format: 'email' }, ['a@b.co', 'nope']],
  ['maximum', { type: 'integer', minimum: 0, maximum: 9 }, [3, 10, -1, 1.5]],
  ['exclusive bounds', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5, 0, 1]],
  [
    'maxItems',
    { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
    [['a'], [], ['a', 'b', 'c'], [1]],
  ],
  ['enum', { enum: ['user', 'admin'] }, ['user', 'root']],
  ['literal union', { anyOf: [{ const: 'a' }, { const: 'b' }] }, ['a', 'c']],
  [
    'tagged union',
    {
      anyOf: [
        {
          type: 'object',
          properties: { kind: { const: 'n' }, n: { type: 'number' } },
          required: ['kind', 'n'],
        },
        {
          type: 'object',
          properties: { kind: { const: 's' }, s: { type: 'string' } },
          required: ['kind', 's'],
        },
      ],
    },
    [{ kind: 'n', n: 1 }, { kind: 's', s: 1 }, { kind: 'x' }, 'no'],
  ],
  ['union', { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] }, ['x', '', null, 1]],
  [
    'record',
    { type: 'object', patternProperties: { '^.*$': { type: 'integer' } } },
    [{ a: 1 }, { a: 'x' }],
  ],
];

describe('one schema walker', () => {
  it.each(cases)(
    '%s: the generated validator and a typed bucket check alike',
    (_, schema, samples) => {
      const generated = generatedCheck(schema);
      const atRunTime = runtimeCheck(schema);
      for (const sample of samples) {
        expect(issuesOf(atRunTime, sample, 'v'), JSON.stringify(sample)).toEqual(
          issuesOf(generated, sample, 'v'),
        );
      }
    },
  );

  it.each([
    ['allOf', { allOf: [{ type: 'string' }] }],
    ['not', { not: { type: 'string' } }],
    ['$ref', { $ref: '#/x' }],
    ['an unknown format', { type: 'string', format: 'hostname' }],
    ['an unknown type', { type: 'bigint' }],
  ])('refuses %s in every reader', (_, schema) => {
    const readers: [string, () => unknown][] = [
      ['generated types', () => printType(schema as Schema)],
      ['generated validators', () => generatedCheck(schema as Schema)],
      ['typed buckets', () => runtimeCheck(schema as Schema)],
      ['the CLI', () => typeOf(schema as Schema)],
    ];
    for (const [reader, read] of readers) expect(read, reader).toThrow(/is not supported/);
  });
});
