import Type from 'typebox';
import { defineOperations } from './define.js';
import { described, NonEmptyString, payload, Secret, Timestamp } from './shapes.js';

const sessionFields = {
  userId: Type.String(),
  roles: Type.Array(Type.String()),
  expiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'null when the session never expires',
  }),
};

export const AuthSession = Type.Object(sessionFields, {
  $id: 'AuthSession',
  description: 'The session a token logged the connection into.',
});

export const AuthWhoami = Type.Union(
  [
    Type.Object({ authenticated: Type.Literal(false) }),
    Type.Object({ authenticated: Type.Literal(true), ...sessionFields }),
  ],
  {
    $id: 'AuthWhoami',
    description:
      "The connection's session, or `{authenticated: false}` when it has none (or it expired).",
  },
);

export const auth = defineOperations({
  'auth.login': {
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'SESSION_REVOKED'],
    session: 'restores',
    autoLogin: 'token',
    request: payload({
      token: Secret(
        described(
          NonEmptyString,
          'A token the server accepts; in built-in identity, a session token',
        ),
      ),
    }),
    result: AuthSession,
    example: `const session = await client.auth.login(process.env.NOEX_TOKEN!);`,
    doc: 'Log the connection in with a token (an identity session token in built-in identity mode); replaces any current session.',
  },
  'auth.logout': {
    session: 'closes',
    request: payload({}),
    result: Type.Object({ loggedOut: Type.Boolean() }),
    kind: 'void',
    doc: 'Log the connection out; the token itself stays valid.',
  },
  'auth.whoami': {
    safeRetry: true,
    request: payload({}),
    result: AuthWhoami,
    doc: 'The connection’s session, or `{authenticated: false}`.',
  },
});
