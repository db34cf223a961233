import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
import { Rule, RuleInput, RuleSummary, RuleUpdate } from './rule-definition.js';
import { JsonObject, NonEmptyString, payload, Timestamp } from './shapes.js';

/** An event as the rule engine stores and pushes it. */
export const RuleEvent = Type.Object(
  {
    id: Type.String(),
    topic: Type.String(),
    data: JsonObject,
    timestamp: Timestamp,
    correlationId: Type.Optional(Type.String()),
    causationId: Type.Optional(Type.String()),
    source: Type.String({
      description: '"api" for emits over the wire, "rule" for events a rule emitted',
    }),
  },
  { $id: 'RuleEvent' },
);

/** A fact; `version` counts the writes to its key, from 1. */
export const Fact = Type.Object(
  {
    key: Type.String(),
    value: Type.Unknown(),
    timestamp: Timestamp,
    source: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'Fact' },
);

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const EngineStats = Type.Object(
  {
    rulesCount: Type.Integer(),
    factsCount: Type.Integer(),
    timersCount: Type.Integer(),
    eventsProcessed: Type.Integer(),
    rulesExecuted: Type.Integer(),
    avgProcessingTimeMs: Type.Number(),
    tracing: Type.Optional(
      Type.Object({
        enabled: Type.Boolean(),
        entriesCount: Type.Integer(),
        maxEntries: Type.Integer(),
      }),
    ),
    profiling: Type.Optional(
      Type.Object({
        totalRulesProfiled: Type.Number(),
        totalTriggers: Type.Number(),
        totalExecutions: Type.Number(),
        totalTimeMs: Type.Number(),
        avgRuleTimeMs: Type.Number(),
        slowestRule: Nullable(
          Type.Object({ ruleId: Type.String(), ruleName: Type.String(), avgTimeMs: Type.Number() }),
        ),
        hottestRule: Nullable(
          Type.Object({
            ruleId: Type.String(),
            ruleName: Type.String(),
            triggerCount: Type.Number(),
          }),
        ),
      }),
    ),
    audit: Type.Optional(
      Type.Object({
        totalEntries: Type.Number(),
        memoryEntries: Type.Number(),
        oldestEntry: Nullable(Timestamp),
        newestEntry: Nullable(Timestamp),
        entriesByCategory: Type.Record(Type.String(), Type.Number()),
        subscribersCount: Type.Number(),
      }),
    ),
    versioning: Type.Optional(
      Type.Object({
        trackedRules: Type.Number(),
        totalVersions: Type.Number(),
        dirtyRules: Type.Number(),
        oldestEntry: Nullable(Timestamp),
        newestEntry: Nullable(Timestamp),
      }),
    ),
    baseline: Type.Optional(
      Type.Object({
        metricsCount: Type.Number(),
        totalRecalculations: Type.Number(),
        anomaliesDetected: Type.Number(),
      }),
    ),
  },
  { $id: 'EngineStats' },
);

export const RuleValidationIssue = Type.Object(
  {
    path: Type.String({ description: '"(root)" for the rule itself' }),
    message: Type.String(),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  },
  { $id: 'RuleValidationIssue' },
);

export const RuleValidationResult = Type.Object(
  {
    valid: Type.Boolean(),
    errors: Type.Array(RuleValidationIssue),
    warnings: Type.Array(RuleValidationIssue),
  },
  { $id: 'RuleValidationResult' },
);

const ruleId = NonEmptyString;

export const rules = defineOperations({
  'rules.emit': {
    request: payload({
      topic: NonEmptyString,
      data: Type.Optional(JsonObject),
      correlationId: Type.Optional(NonEmptyString),
      causationId: Type.Optional(Type.String()),
    }),
    result: RuleEvent,
    params: ['topic', 'data', '...meta'],
    doc: 'Emit an event; resolves the stored event after every rule it triggered has run (`causationId` is kept only with a `correlationId`).',
  },
  'rules.setFact': {
    request: payload({ key: NonEmptyString, value: Type.Unknown() }),
    result: Fact,
    doc: 'Set a fact (null is a value too); resolves the fact with its new version.',
  },
  'rules.getFact': {
    safeRetry: true,
    request: payload({ key: NonEmptyString }),
    result: Type.Unknown(),
    doc: 'The value of a fact, or null when there is none.',
  },
  'rules.deleteFact': {
    request: payload({ key: NonEmptyString }),
    result: Type.Object({ deleted: Type.Boolean() }),
    unwrap: 'deleted',
    doc: 'Delete a fact; `deleted` is false when there was none.',
  },
  'rules.queryFacts': {
    safeRetry: true,
    request: payload({ pattern: NonEmptyString }),
    result: Type.Array(Fact),
    doc: 'The facts whose key matches a pattern; keys split on `:` and `*` matches exactly one segment.',
  },
  'rules.getAllFacts': {
    safeRetry: true,
    request: payload({}),
    result: Type.Array(Fact),
    doc: 'Every fact in the engine.',
  },
  'rules.stats': {
    safeRetry: true,
    request: payload({}),
    result: EngineStats,
    doc: 'Rule, fact, timer and processing counts of the rule engine.',
  },
  'rules.subscribe': {
    unsubscribe: 'rules.unsubscribe',
    request: payload({ pattern: NonEmptyString }),
    result: Type.Object({ subscriptionId: Type.String() }),
    kind: 'subscribe',
    callback: { event: RuleEvent, topic: Type.String() },
    doc: 'Subscribe to events whose topic matches a pattern (`*`, `order.*`, `a.*.c`); only future events, survives reconnects.',
  },
  'rules.unsubscribe': {
    request: payload({ subscriptionId: NonEmptyString }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    kind: 'unsubscribe',
    doc: 'Cancel a rules subscription by its server-assigned id.',
  },
  'rules.registerRule': {
    request: payload({ rule: RuleInput }),
    result: Type.Object({
      id: Type.String(),
      name: Type.String(),
      version: Type.Integer(),
      createdAt: Timestamp,
      updatedAt: Timestamp,
    }),
    doc: 'Register a rule; fails with ALREADY_EXISTS for a taken id and VALIDATION_ERROR (details: the issues) for an invalid rule.',
  },
  'rules.unregisterRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), unregistered: Type.Boolean() }),
    doc: 'Remove a rule.',
  },
  'rules.updateRule': {
    request: payload({ ruleId, updates: RuleUpdate }),
    result: Type.Object({ id: Type.String(), version: Type.Integer(), updatedAt: Timestamp }),
    doc: 'Merge changes into a rule and re-register it; an unknown rule fails with INTERNAL_ERROR, not NOT_FOUND.',
  },
  'rules.enableRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    doc: 'Enable a rule so that its trigger fires it.',
  },
  'rules.disableRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    doc: 'Disable a rule; disabling a disabled rule succeeds too.',
  },
  'rules.getRule': {
    safeRetry: true,
    request: payload({ ruleId }),
    result: Rule,
    doc: 'A rule as registered, with its version and times.',
  },
  'rules.getRules': {
    safeRetry: true,
    request: payload({}),
    result: Type.Object({ rules: Type.Array(RuleSummary) }),
    doc: 'A summary of every registered rule.',
  },
  'rules.validateRule': {
    safeRetry: true,
    request: payload({ rule: JsonObject }),
    result: RuleValidationResult,
    doc: 'Check a rule without registering it; an invalid rule resolves `valid: false` with its issues.',
  },
});
