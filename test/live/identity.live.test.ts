import { expect, it } from 'vitest';
import { NoexClient, NoexClientError, type ClientOptions, type UserInfo } from '../../index.js';
import {
  ADMIN_SECRET,
  describeLive,
  framesOf,
  liveClient,
  startServer,
  type LiveServer,
} from './harness.js';

// liveClient validates results strictly; these tests also turn reconnect off explicitly.
const strict = { reconnect: false } as const satisfies ClientOptions;

interface Live extends AsyncDisposable {
  server: LiveServer;
  /** Logged in as the virtual superadmin with the admin secret. */
  admin: NoexClient;
  /** A further client on the same server, closed with the rest. */
  client(options?: ClientOptions): NoexClient;
}

async function identityServer(): Promise<Live> {
  const server = await startServer('identity');
  const clients: NoexClient[] = [];
  const client = (options: ClientOptions = {}) => {
    const c = liveClient(server.url, { ...strict, ...options });
    clients.push(c);
    return c;
  };
  const admin = client();
  await admin.connect();
  await admin.identity.loginWithSecret(ADMIN_SECRET);
  return {
    server,
    admin,
    client,
    [Symbol.asyncDispose]: async () => {
      await Promise.all(clients.map((c) => c.disconnect()));
      await server.stop();
    },
  };
}

/** A connected client logged in as `username`. */
async function loggedIn(live: Live, username: string, password: string): Promise<NoexClient> {
  const client = live.client();
  await client.connect();
  await client.identity.login(username, password);
  return client;
}

