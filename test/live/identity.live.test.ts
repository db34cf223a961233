import { expect, it } from 'vitest';
import { NoexClientError, type UserInfo } from '../../index.js';
import { nextEvent } from '../helpers.js';
import { ADMIN_SECRET, describeLive, framesOf, liveClient, startServer } from './harness.js';
import { identityServer, loggedIn, strict } from './identity-server.js';

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
    const frankOnNotes = {
      subjectType: 'user',
      subjectId: frank.id,
      resourceType: 'bucket',
      resourceName: 'notes',
    } as const;

    await identity.grant({ ...frankOnNotes, operations: ['read'] });
    await identity.grant({ ...frankOnNotes, operations: ['write'] });
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

    await identity.revoke({ ...frankOnNotes, operations: ['write'] });
    expect(
      (await identity.getAcl('bucket', 'notes')).find((e) => e.subjectId === frank.id)?.operations,
    ).toEqual(['read']);
    await expect(asFrank.store.bucket('notes').insert({ text: 'denied' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    await identity.revoke(frankOnNotes);
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
    const reconnected = nextEvent(client, 'reconnected');

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
