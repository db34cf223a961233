import Type from 'typebox';
import { defineOperations } from './define.js';
import { JsonObject, payload, PositiveInteger, Timestamp } from './shapes.js';

const AuditResult = Type.Union([Type.Literal('success'), Type.Literal('error')]);

export const AuditEntry = Type.Object(
  {
    timestamp: Timestamp,
    userId: Type.Union([Type.String(), Type.Null()], {
      description: 'The session user after the request',
    }),
    sessionId: Type.Union([Type.String(), Type.Null()], {
      description: 'The connection id, `conn-N`',
    }),
    operation: Type.String(),
    resource: Type.String({
      description: 'The bucket, name, rule, topic, key or pattern; `*` when none',
    }),
    result: AuditResult,
    error: Type.Optional(Type.String()),
    details: Type.Optional(JsonObject),
    remoteAddress: Type.String(),
  },
  { $id: 'AuditEntry', description: 'One audited request.' },
);

export const audit = defineOperations({
  'audit.query': {
    errors: ['VALIDATION_ERROR', 'UNKNOWN_OPERATION'],
    safeRetry: true,
    request: payload({
      userId: Type.Optional(Type.String()),
      operation: Type.Optional(Type.String()),
      result: Type.Optional(AuditResult),
      from: Type.Optional(Timestamp),
      to: Type.Optional(Timestamp),
      limit: Type.Optional(PositiveInteger),
    }),
    result: Type.Object({ entries: Type.Array(AuditEntry) }),
    unwrap: 'entries',
    params: ['...filter'],
    doc: 'Audit entries, newest first, filtered by user, exact operation, result and an inclusive time range.',
  },
});
