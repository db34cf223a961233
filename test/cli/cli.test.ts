import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../cli/run.js';
import { operations } from '../../protocol/index.js';
import {
  MockError,
  MockServer,
  NO_REPLY,
  type MockServerOptions,
} from '../../testing/mock-server.js';
import { runCaptured } from './run-captured.js';

const alice = { id: 'a', name: 'Alice', _version: 1, _createdAt: 1, _updatedAt: 1 };
const bob = { id: 'b', name: 'Bob', _version: 1, _createdAt: 2, _updatedAt: 2 };

/** runCli with captured output; `lines()` parses each line of stdout as JSON. */
function cli(argv: string[], io: Partial<CliIo> = {}) {
  const run = runCaptured(argv, io);
  return {
    ...run,
    lines: () =>
      run
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
  };
}

const servers: MockServer[] = [];
async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await MockServer.start(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('noex <url> <operation> [payload]', () => {
  it('prints the result as pretty JSON and exits 0', async () => {
    const server = await start();
    server.handle('store.get', ({ key }) => (key === 'a' ? alice : null));
    const run = cli([server.url, 'store.get', '{"bucket":"users","key":"a"}']);
    expect(await run.done).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual(alice);
    expect(run.stdout()).toContain('\n  "name": "Alice"');
    expect(run.stderr()).toBe('');
    expect(server.requests('store.get')).toMatchObject([{ bucket: 'users', key: 'a' }]);
  });

  it('sends an empty payload when none is given', async () => {
    const server = await start();
    server.handle('store.buckets', () => ({ count: 1, names: ['users'] }));
    const run = cli([server.url, 'store.buckets']);
    expect(await run.done).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual({ count: 1, names: ['users'] });
  });

  it('prints a server error with its code and details to stderr and exits 1', async () => {
    const server = await start();
    server.handle('store.get', () => {
      throw new MockError('NOT_FOUND', 'no such bucket', { bucket: 'users' });
    });
    const run = cli([server.url, 'store.get', '{"bucket":"users","key":"a"}']);
    expect(await run.done).toBe(1);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toContain('error NOT_FOUND: no such bucket\n');
    expect(run.stderr()).toContain('"bucket": "users"');
  });

  it('exits 2 when it cannot connect', async () => {
    const server = await MockServer.start();
    const url = server.url;
    await server.close();
    const run = cli([url, 'store.buckets']);
    expect(await run.done).toBe(2);
    expect(run.stderr()).toMatch(/^error CONNECTION_FAILED: /);
  });

  it('exits 2 when the request times out (--timeout)', async () => {
    const server = await start();
    server.handle('store.buckets', () => NO_REPLY);
    const run = cli([server.url, 'store.buckets', '--timeout', '100']);
    expect(await run.done).toBe(2);
    expect(run.stderr()).toMatch(/^error TIMEOUT: store\.buckets: no answer within 100 ms/);
  });

  it('takes the URL from NOEX_URL when none is given', async () => {
    const server = await start();
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const run = cli(['store.buckets'], { env: { NOEX_URL: server.url } });
    expect(await run.done).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual({ count: 0, names: [] });
  });
});

describe('requests rejected before connecting', () => {
  it('an invalid payload: the validation error names the field; nothing is connected or sent', async () => {
    const server = await start();
    const run = cli([server.url, 'store.insert', '{"bucket":"users","dta":{}}']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toMatch(/^error REQUEST_VALIDATION: store\.insert: invalid request: /);
    expect(run.stderr()).toContain('data: ');
    expect(run.stderr()).toContain('dta');
    expect(server.received).toHaveLength(0);
    expect(server.connections).toHaveLength(0);
  });

  it('a field of the wrong type', async () => {
    const server = await start();
    const run = cli([server.url, 'store.get', '{"bucket":"","key":"a"}']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toMatch(/REQUEST_VALIDATION: store\.get: invalid request: bucket: /);
    expect(server.connections).toHaveLength(0);
  });

  it('a payload that is not JSON', async () => {
    const server = await start();
    const run = cli([server.url, 'store.get', "{bucket:'users'}"]);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toContain('error: payload is not valid JSON');
    expect(run.stderr()).toContain("got: {bucket:'users'}");
    expect(server.connections).toHaveLength(0);
  });

  it('an unknown operation, with near matches', async () => {
    const server = await start();
    const run = cli([server.url, 'store.gett', '{}']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toContain('unknown operation "store.gett"; did you mean: store.get');
    const byMethod = cli([server.url, 'insert']);
    expect(await byMethod.done).toBe(1);
    expect(byMethod.stderr()).toContain('did you mean: store.insert');
    expect(server.connections).toHaveLength(0);
  });

  it('no URL, an unknown flag, --user without --password', async () => {
    const noUrl = cli(['store.buckets']);
    expect(await noUrl.done).toBe(1);
    expect(noUrl.stderr()).toContain('no server URL');
    const flag = cli(['ws://127.0.0.1:1', 'store.buckets', '--bogus']);
    expect(await flag.done).toBe(1);
    expect(flag.stderr()).toContain("Unknown option '--bogus'");
    const user = cli(['ws://127.0.0.1:1', 'store.buckets', '--user', 'alice']);
    expect(await user.done).toBe(1);
    expect(user.stderr()).toContain('--user needs --password');
  });
});

describe('--help', () => {
  it('lists every operation with its doc, grouped by namespace', async () => {
    const run = cli(['--help']);
    expect(await run.done).toBe(0);
    const text = run.stdout();
    const names = Object.keys(operations);
    for (const name of names) {
      const spec = operations[name as keyof typeof operations];
      expect(text).toMatch(
        new RegExp(`\\n {4}${name.replace('.', '\\.')} +${escape(spec.doc)}\\n`),
      );
    }
    const headings = [...text.matchAll(/^ {2}(\w+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...new Set(names.map((name) => name.split('.')[0]))]);
  });

  it('store.insert --help lists its fields and the SDK method', async () => {
    const run = cli(['store.insert', '--help']);
    expect(await run.done).toBe(0);
    const text = run.stdout();
    expect(text).toContain(`store.insert — ${operations['store.insert'].doc}`);
    expect(text).toMatch(/\n {2}bucket +string \(non-empty\), required\n/);
    expect(text).toMatch(/\n {2}data +object \(RecordInput\), required\n/);
    expect(text).toContain('SDK: client.store.bucket(bucket).insert(data)');
  });

  it('shows optional fields, descriptions and unwrapped results', async () => {
    const run = cli(['ws://localhost:8080', 'audit.query', '-h']);
    expect(await run.done).toBe(0);
    expect(run.stdout()).toMatch(/\n {2}result +"success" \| "error", optional\n/);
    expect(run.stdout()).toMatch(
      /\n {2}from +number, optional — Milliseconds since the Unix epoch\n/,
    );
    expect(run.stdout()).toContain(
      "SDK: client.audit.query(filter?)  (resolves the result's `entries`)",
    );
  });

  it('an unknown operation with --help fails with near matches', async () => {
    const run = cli(['store.isnert', '--help']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toContain('did you mean: store.insert');
  });
});

describe('auth', () => {
  const session = { userId: 'u1', roles: ['admin'], expiresAt: null };

  it('logs in with NOEX_TOKEN before anything else', async () => {
    const server = await start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const run = cli([server.url, 'store.buckets'], { env: { NOEX_TOKEN: 'env-token' } });
    expect(await run.done).toBe(0);
    expect(server.received.map(({ frame }) => frame.type)).toEqual(['auth.login', 'store.buckets']);
    expect(server.received[0]!.frame).toMatchObject({ token: 'env-token' });
  });

  it('--token wins over NOEX_TOKEN', async () => {
    const server = await start({ requiresAuth: true });
    server.handle('auth.login', () => session);
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const run = cli([server.url, '--token', 'flag-token', 'store.buckets'], {
      env: { NOEX_TOKEN: 'env-token' },
    });
    expect(await run.done).toBe(0);
    expect(server.requests('auth.login')).toMatchObject([{ token: 'flag-token' }]);
  });

  it('logs in with --user and NOEX_PASSWORD through identity.login', async () => {
    const server = await start({ requiresAuth: true });
    server.handle('identity.login', () => ({
      token: 't',
      expiresAt: 1,
      user: { id: 'u1', username: 'alice', roles: [] },
    }));
    server.handle('store.buckets', () => ({ count: 0, names: [] }));
    const run = cli([server.url, 'store.buckets', '--user', 'alice'], {
      env: { NOEX_PASSWORD: 'password-1' },
    });
    expect(await run.done).toBe(0);
    expect(server.received[0]!.frame).toMatchObject({
      type: 'identity.login',
      username: 'alice',
      password: 'password-1',
    });
  });

  it('a refused login fails the command', async () => {
    const server = await start({ requiresAuth: true });
    server.handle('auth.login', () => {
      throw new MockError('UNAUTHORIZED', 'Invalid token');
    });
    const run = cli([server.url, 'store.buckets', '--token', 'bad']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toContain('error UNAUTHORIZED: Invalid token');
    expect(server.requests('store.buckets')).toHaveLength(0);
  });
});

describe('watch', () => {
  it('prints the initial result and every pushed one as JSON lines until stopped', async () => {
    const server = await start();
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: [alice] }));
    const stop = new AbortController();
    const run = cli([server.url, 'watch', 'all-users', '{"role":"admin"}'], {
      signal: stop.signal,
    });
    await vi.waitFor(() => expect(run.lines()).toEqual([[alice]]));
    expect(server.requests('store.subscribe')).toMatchObject([
      { query: 'all-users', params: { role: 'admin' } },
    ]);
    server.connection.push('sub-1', [alice, bob]);
    await vi.waitFor(() => expect(run.lines()).toEqual([[alice], [alice, bob]]));
    expect(run.stdout().split('\n')[1]).toBe(JSON.stringify([alice, bob]));
    stop.abort();
    expect(await run.done).toBe(0);
    expect(run.stderr()).toBe('');
    await vi.waitFor(() => expect(server.connections[0]!.closed).toBe(true));
  });

  it('exits 2 when the connection drops', async () => {
    const server = await start();
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 1 }));
    const run = cli([server.url, 'watch', 'count']);
    await vi.waitFor(() => expect(run.lines()).toEqual([1]));
    server.connection.close(1001, 'going away');
    expect(await run.done).toBe(2);
    expect(run.stderr()).toContain('error DISCONNECTED: connection closed (1001 going away)');
  });

  it('a refused subscription exits 1 with the server error only', async () => {
    const server = await start();
    server.handle('store.subscribe', () => {
      throw new MockError('QUERY_NOT_FOUND', 'Query "nope" is not defined');
    });
    const run = cli([server.url, 'watch', 'nope']);
    expect(await run.done).toBe(1);
    expect(run.stderr()).toBe('error QUERY_NOT_FOUND: Query "nope" is not defined\n');
    expect(run.stdout()).toBe('');
  });

  it('watch-events prints {topic, event} lines', async () => {
    const server = await start();
    server.handle('rules.subscribe', () => ({ subscriptionId: 'sub-2' }));
    const stop = new AbortController();
    const run = cli([server.url, 'watch-events', 'order.*'], { signal: stop.signal });
    await vi.waitFor(() =>
      expect(server.requests('rules.subscribe')).toMatchObject([{ pattern: 'order.*' }]),
    );
    const event = { id: 'e1', topic: 'order.created', data: { n: 1 }, timestamp: 5, source: 'api' };
    server.connection.push('sub-2', { topic: 'order.created', event }, 'event');
    await vi.waitFor(() => expect(run.lines()).toEqual([{ topic: 'order.created', event }]));
    stop.abort();
    expect(await run.done).toBe(0);
  });

  it('validates the watch arguments before connecting', async () => {
    const server = await start();
    const missing = cli([server.url, 'watch']);
    expect(await missing.done).toBe(1);
    expect(missing.stderr()).toContain('watch needs a query name');
    const empty = cli([server.url, 'watch-events', '']);
    expect(await empty.done).toBe(1);
    expect(empty.stderr()).toMatch(
      /REQUEST_VALIDATION: rules\.subscribe: invalid request: pattern: /,
    );
    expect(server.connections).toHaveLength(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
