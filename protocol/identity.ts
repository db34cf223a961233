import Type, { type TSchema } from 'typebox';
import { defineOperations } from './define.js';
import {
  described,
  JsonObject,
  NonEmptyString,
  payload,
  PositiveInteger,
  Secret,
} from './shapes.js';
import {
  AccessSummary,
  AclEntry,
  AclOperation,
  AclResourceType,
  AclSubjectType,
  LoginResult,
  OwnerInfo,
  RoleInfo,
  RoleList,
  RolePermission,
  SessionInfo,
  UserInfo,
  UserList,
} from './identity-records.js';

/**
 * Built-in identity (`auth.builtIn` on the server): users, roles, ACL entries and
 * resource owners. Every operation but the two logins needs an authenticated
 * connection; who may call what is checked by the server and noted per operation.
 */

const userId = described(NonEmptyString, 'The user’s id');
const roleId = described(NonEmptyString, 'The role’s id (not its name)');
const roleName = described(NonEmptyString, 'The role’s name');
const resourceName = described(NonEmptyString, 'The resource’s name');
/** The server's own limits for these, hard-coded in its identity manager. */
const Username = Type.String({ minLength: 3, maxLength: 64 });
const Password = Secret(Type.String({ minLength: 8, description: 'At least 8 characters' }));

// Requests that are one object parameter as a whole get a name; they are closed like `payload()`.

export const CreateUserInput = Type.Object(
  {
    username: Username,
    password: Password,
    displayName: Type.Optional(Type.String()),
    email: Type.Optional(Type.String({ description: 'Must be a valid email address' })),
    enabled: Type.Optional(Type.Boolean()),
    metadata: Type.Optional(JsonObject),
  },
  { $id: 'CreateUserInput', additionalProperties: false },
);

export const ListUsersOptions = Type.Object(
  {
    page: Type.Optional(PositiveInteger),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, description: 'At most 200; the server clamps larger values' }),
    ),
  },
  { $id: 'ListUsersOptions', additionalProperties: false },
);

export const CreateRoleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.Optional(Type.String()),
    permissions: Type.Optional(Type.Array(RolePermission)),
  },
  { $id: 'CreateRoleInput', additionalProperties: false },
);

const aclTarget = {
  subjectType: AclSubjectType,
  subjectId: Type.String({ minLength: 1, description: 'A user id, or a role id (not its name)' }),
  resourceType: AclResourceType,
  resourceName,
};

export const GrantInput = Type.Object(
  { ...aclTarget, operations: Type.Array(AclOperation, { minItems: 1 }) },
  { $id: 'GrantInput', additionalProperties: false },
);

export const RevokeInput = Type.Object(
  {
    ...aclTarget,
    operations: Type.Optional(
      Type.Array(AclOperation, { description: 'Absent or empty removes the whole entry' }),
    ),
  },
  { $id: 'RevokeInput', additionalProperties: false },
);

/** An operation that takes only a user id. */
const ByUserId = <R extends TSchema>(result: R) => ({ request: payload({ userId }), result });

