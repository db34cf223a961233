import Type from 'typebox';
import { defineOperations } from './define.js';
import { described, JsonObject, NonEmptyString, OneOf, payload } from './shapes.js';

export const ProcedureInputField = Type.Object(
  {
    type: OneOf('string', 'number', 'boolean', 'object', 'array'),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
  },
  {
    $id: 'ProcedureInputField',
    description: 'An input field of a procedure; `required` defaults to true.',
  },
);

const name = described(NonEmptyString, 'The procedure’s name');
const bucket = NonEmptyString;
const as = NonEmptyString;
/** Nested steps of an `if` (checked by the server, not typed here: the spec has no recursion). */
const NestedSteps = Type.Array(Type.Unknown(), { minItems: 1 });

export const ProcedureStep = Type.Union(
  [
    Type.Object({ action: Type.Literal('store.get'), bucket, key: NonEmptyString, as }),
    Type.Object({ action: Type.Literal('store.where'), bucket, filter: JsonObject, as }),
    Type.Object({ action: Type.Literal('store.findOne'), bucket, filter: JsonObject, as }),
    Type.Object({
      action: Type.Literal('store.insert'),
      bucket,
      data: JsonObject,
      as: Type.Optional(as),
    }),
    Type.Object({
      action: Type.Literal('store.update'),
      bucket,
      key: NonEmptyString,
      data: JsonObject,
      as: Type.Optional(as),
    }),
    Type.Object({ action: Type.Literal('store.delete'), bucket, key: NonEmptyString }),
    Type.Object({
      action: Type.Literal('store.count'),
      bucket,
      filter: Type.Optional(JsonObject),
      as,
    }),
    Type.Object({
      action: Type.Literal('aggregate'),
      source: NonEmptyString,
      op: Type.Union([
        Type.Literal('sum'),
        Type.Literal('avg'),
        Type.Literal('min'),
        Type.Literal('max'),
        Type.Literal('count'),
      ]),
      field: Type.Optional(Type.String({ description: 'Required unless `op` is count' })),
      as,
    }),
    Type.Object({
      action: Type.Literal('rules.emit'),
      topic: NonEmptyString,
      data: Type.Optional(JsonObject),
    }),
    Type.Object({
      action: Type.Literal('rules.setFact'),
      key: NonEmptyString,
      value: Type.Unknown(),
    }),
    Type.Object({ action: Type.Literal('rules.getFact'), key: NonEmptyString, as }),
    Type.Object({
      action: Type.Literal('if'),
      condition: Type.Object({
        ref: NonEmptyString,
        operator: Type.Union([
          Type.Literal('eq'),
          Type.Literal('neq'),
          Type.Literal('gt'),
          Type.Literal('gte'),
          Type.Literal('lt'),
          Type.Literal('lte'),
          Type.Literal('exists'),
          Type.Literal('not_exists'),
        ]),
        value: Type.Optional(Type.Unknown()),
      }),
      then: NestedSteps,
      else: Type.Optional(NestedSteps),
    }),
    Type.Object({
      action: Type.Literal('transform'),
      source: NonEmptyString,
      operation: Type.Union([
        Type.Literal('map'),
        Type.Literal('filter'),
        Type.Literal('pick'),
        Type.Literal('pluck'),
      ]),
      args: Type.Unknown(),
      as,
    }),
    Type.Object({ action: Type.Literal('return'), value: Type.Unknown() }),
  ],
  {
    $id: 'ProcedureStep',
    description:
      "One step. String fields take `{{ input.x }}` and `{{ name.path }}` templates; `as` stores the step's output for later steps and the call's `results`.",
  },
);

const procedureFields = {
  description: Type.Optional(Type.String()),
  input: Type.Optional(Type.Record(Type.String(), ProcedureInputField)),
  transaction: Type.Optional(
    Type.Boolean({
      description: 'Runs inside a store transaction; earlier writes are not rolled back',
    }),
  ),
  timeoutMs: Type.Optional(
    Type.Number({ description: 'Greater than 0; the server default is 30 000' }),
  ),
};

export const ProcedureConfig = Type.Object(
  {
    name: NonEmptyString,
    ...procedureFields,
    steps: Type.Array(ProcedureStep, { minItems: 1 }),
  },
  {
    $id: 'ProcedureConfig',
    description: 'A server-side procedure: named input and a list of steps.',
  },
);

export const ProcedureUpdate = Type.Object(
  { ...procedureFields, steps: Type.Optional(Type.Array(ProcedureStep, { minItems: 1 })) },
  {
    $id: 'ProcedureUpdate',
    description: 'Fields to change on a procedure, shallow-merged into it; its `name` stays.',
  },
);

export const ProcedureResult = Type.Object(
  {
    success: Type.Boolean(),
    result: Type.Optional(Type.Unknown()),
    results: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'ProcedureResult' },
);

export const ProcedureInfo = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    stepsCount: Type.Integer({ description: 'Top-level steps only' }),
  },
  { $id: 'ProcedureInfo' },
);

export const procedures = defineOperations({
  'procedures.register': {
    errors: ['VALIDATION_ERROR', 'ALREADY_EXISTS'],
    request: payload({ procedure: ProcedureConfig }),
    result: Type.Object({ name: Type.String(), registered: Type.Boolean() }),
    doc: 'Register a procedure; invalid definitions fail with VALIDATION_ERROR listing every issue.',
  },
  'procedures.unregister': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
    request: payload({ name }),
    result: Type.Object({ name: Type.String(), unregistered: Type.Boolean() }),
    doc: 'Remove a procedure.',
  },
  'procedures.update': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
    request: payload({ name, updates: ProcedureUpdate }),
    result: Type.Object({ name: Type.String(), updated: Type.Boolean() }),
    doc: 'Merge changes into a procedure; the result is validated again as a whole.',
  },
  'procedures.get': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
    safeRetry: true,
    request: payload({ name }),
    result: ProcedureConfig,
    doc: 'A procedure’s definition as stored, with any updates merged in.',
  },
  'procedures.list': {
    safeRetry: true,
    request: payload({}),
    result: Type.Object({ procedures: Type.Array(ProcedureInfo) }),
    doc: 'The registered procedures with their step counts.',
  },
  'procedures.call': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'INTERNAL_ERROR'],
    request: payload({ name, input: Type.Optional(JsonObject) }),
    result: ProcedureResult,
    example: `const { result } = await client.procedures.call('transfer', { from: 'a', to: 'b', amount: 10 });`,
    doc: 'Run a procedure; resolves its `return` value as `result` and every `as` output as `results`.',
  },
});
