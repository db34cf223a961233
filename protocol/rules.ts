import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
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

/** Milliseconds, or a string such as `"500ms"`, `"30s"`, `"5m"`, `"1h"`, `"7d"`. */
const Duration = Type.Union([Type.Number(), Type.String()]);
const Comparison = Type.Union([Type.Literal('gte'), Type.Literal('lte'), Type.Literal('eq')]);

/** Which events a temporal pattern looks at; `as` names the match for references. */
const EventMatcher = Type.Object({
  topic: Type.String(),
  filter: Type.Optional(JsonObject),
  as: Type.Optional(Type.String()),
});

export const TemporalPattern = Type.Union(
  [
    Type.Object({
      type: Type.Literal('sequence'),
      events: Type.Array(EventMatcher, { minItems: 2 }),
      within: Duration,
      groupBy: Type.Optional(Type.String()),
      strict: Type.Optional(Type.Boolean()),
    }),
    Type.Object({
      type: Type.Literal('absence'),
      after: EventMatcher,
      expected: EventMatcher,
      within: Duration,
      groupBy: Type.Optional(Type.String()),
    }),
    Type.Object({
      type: Type.Literal('count'),
      event: EventMatcher,
      threshold: Type.Number({ minimum: 1 }),
      comparison: Type.Optional(Comparison),
      window: Duration,
      groupBy: Type.Optional(Type.String()),
      sliding: Type.Optional(Type.Boolean()),
    }),
    Type.Object({
      type: Type.Literal('aggregate'),
      event: EventMatcher,
      field: Type.String(),
      function: Type.Union([
        Type.Literal('sum'),
        Type.Literal('avg'),
        Type.Literal('min'),
        Type.Literal('max'),
        Type.Literal('count'),
      ]),
      threshold: Type.Number(),
      comparison: Type.Optional(Comparison),
      window: Duration,
      groupBy: Type.Optional(Type.String()),
    }),
  ],
  { $id: 'TemporalPattern' },
);

/** What fires a rule. Fact patterns split on `:`, where `*` matches one segment. */
export const RuleTrigger = Type.Union(
  [
    Type.Object({ type: Type.Literal('event'), topic: Type.String() }),
    Type.Object({ type: Type.Literal('fact'), pattern: Type.String() }),
    Type.Object({ type: Type.Literal('timer'), name: Type.String() }),
    Type.Object({ type: Type.Literal('temporal'), pattern: TemporalPattern }),
  ],
  { $id: 'RuleTrigger' },
);

/**
 * A test on the triggering event, a fact, the context, a lookup or a baseline.
 * `value` (a literal or `{ref: "event.x"}`) is required unless `operator` is
 * `exists` or `not_exists`.
 */
export const RuleCondition = Type.Object(
  {
    source: Type.Union([
      Type.Object({ type: Type.Literal('event'), field: Type.String() }),
      Type.Object({ type: Type.Literal('fact'), pattern: Type.String() }),
      Type.Object({ type: Type.Literal('context'), key: Type.String() }),
      Type.Object({
        type: Type.Literal('lookup'),
        name: Type.String(),
        field: Type.Optional(Type.String()),
      }),
      Type.Object({
        type: Type.Literal('baseline'),
        metric: Type.String(),
        comparison: Type.Union([
          Type.Literal('above'),
          Type.Literal('below'),
          Type.Literal('outside'),
          Type.Literal('above_percentile'),
          Type.Literal('below_percentile'),
        ]),
        sensitivity: Type.Optional(Type.Number()),
      }),
    ]),
    operator: Type.Union([
      Type.Literal('eq'),
      Type.Literal('neq'),
      Type.Literal('gt'),
      Type.Literal('gte'),
      Type.Literal('lt'),
      Type.Literal('lte'),
      Type.Literal('in'),
      Type.Literal('not_in'),
      Type.Literal('contains'),
      Type.Literal('not_contains'),
      Type.Literal('matches'),
      Type.Literal('exists'),
      Type.Literal('not_exists'),
    ]),
    value: Type.Optional(Type.Unknown()),
  },
  { $id: 'RuleCondition' },
);

/** Nested actions (checked by the server, not typed here: the spec has no recursion). */
const NestedList = Type.Array(Type.Unknown(), { minItems: 1 });

/**
 * What a rule does. Values may be `{ref: "event.x"}`; strings (keys, topics,
 * names) may hold `${event.x}`.
 */
