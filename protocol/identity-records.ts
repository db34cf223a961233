import Type from 'typebox';
import { JsonObject, Secret, Timestamp } from './shapes.js';

/** What built-in identity answers with: sessions, users, roles, ACL entries and owners. */

export const AclResourceType = Type.Union(
  [Type.Literal('bucket'), Type.Literal('topic'), Type.Literal('procedure'), Type.Literal('query')],
  {
    $id: 'AclResourceType',
    description: 'The kind of resource: bucket, topic, procedure or query',
  },
);

export const AclSubjectType = Type.Union([Type.Literal('user'), Type.Literal('role')], {
  $id: 'AclSubjectType',
});

export const AclOperation = Type.Union(
  [Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')],
  { $id: 'AclOperation' },
);

export const RolePermission = Type.Object(
  {
    allow: Type.Union([Type.String(), Type.Array(Type.String())]),
    buckets: Type.Optional(Type.Array(Type.String())),
    topics: Type.Optional(Type.Array(Type.String())),
  },
  {
    $id: 'RolePermission',
    description:
      'Which operations a role allows: op patterns (`*`, `store.*`), optionally limited to buckets or topics.',
  },
);

export const LoginResult = Type.Object(
  {
    token: Secret(Type.String()),
    expiresAt: Timestamp,
    user: Type.Object({
      id: Type.String(),
      username: Type.String(),
      displayName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      roles: Type.Array(Type.String()),
    }),
  },
  { $id: 'LoginResult' },
);

export const SessionInfo = Type.Object(
  {
    authenticated: Type.Literal(true),
    userId: Type.String(),
    roles: Type.Array(Type.String()),
    expiresAt: Type.Union([Timestamp, Type.Null()]),
  },
  {
    $id: 'SessionInfo',
    description:
      '`identity.whoami` passes the auth gate only when logged in, so it never answers `authenticated: false`.',
  },
);

export const UserInfo = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    enabled: Type.Boolean(),
    displayName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    email: Type.Optional(Type.String()),
    metadata: Type.Optional(JsonObject),
    _createdAt: Timestamp,
    _updatedAt: Timestamp,
  },
  { $id: 'UserInfo', description: 'A user as the server shows it: never the password hash.' },
);

export const UserList = Type.Object(
  {
    users: Type.Array(UserInfo),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  },
  { $id: 'UserList' },
);

export const RoleInfo = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    system: Type.Boolean(),
    permissions: Type.Array(RolePermission),
    _createdAt: Timestamp,
    _updatedAt: Timestamp,
  },
  { $id: 'RoleInfo' },
);

export const RoleList = Type.Object({ roles: Type.Array(RoleInfo) });

export const AclEntry = Type.Object(
  {
    subjectType: AclSubjectType,
    subjectId: Type.String(),
    subjectName: Type.String(),
    operations: Type.Array(Type.String()),
    isOwner: Type.Boolean(),
  },
  { $id: 'AclEntry' },
);

export const ResourceAccess = Type.Object(
  {
    resourceType: AclResourceType,
    resourceName: Type.String(),
    operations: Type.Array(Type.String()),
    isOwner: Type.Boolean(),
  },
  { $id: 'ResourceAccess' },
);

export const AccessSummary = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      username: Type.String(),
      roles: Type.Array(Type.String()),
    }),
    resources: Type.Array(ResourceAccess),
  },
  { $id: 'AccessSummary' },
);

export const OwnerInfo = Type.Object(
  {
    userId: Type.String(),
    username: Type.String(),
    resourceType: AclResourceType,
    resourceName: Type.String(),
  },
  { $id: 'OwnerInfo' },
);
