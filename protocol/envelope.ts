import Type from 'typebox';

/** The frames of the noex-server wire protocol, and its error and close codes. */

export const ClientRequestFrame = Type.Object(
  { id: Type.Number(), type: Type.String({ minLength: 1 }) },
  { $id: 'ClientRequestFrame', additionalProperties: true },
);

export const PongFrame = Type.Object(
  { type: Type.Literal('pong'), timestamp: Type.Number() },
  { $id: 'PongFrame' },
);

export const WelcomeFrame = Type.Object(
  {
    type: Type.Literal('welcome'),
    version: Type.String(),
    serverTime: Type.Number(),
    requiresAuth: Type.Boolean(),
  },
  { $id: 'WelcomeFrame' },
);

export const ResultFrame = Type.Object(
  { id: Type.Number(), type: Type.Literal('result'), data: Type.Unknown() },
  { $id: 'ResultFrame' },
);

export const ErrorFrame = Type.Object(
  {
    id: Type.Number(),
    type: Type.Literal('error'),
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorFrame' },
);

export const PushFrame = Type.Object(
  {
    type: Type.Literal('push'),
    channel: Type.Union([Type.Literal('subscription'), Type.Literal('event')]),
    subscriptionId: Type.String(),
    data: Type.Unknown(),
  },
  { $id: 'PushFrame' },
);

export const PingFrame = Type.Object(
  { type: Type.Literal('ping'), timestamp: Type.Number() },
  { $id: 'PingFrame' },
);

export const SystemFrame = Type.Union(
  [
    Type.Object({
      type: Type.Literal('system'),
      event: Type.Literal('shutdown'),
      gracePeriodMs: Type.Number(),
    }),
    Type.Object({
      type: Type.Literal('system'),
      event: Type.Literal('session_revoked'),
      reason: Type.String(),
    }),
  ],
  { $id: 'SystemFrame' },
);

export const ServerFrame = Type.Union([
  WelcomeFrame,
  ResultFrame,
  ErrorFrame,
  PushFrame,
  PingFrame,
  SystemFrame,
]);

/** Error codes the server sends in `error` frames. */
export const ServerErrorCode = {
  PARSE_ERROR: 'PARSE_ERROR',
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNKNOWN_OPERATION: 'UNKNOWN_OPERATION',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  BACKPRESSURE: 'BACKPRESSURE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  BUCKET_NOT_DEFINED: 'BUCKET_NOT_DEFINED',
  QUERY_NOT_DEFINED: 'QUERY_NOT_DEFINED',
  RULES_NOT_AVAILABLE: 'RULES_NOT_AVAILABLE',
  SESSION_REVOKED: 'SESSION_REVOKED',
} as const;
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** WebSocket close codes the server uses. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  MESSAGE_TOO_BIG: 1009,
  HEARTBEAT_TIMEOUT: 4001,
  SESSION_REVOKED: 4002,
  TOO_MANY_CONNECTIONS: 4003,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