export const RuleAction = Type.Union(
  [
    Type.Object({ type: Type.Literal('set_fact'), key: Type.String(), value: Type.Unknown() }),
    Type.Object({ type: Type.Literal('delete_fact'), key: Type.String() }),
    Type.Object({ type: Type.Literal('emit_event'), topic: Type.String(), data: JsonObject }),
    Type.Object({
      type: Type.Literal('set_timer'),
      timer: Type.Object({
        name: Type.String(),
        duration: Duration,
        onExpire: Type.Object({ topic: Type.String(), data: Type.Unknown() }),
        repeat: Type.Optional(
          Type.Object({ interval: Duration, maxCount: Type.Optional(Type.Number()) }),
        ),
        cron: Type.Optional(Type.String()),
        maxCount: Type.Optional(Type.Number()),
      }),
    }),
    Type.Object({ type: Type.Literal('cancel_timer'), name: Type.String() }),
    Type.Object({
      type: Type.Literal('call_service'),
      service: Type.String(),
      method: Type.String(),
      args: Type.Optional(Type.Array(Type.Unknown())),
    }),
    Type.Object({
      type: Type.Literal('log'),
      level: Type.Union([
        Type.Literal('debug'),
        Type.Literal('info'),
        Type.Literal('warn'),
        Type.Literal('error'),
      ]),
      message: Type.String(),
    }),
    Type.Object({
      type: Type.Literal('conditional'),
      conditions: Type.Array(RuleCondition, { minItems: 1 }),
      then: NestedList,
      else: Type.Optional(Type.Array(Type.Unknown())),
    }),
    Type.Object({
      type: Type.Literal('for_each'),
      collection: Type.Optional(Type.Unknown()),
      as: Type.Optional(Type.String()),
      actions: Type.Optional(Type.Array(Type.Unknown())),
      maxIterations: Type.Optional(Type.Number()),
    }),
    Type.Object({
      type: Type.Literal('try_catch'),
      try: NestedList,
      catch: Type.Optional(Type.Object({ as: Type.Optional(Type.String()), actions: NestedList })),
      finally: Type.Optional(Type.Array(Type.Unknown())),
    }),
  ],
  { $id: 'RuleAction' },
);

/** External data a rule loads before its conditions run (services are registered server-side). */
export const RuleLookup = Type.Object(
  {
    name: Type.String(),
    service: Type.String(),
    method: Type.String(),
    args: Type.Optional(Type.Array(Type.Unknown())),
    cache: Type.Optional(Type.Object({ ttl: Duration })),
    onError: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('fail')])),
  },
  { $id: 'RuleLookup' },
);

const ruleFields = {
  description: Type.Optional(Type.String()),
  priority: Type.Optional(Type.Number({ description: 'Higher runs first' })),
  enabled: Type.Optional(
    Type.Boolean({ description: 'A rule without `enabled: true` never fires' }),
  ),
  group: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.Array(RuleCondition)),
  actions: Type.Optional(Type.Array(RuleAction)),
  lookups: Type.Optional(Type.Array(RuleLookup)),
};

/**
 * A rule to register. `tags` is required because the server half-registers a
 * rule without it; send `enabled`, `conditions` and `actions` too, or the rule
 * never fires or fails when it does.
 */
export const RuleInput = Type.Object(
  {
    id: NonEmptyString,
    name: NonEmptyString,
    tags: Type.Array(Type.String()),
    trigger: RuleTrigger,
    ...ruleFields,
  },
  { $id: 'RuleInput' },
);

/** Fields to change on a rule, shallow-merged into it; its `id` stays. */
export const RuleUpdate = Type.Object(
  {
    name: Type.Optional(NonEmptyString),
    tags: Type.Optional(Type.Array(Type.String())),
    trigger: Type.Optional(RuleTrigger),
    ...ruleFields,
  },
  { $id: 'RuleUpdate' },
);

