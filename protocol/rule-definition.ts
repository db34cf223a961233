import Type from 'typebox';
import { JsonObject, NonEmptyString, Timestamp } from './shapes.js';

/**
 * What a rule is made of: its trigger, conditions, actions and lookups, as
 * `rules.registerRule`, `rules.updateRule` and `rules.getRule` carry them.
 */

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

export const RuleTrigger = Type.Union(
  [
    Type.Object({ type: Type.Literal('event'), topic: Type.String() }),
    Type.Object({ type: Type.Literal('fact'), pattern: Type.String() }),
    Type.Object({ type: Type.Literal('timer'), name: Type.String() }),
    Type.Object({ type: Type.Literal('temporal'), pattern: TemporalPattern }),
  ],
  {
    $id: 'RuleTrigger',
    description: 'What fires a rule. Fact patterns split on `:`, where `*` matches one segment.',
  },
);

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
  {
    $id: 'RuleCondition',
    description:
      'A test on the triggering event, a fact, the context, a lookup or a baseline. `value` (a literal or `{ref: "event.x"}`) is required unless `operator` is `exists` or `not_exists`.',
  },
);

/** Nested actions (checked by the server, not typed here: the spec has no recursion). */
const NestedList = Type.Array(Type.Unknown(), { minItems: 1 });

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
  {
    $id: 'RuleAction',
    description:
      'What a rule does. Values may be `{ref: "event.x"}`; strings (keys, topics, names) may hold `${event.x}`.',
  },
);

export const RuleLookup = Type.Object(
  {
    name: Type.String(),
    service: Type.String(),
    method: Type.String(),
    args: Type.Optional(Type.Array(Type.Unknown())),
    cache: Type.Optional(Type.Object({ ttl: Duration })),
    onError: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('fail')])),
  },
  {
    $id: 'RuleLookup',
    description:
      'External data a rule loads before its conditions run (services are registered server-side).',
  },
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

export const RuleInput = Type.Object(
  {
    id: NonEmptyString,
    name: NonEmptyString,
    tags: Type.Array(Type.String()),
    trigger: RuleTrigger,
    ...ruleFields,
  },
  {
    $id: 'RuleInput',
    description:
      'A rule to register. `tags` is required because the server half-registers a rule without it; send `enabled`, `conditions` and `actions` too, or the rule never fires or fails when it does.',
  },
);

export const RuleUpdate = Type.Object(
  {
    name: Type.Optional(NonEmptyString),
    tags: Type.Optional(Type.Array(Type.String())),
    trigger: Type.Optional(RuleTrigger),
    ...ruleFields,
  },
  {
    $id: 'RuleUpdate',
    description: 'Fields to change on a rule, shallow-merged into it; its `id` stays.',
  },
);

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
  {
    $id: 'Rule',
    description:
      'A rule exactly as registered (no defaults filled in), with its version and times.',
  },
);

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
  {
    $id: 'RuleSummary',
    description: 'One rule in `getRules`; fields the rule was registered without are left out.',
  },
);
