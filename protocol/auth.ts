import Type from 'typebox';
import { defineOperations } from './define.js';
import { NonEmptyString, payload, Secret, Timestamp } from './shapes.js';

const sessionFields = {
  userId: Type.String(),
  roles: Type.Array(Type.String()),
  expiresAt: Type.Union([Timestamp, Type.Null()], {
    description: 'null when the session never expires',
  }),
};

/** The session a token logged the connection into. */
export const AuthSession = Type.Object(sessionFields, { $id: 'AuthSession' });

/** The connection's session, or `{authenticated: false}` when it has none (or it expired). */
export const AuthWhoami = Type.Union(
  [
    Type.Object({ authenticated: Type.Literal(false) }),
    Type.Object({ authenticated: Type.Literal(true), ...sessionFields }),
  ],
  { $id: 'AuthWhoami' },
);

export const auth = defineOperations({
  'auth.login': {
    session: 'restores',
    autoLogin: 'token',
    request: payload({ token: Secret(NonEmptyString) }),
    result: AuthSession,
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
