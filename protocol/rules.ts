import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
import { Rule, RuleInput, RuleSummary, RuleUpdate } from './rule-definition.js';
import {
  described,
  JsonObject,
  NonEmptyString,
  payload,
  SubscriptionId,
  Timestamp,
} from './shapes.js';

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
  { $id: 'RuleEvent', description: 'An event as the rule engine stores and pushes it.' },
);

export const Fact = Type.Object(
  {
    key: Type.String(),
    value: Type.Unknown(),
    timestamp: Timestamp,
    source: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'Fact', description: 'A fact; `version` counts the writes to its key, from 1.' },
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

const ruleId = described(NonEmptyString, 'The rule’s id');
const factKey = described(NonEmptyString, 'The fact’s key, such as `user:1:name`');

export const rules = defineOperations({
  'rules.emit': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    request: payload({
      topic: described(NonEmptyString, 'The event’s topic, such as `order.created`'),
      data: Type.Optional(JsonObject),
      correlationId: Type.Optional(NonEmptyString),
      causationId: Type.Optional(Type.String()),
    }),
    result: RuleEvent,
    params: ['topic', 'data', '...meta'],
    example: `const event = await client.rules.emit('order.created', { orderId: 'o-1', total: 42 });`,
    doc: 'Emit an event; resolves the stored event after every rule it triggered has run (`causationId` is kept only with a `correlationId`).',
  },
  'rules.setFact': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    request: payload({
      key: factKey,
      value: described(Type.Unknown(), 'The fact’s value; null is a value too'),
    }),
    result: Fact,
    doc: 'Set a fact (null is a value too); resolves the fact with its new version.',
  },
  'rules.getFact': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({ key: factKey }),
    result: Type.Unknown(),
    doc: 'The value of a fact, or null when there is none.',
  },
  'rules.deleteFact': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    request: payload({ key: factKey }),
    result: Type.Object({ deleted: Type.Boolean() }),
    unwrap: 'deleted',
    doc: 'Delete a fact; `deleted` is false when there was none.',
  },
  'rules.queryFacts': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({
      pattern: described(
        NonEmptyString,
        'A key pattern: keys split on `:`, and `*` matches exactly one segment',
      ),
    }),
    result: Type.Array(Fact),
    doc: 'The facts whose key matches a pattern; keys split on `:` and `*` matches exactly one segment.',
  },
  'rules.getAllFacts': {
    errors: ['RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({}),
    result: Type.Array(Fact),
    doc: 'Every fact in the engine.',
  },
  'rules.stats': {
    errors: ['RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({}),
    result: EngineStats,
    doc: 'Rule, fact, timer and processing counts of the rule engine.',
  },
  'rules.subscribe': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE', 'RATE_LIMITED'],
    unsubscribe: 'rules.unsubscribe',
    request: payload({
      pattern: described(NonEmptyString, 'A topic pattern such as `*`, `order.*` or `a.*.c`'),
    }),
    result: Type.Object({ subscriptionId: Type.String() }),
    kind: 'subscribe',
    callback: { event: RuleEvent, topic: Type.String() },
    example: `const unsubscribe = await client.rules.subscribe('order.*', (event, topic) => {
  console.log(topic, event.data);
});`,
    doc: 'Subscribe to events whose topic matches a pattern (`*`, `order.*`, `a.*.c`); only future events, survives reconnects.',
  },
  'rules.unsubscribe': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'RULES_NOT_AVAILABLE'],
    request: payload({ subscriptionId: SubscriptionId }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    kind: 'unsubscribe',
    doc: 'Cancel a rules subscription by its server-assigned id.',
  },
  'rules.registerRule': {
    errors: ['VALIDATION_ERROR', 'ALREADY_EXISTS', 'INTERNAL_ERROR', 'RULES_NOT_AVAILABLE'],
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
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'RULES_NOT_AVAILABLE'],
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), unregistered: Type.Boolean() }),
    doc: 'Remove a rule.',
  },
  'rules.updateRule': {
    errors: ['VALIDATION_ERROR', 'INTERNAL_ERROR', 'RULES_NOT_AVAILABLE'],
    request: payload({ ruleId, updates: RuleUpdate }),
    result: Type.Object({ id: Type.String(), version: Type.Integer(), updatedAt: Timestamp }),
    doc: 'Merge changes into a rule and re-register it; an unknown rule fails with INTERNAL_ERROR, not NOT_FOUND.',
  },
  'rules.enableRule': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'RULES_NOT_AVAILABLE'],
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    doc: 'Enable a rule so that its trigger fires it.',
  },
  'rules.disableRule': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'RULES_NOT_AVAILABLE'],
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    doc: 'Disable a rule; disabling a disabled rule succeeds too.',
  },
  'rules.getRule': {
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({ ruleId }),
    result: Rule,
    doc: 'A rule as registered, with its version and times.',
  },
  'rules.getRules': {
    errors: ['RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({}),
    result: Type.Object({ rules: Type.Array(RuleSummary) }),
    doc: 'A summary of every registered rule.',
  },
  'rules.validateRule': {
    errors: ['VALIDATION_ERROR', 'RULES_NOT_AVAILABLE'],
    safeRetry: true,
    request: payload({ rule: JsonObject }),
    result: RuleValidationResult,
    doc: 'Check a rule without registering it; an invalid rule resolves `valid: false` with its issues.',
  },
});