export const identity = defineOperations({
  'identity.login': {
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'RATE_LIMITED'],
    session: 'opens',
    autoLogin: 'credentials',
    request: payload({
      username: described(NonEmptyString, 'The user’s name'),
      password: Secret(described(NonEmptyString, 'The user’s password')),
    }),
    result: LoginResult,
    example: `const { token, user } = await client.identity.login('alice', 'correct horse battery');`,
    doc: 'Log in with a username and password; resolves the session token, its expiry and the user with their roles.',
  },
  'identity.loginWithSecret': {
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'RATE_LIMITED'],
    session: 'opens',
    request: payload({ secret: Secret(described(NonEmptyString, 'The server’s admin secret')) }),
    result: LoginResult,
    doc: 'Log in as the virtual superadmin with the server’s admin secret (bootstrap before any user exists).',
  },
  'identity.logout': {
    session: 'closes',
    request: payload({}),
    result: Type.Object({ loggedOut: Type.Boolean() }),
    kind: 'void',
    doc: 'Log out this connection and end the session token it logged in with.',
  },
  'identity.whoami': {
    errors: ['UNAUTHORIZED'],
    safeRetry: true,
    request: payload({}),
    result: SessionInfo,
    doc: 'The logged-in user’s id, roles and session expiry; fails with UNAUTHORIZED when not logged in.',
  },
  'identity.refreshSession': {
    errors: ['UNAUTHORIZED'],
    session: 'opens',
    request: payload({}),
    result: LoginResult,
    doc: 'Replace this connection’s session token with a new one; the old token stops working.',
  },
  'identity.createUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'ALREADY_EXISTS', 'INTERNAL_ERROR'],
    request: CreateUserInput,
    result: UserInfo,
    params: ['...input'],
    doc: 'Create a user (admin); username 3–64 characters, password at least 8.',
  },
  'identity.getUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    safeRetry: true,
    ...ByUserId(UserInfo),
    doc: 'A user by id (admin).',
  },
  'identity.updateUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'INTERNAL_ERROR'],
    request: payload({
      userId,
      displayName: Type.Optional(
        Type.Union([Type.String(), Type.Null()], { description: 'null clears it' }),
      ),
      email: Type.Optional(
        Type.String({ description: 'Must be a valid email address; it cannot be cleared' }),
      ),
      metadata: Type.Optional(
        Type.Union([JsonObject, Type.Null()], {
          description: 'Replaces the whole object; null empties it',
        }),
      ),
    }),
    result: UserInfo,
    params: ['userId', '...updates'],
    doc: 'Change a user’s display name, email or metadata (the user themself or an admin); resolves the updated user.',
  },
  'identity.deleteUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    ...ByUserId(Type.Object({ deleted: Type.Boolean() })),
    kind: 'void',
    doc: 'Delete a user with their sessions, role assignments, ACL entries and ownerships (admin).',
  },
  'identity.listUsers': {
    errors: ['FORBIDDEN'],
    safeRetry: true,
    request: ListUsersOptions,
    result: UserList,
    params: ['...options'],
    doc: 'One page of users (admin); pages count from 1, 50 users a page unless `pageSize` says otherwise.',
  },
  'identity.enableUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    ...ByUserId(UserInfo),
    doc: 'Let a disabled user log in again (admin); resolves the user.',
  },
  'identity.disableUser': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    ...ByUserId(UserInfo),
    doc: 'Stop a user from logging in and end their sessions (admin); connections already open stay logged in.',
  },
  'identity.changePassword': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'UNAUTHORIZED'],
    request: payload({
      userId,
      currentPassword: Secret(described(NonEmptyString, 'Your current password')),
      newPassword: Password,
    }),
    result: Type.Object({ changed: Type.Boolean() }),
    kind: 'void',
    doc: 'Change your own password; ends all your sessions, so a later refreshSession fails until you log in again.',
  },
  'identity.resetPassword': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: payload({ userId, newPassword: Password }),
    result: Type.Object({ reset: Type.Boolean() }),
    kind: 'void',
    doc: 'Set another user’s password (admin); ends all their sessions.',
  },
  'identity.createRole': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'ALREADY_EXISTS'],
    request: CreateRoleInput,
    result: RoleInfo,
    params: ['...input'],
    doc: 'Create a custom role with its permissions (superadmin).',
  },
  'identity.updateRole': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: payload({
      roleId,
      description: Type.Optional(Type.String()),
      permissions: Type.Optional(Type.Array(RolePermission)),
    }),
    result: RoleInfo,
    params: ['roleId', '...updates'],
    doc: 'Change a role’s description or permissions by role id, system roles included (superadmin).',
  },
  'identity.deleteRole': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: payload({ roleId }),
    result: Type.Object({ deleted: Type.Boolean() }),
    kind: 'void',
    doc: 'Delete a custom role by id and its assignments (superadmin); system roles cannot be deleted.',
  },
  'identity.listRoles': {
    errors: ['FORBIDDEN'],
    safeRetry: true,
    request: payload({}),
    result: RoleList,
    unwrap: 'roles',
    doc: 'Every role, system roles included (admin).',
  },
  'identity.assignRole': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS'],
    request: payload({ userId, roleName }),
    result: Type.Object({ assigned: Type.Boolean() }),
    kind: 'void',
    doc: 'Give a user a role, by role name (admin).',
  },
  'identity.removeRole': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: payload({ userId, roleName }),
    result: Type.Object({ removed: Type.Boolean() }),
    kind: 'void',
    doc: 'Take a role, by name, away from a user (admin).',
  },
  'identity.getUserRoles': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    safeRetry: true,
    ...ByUserId(RoleList),
    unwrap: 'roles',
    doc: 'The roles assigned to a user (admin).',
  },
  'identity.grant': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'INTERNAL_ERROR'],
    request: GrantInput,
    result: Type.Object({ granted: Type.Boolean() }),
    params: ['...input'],
    kind: 'void',
    doc: 'Allow a user or role read/write/admin on a bucket or topic, merged into any existing entry (admin, owner, or admin ACL).',
  },
  'identity.revoke': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: RevokeInput,
    result: Type.Object({ revoked: Type.Boolean() }),
    params: ['...input'],
    kind: 'void',
    doc: 'Remove operations from an ACL entry, or the whole entry when none are given (admin, owner, or admin ACL).',
  },
  'identity.getAcl': {
    errors: ['VALIDATION_ERROR', 'INTERNAL_ERROR'],
    safeRetry: true,
    request: payload({ resourceType: AclResourceType, resourceName }),
    result: Type.Object({ entries: Type.Array(AclEntry) }),
    unwrap: 'entries',
    doc: 'The ACL entries of a resource; its owner is marked `isOwner`, listed first with no operations when it has no entry.',
  },
  'identity.myAccess': {
    safeRetry: true,
    request: payload({}),
    result: AccessSummary,
    doc: 'Your roles and the resources you have ACL entries for or own (role permissions are not listed).',
  },
  'identity.getOwner': {
    errors: ['VALIDATION_ERROR'],
    safeRetry: true,
    request: payload({ resourceType: AclResourceType, resourceName }),
    result: Type.Object({ owner: Type.Union([OwnerInfo, Type.Null()]) }),
    unwrap: 'owner',
    doc: 'Who owns a resource (the user who defined the bucket or query); `owner` is null when nobody does.',
  },
  'identity.transferOwner': {
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND'],
    request: payload({
      resourceType: AclResourceType,
      resourceName,
      newOwnerId: described(NonEmptyString, 'The id of the user who becomes the owner'),
    }),
    result: Type.Object({ transferred: Type.Boolean() }),
    kind: 'void',
    doc: 'Hand a resource to another user (its current owner or superadmin only).',
  },
});
