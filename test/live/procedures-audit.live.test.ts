import { expect, it } from 'vitest';
import { NoexClientError, type ProcedureConfig } from '../../index.js';
import { connectedToLive, describeLive, liveClient } from './harness.js';

const open = () => connectedToLive('open');

const createUser: ProcedureConfig = {
  name: 'create-user',
  description: 'Inserts a user and returns it',
  input: { name: { type: 'string' }, role: { type: 'string', required: false, default: 'member' } },
  steps: [
    {
      action: 'store.insert',
      bucket: 'users',
      data: { name: '{{ input.name }}', role: '{{ input.role }}' },
      as: 'user',
    },
    { action: 'store.count', bucket: 'users', as: 'total' },
    { action: 'return', value: { user: '{{ user }}', total: '{{ total }}' } },
  ],
};

describeLive('live: procedures against noex-server 0.1.4', () => {
  it('registers a procedure and reads it back with get and list', async () => {
    await using live = await open();
    const { procedures } = live.client;
    expect(await procedures.register(createUser)).toEqual({
      name: 'create-user',
      registered: true,
    });
    const stored = await procedures.get('create-user');
    expect(stored).toMatchObject({
      name: 'create-user',
      description: 'Inserts a user and returns it',
      input: createUser.input,
    });
    expect(stored.steps).toEqual(createUser.steps);
    expect(await procedures.list()).toEqual({
      procedures: [
        { name: 'create-user', description: 'Inserts a user and returns it', stepsCount: 3 },
      ],
    });
  });

  it('calls a procedure with input: its steps run and it resolves the returned value and the named step results', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register(createUser);
    const called = await procedures.call('create-user', { name: 'Alice' });
    expect(called.success).toBe(true);
    expect(called.result).toMatchObject({
      user: { name: 'Alice', role: 'member', _version: 1 },
      total: 1,
    });
    expect(called.results).toMatchObject({ user: { name: 'Alice' }, total: 1 });
    const users = await live.client.store.bucket<{ name: string; role: string }>('users').all();
    expect(users.map((u) => [u.name, u.role])).toEqual([['Alice', 'member']]);
  });

  it('fails a call missing a required input with VALIDATION_ERROR and runs no step', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register(createUser);
    const error = await procedures.call('create-user', { role: 'admin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((error as Error).message).toContain('name');
    await expect(procedures.call('create-user', { name: 42 })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    expect(await live.client.store.bucket('users').count()).toBe(0);
  });

  it('updates a procedure by merging changes, and the next call runs the new steps', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register(createUser);
    const updated = await procedures.update('create-user', {
      description: 'Counts users only',
      steps: [
        { action: 'store.count', bucket: 'users', as: 'total' },
        { action: 'return', value: '{{ total }}' },
      ],
    });
    expect(updated).toEqual({ name: 'create-user', updated: true });
    const stored = await procedures.get('create-user');
    expect(stored).toMatchObject({
      name: 'create-user',
      description: 'Counts users only',
      input: createUser.input,
    });
    expect(stored.steps).toHaveLength(2);
    expect((await procedures.call('create-user', { name: 'ignored' })).result).toBe(0);
  });

  it('refuses an invalid procedure definition with VALIDATION_ERROR listing its issues', async () => {
    await using live = await open();
    const { procedures } = live.client;
    const error = await procedures
      .register({
        name: 'broken',
        steps: [{ action: 'aggregate', source: 'nothing', op: 'sum', as: 'total' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [expect.stringContaining('field')] },
    });
    expect(await procedures.list()).toEqual({ procedures: [] });
  });

  it('unregisters a procedure, after which get and call fail with NOT_FOUND', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register(createUser);
    expect(await procedures.unregister('create-user')).toEqual({
      name: 'create-user',
      unregistered: true,
    });
    expect(await procedures.list()).toEqual({ procedures: [] });
    await expect(procedures.get('create-user')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(procedures.call('create-user', { name: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describeLive('live: procedure error paths against noex-server 0.1.4', () => {
  it('fails register of a taken name with ALREADY_EXISTS, and update and unregister of an unknown one with NOT_FOUND', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register(createUser);
    await expect(procedures.register(createUser)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: 'Procedure "create-user" already exists',
    });
    await expect(
      procedures.update('no-such-procedure', { description: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Procedure "no-such-procedure" not found',
    });
    await expect(procedures.unregister('no-such-procedure')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('fails a call whose step hits an unknown bucket with INTERNAL_ERROR and the raw message', async () => {
    await using live = await open();
    const { procedures } = live.client;
    await procedures.register({
      name: 'count-ghosts',
      steps: [
        { action: 'store.count', bucket: 'ghost', as: 'n' },
        { action: 'return', value: '{{ n }}' },
      ],
    });
    await expect(procedures.call('count-ghosts')).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      message: 'Bucket "ghost" is not defined',
    });
  });
});

describeLive('live: audit and server info against noex-server 0.1.4', () => {
  it('queries the audit log newest first, filtered by operation, result and limit', async () => {
    await using live = await open();
    const users = live.client.store.bucket<{ name: string }>('users');
    const start = Date.now();
    await users.insert({ name: 'A' });
    await users.insert({ name: 'B' });
    await live.client.store.defineBucket('projects', {
      key: 'id',
      schema: { id: { type: 'string', generated: 'uuid' } },
    });
    await expect(users.insert({} as { name: string })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });

    const all = await live.client.audit.query();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const times = all.map((e) => e.timestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const inserts = await live.client.audit.query({ operation: 'store.insert' });
    expect(inserts.map((e) => e.result)).toEqual(['error', 'success', 'success']);
    expect(inserts[0]).toMatchObject({
      operation: 'store.insert',
      resource: 'users',
      result: 'error',
      userId: null,
    });
    expect(inserts[0]!.error).toBeTruthy();
    expect(inserts[0]!.timestamp).toBeGreaterThanOrEqual(start);

    const failures = await live.client.audit.query({ result: 'error' });
    expect(failures.length).toBeGreaterThanOrEqual(1);
    for (const entry of failures) expect(entry.result).toBe('error');

    const successes = await live.client.audit.query({
      operation: 'store.insert',
      result: 'success',
      limit: 1,
    });
    expect(successes).toHaveLength(1);
    expect(successes[0]!.timestamp).toBe(inserts[1]!.timestamp);

    const defined = await live.client.audit.query({ operation: 'store.defineBucket' });
    expect(defined).toEqual([expect.objectContaining({ resource: 'projects', result: 'success' })]);

    const inWindow = await live.client.audit.query({
      from: start,
      to: Date.now(),
      operation: 'store.insert',
    });
    expect(inWindow).toHaveLength(3);
    expect(await live.client.audit.query({ to: start - 1 })).toEqual([]);
  });

  it('reports server stats: connections, subscriptions, store and rule engine', async () => {
    await using live = await open();
    await using other = liveClient(live.server.url);
    await other.connect();
    const unsubscribe = await other.store.subscribe('all-users', () => {});
    const stats = await live.client.server.stats();
    expect(stats).toMatchObject({
      connectionCount: 2,
      authEnabled: false,
      rateLimitEnabled: false,
      rulesEnabled: true,
      connections: {
        active: 2,
        authenticated: 0,
        totalStoreSubscriptions: 1,
        totalRulesSubscriptions: 0,
      },
    });
    expect(stats.name).toContain('live-open');
    expect(stats.rules?.rulesCount).toBe(1);
    unsubscribe();
  });

  it('lists every open connection with its user and subscription counts', async () => {
    await using live = await open();
    await using other = liveClient(live.server.url);
    await other.connect();
    await other.rules.subscribe('order.*', () => {});
    const connections = await live.client.server.connections();
    expect(connections).toHaveLength(2);
    for (const connection of connections) {
      expect(connection).toMatchObject({
        authenticated: false,
        userId: null,
        roles: [],
        storeSubscriptionCount: 0,
      });
      expect(connection.connectionId).toMatch(/^conn-/);
      expect(connection.remoteAddress).toContain('127.0.0.1');
    }
    expect(connections.map((c) => c.rulesSubscriptionCount).sort()).toEqual([0, 1]);
  });
});