/** A rule exactly as registered (no defaults filled in), with its version and times. */
export const Rule = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    tags: Type.Optional(Type.Array(Type.String())),
    trigger: RuleTrigger,
    ...ruleFields,
    version: Type.Integer({ description: 'From an engine-wide counter, not per rule' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Rule' },
);

/** One rule in `getRules`; fields the rule was registered without are left out. */
export const RuleSummary = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    enabled: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Number()),
    version: Type.Integer(),
    tags: Type.Optional(Type.Array(Type.String())),
    group: Type.Optional(Type.String()),
  },
  { $id: 'RuleSummary' },
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
    api: 'rules',
    method: 'emit',
    params: ['topic', 'data', '...meta'],
    doc: 'Emit an event; resolves the stored event after every rule it triggered has run (`causationId` is kept only with a `correlationId`).',
  },
  'rules.setFact': {
    request: payload({ key: NonEmptyString, value: Type.Unknown() }),
    result: Fact,
    api: 'rules',
    method: 'setFact',
    params: ['key', 'value'],
    doc: 'Set a fact (null is a value too); resolves the fact with its new version.',
  },
  'rules.getFact': {
    safeRetry: true,
    request: payload({ key: NonEmptyString }),
    result: Type.Unknown(),
    api: 'rules',
    method: 'getFact',
    params: ['key'],
    doc: 'The value of a fact, or null when there is none.',
  },
  'rules.deleteFact': {
    request: payload({ key: NonEmptyString }),
    result: Type.Object({ deleted: Type.Boolean() }),
    unwrap: 'deleted',
    api: 'rules',
    method: 'deleteFact',
    params: ['key'],
    doc: 'Delete a fact; `deleted` is false when there was none.',
  },
  'rules.queryFacts': {
    safeRetry: true,
    request: payload({ pattern: NonEmptyString }),
    result: Type.Array(Fact),
    api: 'rules',
    method: 'queryFacts',
    params: ['pattern'],
    doc: 'The facts whose key matches a pattern; keys split on `:` and `*` matches exactly one segment.',
  },
  'rules.getAllFacts': {
    safeRetry: true,
    request: payload({}),
    result: Type.Array(Fact),
    api: 'rules',
    method: 'getAllFacts',
    params: [],
    doc: 'Every fact in the engine.',
  },
  'rules.stats': {
    safeRetry: true,
    request: payload({}),
    result: EngineStats,
    api: 'rules',
    method: 'stats',
    params: [],
    doc: 'Rule, fact, timer and processing counts of the rule engine.',
  },
  'rules.subscribe': {
    unsubscribe: 'rules.unsubscribe',
    request: payload({ pattern: NonEmptyString }),
    result: Type.Object({ subscriptionId: Type.String() }),
    api: 'rules',
    method: 'subscribe',
    params: ['pattern'],
    kind: 'subscribe',
    callback: { event: RuleEvent, topic: Type.String() },
    doc: 'Subscribe to events whose topic matches a pattern (`*`, `order.*`, `a.*.c`); only future events, survives reconnects.',
  },
  'rules.unsubscribe': {
    request: payload({ subscriptionId: NonEmptyString }),
    result: Type.Object({ unsubscribed: Type.Boolean() }),
    api: 'rules',
    method: 'unsubscribe',
    params: ['subscriptionId'],
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
    api: 'rules',
    method: 'registerRule',
    params: ['rule'],
    doc: 'Register a rule; fails with ALREADY_EXISTS for a taken id and VALIDATION_ERROR (details: the issues) for an invalid rule.',
  },
  'rules.unregisterRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), unregistered: Type.Boolean() }),
    api: 'rules',
    method: 'unregisterRule',
    params: ['ruleId'],
    doc: 'Remove a rule.',
  },
  'rules.updateRule': {
    request: payload({ ruleId, updates: RuleUpdate }),
    result: Type.Object({ id: Type.String(), version: Type.Integer(), updatedAt: Timestamp }),
    api: 'rules',
    method: 'updateRule',
    params: ['ruleId', 'updates'],
    doc: 'Merge changes into a rule and re-register it; an unknown rule fails with INTERNAL_ERROR, not NOT_FOUND.',
  },
  'rules.enableRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    api: 'rules',
    method: 'enableRule',
    params: ['ruleId'],
    doc: 'Enable a rule so that its trigger fires it.',
  },
  'rules.disableRule': {
    request: payload({ ruleId }),
    result: Type.Object({ ruleId: Type.String(), enabled: Type.Boolean() }),
    api: 'rules',
    method: 'disableRule',
    params: ['ruleId'],
    doc: 'Disable a rule; disabling a disabled rule succeeds too.',
  },
  'rules.getRule': {
    safeRetry: true,
    request: payload({ ruleId }),
    result: Rule,
    api: 'rules',
    method: 'getRule',
    params: ['ruleId'],
    doc: 'A rule as registered, with its version and times.',
  },
  'rules.getRules': {
    safeRetry: true,
    request: payload({}),
    result: Type.Object({ rules: Type.Array(RuleSummary) }),
    api: 'rules',
    method: 'getRules',
    params: [],
    doc: 'A summary of every registered rule.',
  },
  'rules.validateRule': {
    safeRetry: true,
    request: payload({ rule: JsonObject }),
    result: RuleValidationResult,
    api: 'rules',
    method: 'validateRule',
    params: ['rule'],
    doc: 'Check a rule without registering it; an invalid rule resolves `valid: false` with its issues.',
  },
});
