import { expect, it } from 'vitest';
import { NoexClientError } from '../../index.js';
import { describeLive, framesOf } from './harness.js';
import { identityServer, loggedIn } from './identity-server.js';

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
