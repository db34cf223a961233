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

export { CloseCode, ServerErrorCode } from './codes.js';