describeLive('live: built-in identity against noex-server 0.1.4', () => {
  it('logs in with the admin secret as the superadmin, and whoami shows that session', async () => {
    await using server = await startServer('identity');
    await using client = liveClient(server.url, strict);
    const welcome = await client.connect();
    expect(welcome.requiresAuth).toBe(true);
    const login = await client.identity.loginWithSecret(ADMIN_SECRET);
    expect(typeof login.token).toBe('string');
    expect(login.expiresAt).toBeGreaterThan(Date.now());
    expect(login.user.roles).toEqual(['superadmin']);
    const me = await client.identity.whoami();
    expect(me).toMatchObject({ authenticated: true, userId: login.user.id, roles: ['superadmin'] });
  });

  it('rejects a wrong admin secret with UNAUTHORIZED and keeps the connection unauthenticated', async () => {
    await using server = await startServer('identity');
    await using client = liveClient(server.url, strict);
    await client.connect();
    await expect(client.identity.loginWithSecret('wrong-secret')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(client.identity.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('creates, gets, updates and lists users', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const alice = await identity.createUser({
      username: 'alice',
      password: 's3cret-pass',
      displayName: 'Alice A.',
    });
    expect(alice).toMatchObject({ username: 'alice', displayName: 'Alice A.', enabled: true });
    expect(alice).not.toHaveProperty('passwordHash');
    await identity.createUser({
      username: 'bob',
      password: 'bob-password',
      email: 'bob@example.com',
    });

    expect(await identity.getUser(alice.id)).toEqual(alice);
    const updated = await identity.updateUser(alice.id, {
      displayName: 'Alice',
      metadata: { team: 'core' },
    });
    expect(updated).toMatchObject({
      id: alice.id,
      displayName: 'Alice',
      metadata: { team: 'core' },
    });

    const all = await identity.listUsers();
    expect(all.total).toBe(2);
    expect(all.users.map((u) => u.username).sort()).toEqual(['alice', 'bob']);
    const page = await identity.listUsers({ page: 2, pageSize: 1 });
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page.users).toHaveLength(1);

    await expect(identity.getUser('no-such-user')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('disables a user so they cannot log in, enables them again, and deletes them', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const carol = await identity.createUser({ username: 'carol', password: 'carol-pass' });

    expect(await identity.disableUser(carol.id)).toMatchObject({ id: carol.id, enabled: false });
    const other = live.client();
    await other.connect();
    await expect(other.identity.login('carol', 'carol-pass')).rejects.toBeInstanceOf(
      NoexClientError,
    );

    expect(await identity.enableUser(carol.id)).toMatchObject({ id: carol.id, enabled: true });
    const login = await other.identity.login('carol', 'carol-pass');
    expect(login.user).toMatchObject({ id: carol.id, username: 'carol' });

    await identity.deleteUser(carol.id);
    await expect(identity.getUser(carol.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await identity.listUsers()).total).toBe(0);
  });

  it('lets a user change their own password on their own connection, and an admin reset it', async () => {
    await using live = await identityServer();
    const dave = await live.admin.identity.createUser({ username: 'dave', password: 'first-pass' });
    const asDave = await loggedIn(live, 'dave', 'first-pass');

    await expect(
      asDave.identity.changePassword(dave.id, 'wrong-pass', 'second-pass'),
    ).rejects.toBeInstanceOf(NoexClientError);
    await asDave.identity.changePassword(dave.id, 'first-pass', 'second-pass');

    const probe = live.client();
    await probe.connect();
    await expect(probe.identity.login('dave', 'first-pass')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await probe.identity.login('dave', 'second-pass');

    await live.admin.identity.resetPassword(dave.id, 'third-pass');
    await expect(probe.identity.login('dave', 'second-pass')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect((await probe.identity.login('dave', 'third-pass')).user.id).toBe(dave.id);

    // Changing someone else's password is not allowed, even with the right current password.
    await expect(
      asDave.identity.changePassword('someone-else', 'third-pass', 'fourth-pass'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('creates, updates and lists roles, assigns and removes them from a user, and deletes them', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const erin = await identity.createUser({ username: 'erin', password: 'erin-pass' });

    const editor = await identity.createRole({
      name: 'editor',
      description: 'Edits notes',
      permissions: [{ allow: ['store.get', 'store.update'], buckets: ['notes'] }],
    });
    expect(editor).toMatchObject({ name: 'editor', system: false, description: 'Edits notes' });

    const updated = await identity.updateRole(editor.id, {
      permissions: [{ allow: 'store.*', buckets: ['notes'] }],
    });
    expect(updated).toMatchObject({
      id: editor.id,
      permissions: [{ allow: 'store.*', buckets: ['notes'] }],
    });

    const roles = await identity.listRoles();
    expect(roles.map((r) => r.name).sort()).toEqual([
      'admin',
      'editor',
      'reader',
      'superadmin',
      'writer',
    ]);
    expect(roles.find((r) => r.name === 'admin')?.system).toBe(true);

    await identity.assignRole(erin.id, 'editor');
    await identity.assignRole(erin.id, 'reader');
    expect((await identity.getUserRoles(erin.id)).map((r) => r.name).sort()).toEqual([
      'editor',
      'reader',
    ]);
    const asErin = await loggedIn(live, 'erin', 'erin-pass');
    expect((await asErin.identity.whoami()).roles.sort()).toEqual(['editor', 'reader']);

    await identity.removeRole(erin.id, 'reader');
    expect((await identity.getUserRoles(erin.id)).map((r) => r.name)).toEqual(['editor']);

    await identity.deleteRole(editor.id);
    expect((await identity.listRoles()).map((r) => r.name)).not.toContain('editor');
    expect(await identity.getUserRoles(erin.id)).toEqual([]);
  });

  it('grants and revokes ACL entries, reads a resource’s ACL, and shows a user their access', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const frank = await identity.createUser({ username: 'frank', password: 'frank-pass' });

    await identity.grant({
      subjectType: 'user',
      subjectId: frank.id,
      resourceType: 'bucket',
      resourceName: 'notes',
      operations: ['read'],
    });
    await identity.grant({
      subjectType: 'user',
      subjectId: frank.id,
      resourceType: 'bucket',
      resourceName: 'notes',
      operations: ['write'],
    });
    const acl = await identity.getAcl('bucket', 'notes');
    const entry = acl.find((e) => e.subjectId === frank.id);
    expect(entry).toMatchObject({ subjectType: 'user', subjectName: 'frank', isOwner: false });
    expect(entry?.operations.sort()).toEqual(['read', 'write']);

    const asFrank = await loggedIn(live, 'frank', 'frank-pass');
    const access = await asFrank.identity.myAccess();
    expect(access.user).toMatchObject({ id: frank.id, username: 'frank' });
    const notes = access.resources.find(
      (r) => r.resourceType === 'bucket' && r.resourceName === 'notes',
    );
    expect(notes?.operations.sort()).toEqual(['read', 'write']);
    // The ACL lets frank use the bucket.
    const inserted = await asFrank.store.bucket('notes').insert({ text: 'hello' });
    expect(inserted).toMatchObject({ text: 'hello' });

    await identity.revoke({
      subjectType: 'user',
      subjectId: frank.id,
      resourceType: 'bucket',
      resourceName: 'notes',
      operations: ['write'],
    });
    expect(
      (await identity.getAcl('bucket', 'notes')).find((e) => e.subjectId === frank.id)?.operations,
    ).toEqual(['read']);
    await expect(asFrank.store.bucket('notes').insert({ text: 'denied' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    await identity.revoke({
      subjectType: 'user',
      subjectId: frank.id,
      resourceType: 'bucket',
      resourceName: 'notes',
    });
    expect(
      (await identity.getAcl('bucket', 'notes')).find((e) => e.subjectId === frank.id),
    ).toBeUndefined();
  });

  it('makes the user who defines a bucket its owner, and transfers ownership to another user', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const gina = await identity.createUser({ username: 'gina', password: 'gina-pass' });
    const hank = await identity.createUser({ username: 'hank', password: 'hank-pass' });
    await identity.assignRole(gina.id, 'admin');
    const asGina = await loggedIn(live, 'gina', 'gina-pass');

    expect(await identity.getOwner('bucket', 'projects')).toBeNull();
    await asGina.store.defineBucket('projects', {
      key: 'id',
      schema: { id: { type: 'string', generated: 'uuid' } },
    });
    expect(await identity.getOwner('bucket', 'projects')).toEqual({
      userId: gina.id,
      username: 'gina',
      resourceType: 'bucket',
      resourceName: 'projects',
    });
    const acl = await identity.getAcl('bucket', 'projects');
    expect(acl[0]).toMatchObject({ subjectId: gina.id, isOwner: true });

    await asGina.identity.transferOwner('bucket', 'projects', hank.id);
    expect(await asGina.identity.getOwner('bucket', 'projects')).toMatchObject({
      userId: hank.id,
      username: 'hank',
    });
    // gina is no longer the owner, so she cannot transfer it back.
    await expect(
      asGina.identity.transferOwner('bucket', 'projects', gina.id),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refreshes the session: a new token, the old one no longer logs in', async () => {
    await using live = await identityServer();
    await live.admin.identity.createUser({ username: 'ivan', password: 'ivan-pass' });
    const asIvan = live.client();
    await asIvan.connect();
    const first = await asIvan.identity.login('ivan', 'ivan-pass');
    const refreshed = await asIvan.identity.refreshSession();
    expect(refreshed.token).not.toBe(first.token);
    expect(refreshed.user).toMatchObject({ id: first.user.id, username: 'ivan' });
    expect((await asIvan.identity.whoami()).userId).toBe(first.user.id);

    const other = live.client();
    await other.connect();
    await expect(other.auth.login(first.token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await other.auth.login(refreshed.token)).toMatchObject({ userId: first.user.id });
  });

  it('logs out: the connection is unauthenticated and the session token is ended', async () => {
    await using live = await identityServer();
    await live.admin.identity.createUser({ username: 'judy', password: 'judy-pass' });
    const asJudy = live.client();
    await asJudy.connect();
    const { token } = await asJudy.identity.login('judy', 'judy-pass');
    await asJudy.identity.logout();
    await expect(asJudy.identity.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(asJudy.store.bucket('notes').all()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(asJudy.auth.login(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('logs in automatically with auth.credentials on connect', async () => {
    await using live = await identityServer();
    const kim = await live.admin.identity.createUser({ username: 'kim', password: 'kim-password' });
    const client = live.client({
      auth: { credentials: { username: 'kim', password: 'kim-password' } },
    });
    await client.connect();
    expect(client.state).toBe('connected');
    expect(await client.identity.whoami()).toMatchObject({ authenticated: true, userId: kim.id });
  });

  it('rejects connect() with UNAUTHORIZED for wrong credentials and leaves the client disconnected', async () => {
    await using live = await identityServer();
    await live.admin.identity.createUser({ username: 'lena', password: 'lena-password' });
    const client = live.client({
      auth: { credentials: { username: 'lena', password: 'not-her-password' } },
      reconnect: true,
    });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.state).toBe('disconnected');
    expect(client.isConnected).toBe(false);
  });

  it('restores a session opened with identity.login after the server restarts on the same store', async () => {
    await using live = await identityServer();
    const mike: UserInfo = await live.admin.identity.createUser({
      username: 'mike',
      password: 'mike-password',
    });
    const client = live.client({ reconnect: { initialDelayMs: 50, jitterMs: 0, maxDelayMs: 200 } });
    await client.connect();
    await client.identity.login('mike', 'mike-password');
    const reconnected = new Promise<void>((resolve) => client.on('reconnected', () => resolve()));

    // Stop only the NoexServer; its store (users, sessions) lives on and a new server takes the port.
    const restarted = await live.server.restart();
    expect(restarted.port).toBe(live.server.port);
    await reconnected;
    expect(client.state).toBe('connected');
    expect(await client.identity.whoami()).toMatchObject({
      authenticated: true,
      userId: mike.id,
    });
    // The session was restored with its token (auth.login), not with a new identity.login.
    const sentTypes = framesOf(client).sent.map((f) => f.type);
    expect(sentTypes.filter((t) => t === 'identity.login')).toHaveLength(1);
    expect(sentTypes).toContain('auth.login');
  });

  it('refuses admin operations to a user without an admin role with FORBIDDEN', async () => {
    await using live = await identityServer();
    await live.admin.identity.createUser({ username: 'nina', password: 'nina-password' });
    const asNina = await loggedIn(live, 'nina', 'nina-password');
    await expect(asNina.identity.listUsers()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(asNina.identity.createRole({ name: 'hacker' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // The refusals leave the session as it was.
    expect(await asNina.identity.whoami()).toMatchObject({ authenticated: true, roles: [] });
  });
});

describeLive('live: identity error paths against noex-server 0.1.4', () => {
  it('fails user operations on an unknown user with NOT_FOUND, and a taken username with ALREADY_EXISTS', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const missing = 'no-such-user';
    const calls: [string, () => Promise<unknown>][] = [
      ['getUser', () => identity.getUser(missing)],
      ['updateUser', () => identity.updateUser(missing, { displayName: 'x' })],
      ['enableUser', () => identity.enableUser(missing)],
      ['disableUser', () => identity.disableUser(missing)],
      ['deleteUser', () => identity.deleteUser(missing)],
      ['resetPassword', () => identity.resetPassword(missing, 'long-enough')],
      ['getUserRoles', () => identity.getUserRoles(missing)],
      ['assignRole', () => identity.assignRole(missing, 'reader')],
    ];
    for (const [name, call] of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(NoexClientError);
      expect(error, name).toMatchObject({ code: 'NOT_FOUND', message: 'User not found' });
    }
    await identity.createUser({ username: 'olga', password: 'olga-password' });
    await expect(
      identity.createUser({ username: 'olga', password: 'other-password' }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS', message: 'User "olga" already exists' });
  });

  it('refuses short passwords before sending (the spec has the server’s 8-character minimum) and the virtual superadmin’s removal with FORBIDDEN', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    await expect(identity.createUser({ username: 'pat', password: 'short' })).rejects.toMatchObject(
      {
        code: 'REQUEST_VALIDATION',
      },
    );
    const pat = await identity.createUser({ username: 'pat', password: 'long-enough' });
    await expect(identity.resetPassword(pat.id, 'short')).rejects.toMatchObject({
      code: 'REQUEST_VALIDATION',
    });
    const sent = framesOf(live.admin).sent;
    expect(sent.filter((f) => f.type === 'identity.createUser')).toHaveLength(1);
    expect(sent.filter((f) => f.type === 'identity.resetPassword')).toHaveLength(0);
    const me = await identity.whoami();
    await expect(identity.disableUser(me.userId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Cannot disable virtual superadmin',
    });
    await expect(identity.deleteUser(me.userId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Cannot delete virtual superadmin',
    });
  });

  it('fails role operations with ALREADY_EXISTS, NOT_FOUND and FORBIDDEN where the server has them', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const quinn = await identity.createUser({ username: 'quinn', password: 'quinn-password' });
    await expect(identity.createRole({ name: 'admin' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(identity.updateRole('no-such-role', { description: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Role not found',
    });
    await expect(identity.deleteRole('no-such-role')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const adminRole = (await identity.listRoles()).find((r) => r.name === 'admin')!;
    await expect(identity.deleteRole(adminRole.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Cannot delete system role',
    });
    await expect(identity.assignRole(quinn.id, 'no-such-role')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Role "no-such-role" not found',
    });
    await identity.assignRole(quinn.id, 'reader');
    await expect(identity.assignRole(quinn.id, 'reader')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'User already has role "reader"',
    });
    await expect(identity.removeRole(quinn.id, 'writer')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'User does not have role "writer"',
    });
  });

  it('fails ACL and ownership operations with NOT_FOUND and FORBIDDEN (a bad ACL operation is refused before sending)', async () => {
    await using live = await identityServer();
    const { identity } = live.admin;
    const rita = await identity.createUser({ username: 'rita', password: 'rita-password' });
    const grant = {
      subjectType: 'user',
      subjectId: rita.id,
      resourceType: 'bucket',
      resourceName: 'notes',
    } as const;
    await expect(
      identity.grant({ ...grant, operations: ['delete' as 'read'] }),
    ).rejects.toMatchObject({ code: 'REQUEST_VALIDATION', operation: 'identity.grant' });
    await expect(
      identity.grant({ ...grant, subjectId: 'nobody', operations: ['read'] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Subject user not found' });
    await expect(identity.revoke(grant)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'ACL entry not found',
    });
    // A user with no rights on the bucket cannot manage its ACL.
    const asRita = await loggedIn(live, 'rita', 'rita-password');
    await expect(asRita.identity.grant({ ...grant, operations: ['read'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Must be the resource owner, admin, or have admin ACL to manage permissions',
    });
    expect(await asRita.identity.getAcl('bucket', 'notes')).toEqual([]);
    expect(await asRita.identity.myAccess()).toEqual({
      user: { id: rita.id, username: 'rita', roles: [] },
      resources: [],
    });
    // notes was defined by the server, not over the wire: it has no owner.
    expect(await identity.getOwner('bucket', 'notes')).toBeNull();
    await expect(identity.transferOwner('bucket', 'notes', rita.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Resource has no owner',
    });
  });

  it('refuses store access to the system buckets with FORBIDDEN, even to the superadmin', async () => {
    await using live = await identityServer();
    await expect(live.admin.store.bucket('_users').all()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Cannot access system bucket "_users" directly',
    });
    expect((await live.admin.store.buckets()).names).toEqual(['notes']);
  });

  it('fails refreshSession with UNAUTHORIZED on a connection that logged in with auth.login', async () => {
    await using live = await identityServer();
    const { token } = await live.admin.identity.refreshSession();
    const other = live.client();
    await other.connect();
    await expect(other.identity.refreshSession()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await other.auth.login(token);
    await expect(other.identity.refreshSession()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'No active session to refresh',
    });
    expect(await other.auth.whoami()).toMatchObject({ authenticated: true, roles: ['superadmin'] });
  });

  it('locks login out with RATE_LIMITED after 5 failed attempts for a user', async () => {
    await using live = await identityServer();
    await live.admin.identity.createUser({ username: 'sam', password: 'sam-password' });
    const client = live.client();
    await client.connect();
    for (let i = 0; i < 5; i++) {
      await expect(client.identity.login('sam', `wrong-${i}`)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'Invalid credentials',
      });
    }
    const error = await client.identity.login('sam', 'sam-password').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many failed login attempts. Try again later.',
      details: { retryAfterMs: expect.any(Number) },
    });
  });
});
