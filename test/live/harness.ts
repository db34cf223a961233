import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { NoexClient, type ClientOptions, type WebSocketConstructor } from '../../index.js';
import { operationNames } from '../../generated/types.js';

/**
 * Starts real noex-server instances in-process for the live suite. The server
 * and its packages are imported only when they resolve; without them the
 * suite is skipped (and fails under `npm run test:live`, which requires them).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Module = any;

interface ServerPackages {
  NoexServer: Module;
  Store: Module;
  RuleEngine: Module;
}

export const INSTALL_HINT =
  'install @hamicek/noex-server 0.1.4 with @hamicek/noex-store 0.2.0, @hamicek/noex-rules 0.2.0 and @hamicek/noex 0.1.1 (npm install --no-save --legacy-peer-deps ...)';

async function load(): Promise<ServerPackages | string> {
  try {
    const [{ NoexServer }, { Store }, { RuleEngine }] = await Promise.all([
      import('@hamicek/noex-server' as string),
      import('@hamicek/noex-store' as string),
      import('@hamicek/noex-rules' as string),
    ]);
    return { NoexServer, Store, RuleEngine };
  } catch (error) {
    return (error as Error).message;
  }
}

const loaded = await load();
export const packages = typeof loaded === 'string' ? undefined : loaded;
const required = process.env.NOEX_LIVE === 'required';
if (!packages && !required)
  console.info(`live tests skipped: noex-server is not installed; to run them, ${INSTALL_HINT}`);

/**
 * `describe` for live tests: skipped, saying why, when the server is not installed.
 * After each test it disconnects the test's clients and stops its servers (whatever
 * the test left running); after the file it writes the recorded operation coverage.
 */
export function describeLive(name: string, body: () => void): void {
  if (packages) {
    describe(name, () => {
      afterEach(cleanUpTest);
      afterAll(writeCoverage);
      body();
    });
    return;
  }
  if (required) {
    describe(name, () => {
      it('needs the real noex-server', () => {
        throw new Error(`live tests need the real server: ${INSTALL_HINT} (${String(loaded)})`);
      });
    });
    return;
  }
  describe.skip(`${name} — skipped: noex-server is not installed; to run: ${INSTALL_HINT}`, body);
}

/**
 * - `open`: no auth; buckets `users`, `orders`; queries; rule engine; audit (all tiers).
 * - `identity`: built-in identity with {@link ADMIN_SECRET}; bucket `notes`; audit.
 * - `tokens`: token sessions ({@link TOKENS}) with role permissions; bucket `items`; audit.
 * - `limits`: optional token auth, rate limit 5 per 60 s, 1 subscription per connection,
 *   a 200 ms heartbeat ({@link LIMITS}); no rule engine, no audit, no identity.
 */
export type Scenario = 'open' | 'identity' | 'tokens' | 'limits';

/** The `limits` scenario's numbers. */
export const LIMITS = {
  maxRequests: 5,
  windowMs: 60_000,
  maxSubscriptionsPerConnection: 1,
  heartbeatIntervalMs: 200,
} as const;

export interface LiveServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly server: Module;
  readonly store: Module;
  readonly scenario: Scenario;
  /** Stops this server, its rule engine and its store (and every server restarted from it). */
  stop(options?: { gracePeriodMs?: number }): Promise<void>;
  /**
   * Stops only the NoexServer and starts a new one on the same port with the same
   * configuration, store and rule engine (users, sessions, records and rules survive;
   * connections and subscriptions do not). Stopping either object stops both.
   */
  restart(options?: { gracePeriodMs?: number }): Promise<LiveServer>;
}

export const ADMIN_SECRET = 'admin-secret-123';

/** Token sessions for the `tokens` scenario: token → session. */
export const TOKENS: Record<string, { userId: string; roles: string[]; expiresAt?: number }> = {
  'admin-token': { userId: 'admin-1', roles: ['admin'] },
  'writer-token': { userId: 'writer-1', roles: ['writer'] },
  'reader-token': { userId: 'reader-1', roles: ['reader'] },
  'expired-token': { userId: 'old-1', roles: ['admin'], expiresAt: 1000 },
};

let instance = 0;

const uuidKeyed = (schema: Record<string, unknown>) => ({
  key: 'id',
  schema: { id: { type: 'string', generated: 'uuid' }, ...schema },
});

function withoutRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'ref' && key !== 'onDelete')
      .map(([k, v]) => [k, withoutRefs(v)]),
  );
}

/**
 * noex-store 0.2.0 enforces `ref`, and the server's virtual superadmin has no
 * `_users` record, so built-in identity fails on login as shipped. The server
 * defines its system buckets through the store it is given; defining them
 * without `ref` makes identity work as in the recorded frames.
 */
function relaxSystemBucketRefs(store: Module): void {
  const defineBucket = store.defineBucket.bind(store);
  store.defineBucket = (name: string, definition: unknown) =>
    defineBucket(name, name.startsWith('_') ? withoutRefs(definition) : definition);
}

async function setup(
  scenario: Scenario,
  store: Module,
  rules: Module,
): Promise<Record<string, unknown>> {
  if (scenario === 'open') {
    await store.defineBucket(
      'users',
      uuidKeyed({
        name: { type: 'string', required: true },
        role: { type: 'string', default: 'user' },
        age: { type: 'number' },
      }),
    );
    await store.defineBucket(
      'orders',
      uuidKeyed({ status: { type: 'string' }, total: { type: 'number' } }),
    );
    store.defineQuery('all-users', async (ctx: Module) => ctx.bucket('users').all());
    store.defineQuery('users-by-role', async (ctx: Module, params: Module) =>
      ctx.bucket('users').where({ role: params?.role }),
    );
    store.defineQuery('user-count', async (ctx: Module) => ctx.bucket('users').count());
    rules.registerRule({
      id: 'confirm-order',
      name: 'Confirm order',
      priority: 100,
      enabled: true,
      tags: [],
      trigger: { type: 'event', topic: 'order.created' },
      conditions: [],
      actions: [
        {
          type: 'emit_event',
          topic: 'order.confirmed',
          data: { orderId: { ref: 'event.orderId' } },
        },
      ],
    });
    return { audit: { tiers: ['admin', 'write', 'read'] } };
  }
  if (scenario === 'identity') {
    relaxSystemBucketRefs(store);
    await store.defineBucket('notes', uuidKeyed({ text: { type: 'string', required: true } }));
    store.defineQuery('all-notes', async (ctx: Module) => ctx.bucket('notes').all());
    return { auth: { builtIn: true, adminSecret: ADMIN_SECRET }, audit: {} };
  }
  await store.defineBucket('items', uuidKeyed({ title: { type: 'string' } }));
  store.defineQuery('all-items', async (ctx: Module) => ctx.bucket('items').all());
  const validate = async (token: string) => (TOKENS[token] ? { ...TOKENS[token] } : null);
  if (scenario === 'tokens') {
    return {
      auth: {
        validate,
        permissions: {
          default: 'deny',
          rules: [
            { role: 'admin', allow: '*' },
            { role: 'writer', allow: ['store.*', 'rules.*', 'procedures.*'] },
            { role: 'reader', allow: ['store.*', 'rules.*'] },
          ],
        },
      },
      audit: { tiers: ['admin', 'write'] },
    };
  }
  return {
    auth: { validate, required: false },
    rateLimit: { maxRequests: LIMITS.maxRequests, windowMs: LIMITS.windowMs },
    connectionLimits: { maxSubscriptionsPerConnection: LIMITS.maxSubscriptionsPerConnection },
    // timeoutMs is unused by noex-server 0.1.4: the deadline is one interval.
    heartbeat: { intervalMs: LIMITS.heartbeatIntervalMs, timeoutMs: 100 },
  };
}

/** Starts a real noex-server on 127.0.0.1 (a free port unless given) with one of the scenarios. */
export async function startServer(
  scenario: Scenario,
  options: { port?: number; serverOptions?: Record<string, unknown> } = {},
): Promise<LiveServer> {
  if (!packages) throw new Error(`noex-server is not installed: ${INSTALL_HINT}`);
  const { Store, RuleEngine } = packages;
  const name = `live-${scenario}-${++instance}-${process.pid}`;
  const store = await Store.start({ name: `${name}-store` });
  const rules =
    scenario === 'limits' ? undefined : await RuleEngine.start({ name: `${name}-rules` });
  const resources: Resources = { name, scenario, store, rules, servers: [] };
  try {
    const config = { ...(await setup(scenario, store, rules)), ...options.serverOptions };
    resources.config = config;
    const live = await launch(resources, options.port ?? 0);
    liveServers.add(live);
    return live;
  } catch (error) {
    await rules?.stop();
    await store.stop();
    throw error;
  }
}

interface Resources {
  name: string;
  scenario: Scenario;
  store: Module;
  rules: Module | undefined;
  config?: Record<string, unknown>;
  /** Every NoexServer started on these resources; the last is the running one. */
  servers: Module[];
  stopped?: Promise<void>;
}

async function launch(resources: Resources, port: number): Promise<LiveServer> {
  const { store, rules, name } = resources;
  const server = await packages!.NoexServer.start({
    store,
    ...(rules ? { rules } : {}),
    port,
    host: '127.0.0.1',
    name: `${name}-server${resources.servers.length ? `-${resources.servers.length}` : ''}`,
    ...resources.config,
  });
  resources.servers.push(server);
  const boundPort: number = server.port;
  const stop = (stopOptions?: { gracePeriodMs?: number }) =>
    (resources.stopped ??= (async () => {
      for (const s of resources.servers) await stopOnce(s, stopOptions);
      await rules?.stop();
      await store.stop();
    })());
  const live: LiveServer = {
    url: `ws://127.0.0.1:${boundPort}`,
    port: boundPort,
    server,
    store,
    scenario: resources.scenario,
    stop,
    restart: async (stopOptions) => {
      await stopOnce(server, stopOptions);
      const next = await launch(resources, boundPort);
      liveServers.add(next);
      return next;
    },
    [Symbol.asyncDispose]: () => stop(),
  };
  return live;
}

const serverStops = new WeakMap<Module, Promise<void>>();
function stopOnce(server: Module, options?: { gracePeriodMs?: number }): Promise<void> {
  let stopped = serverStops.get(server);
  if (!stopped) {
    stopped = server.stop(options) as Promise<void>;
    serverStops.set(server, stopped);
  }
  return stopped;
}

// ---- clients that record what they send, for docs/protocol-coverage.md ----

/** A frame as parsed from the wire. */
export type WireFrame = Record<string, unknown> & { type?: unknown; id?: unknown };

const knownOperations = new Set<string>(operationNames);

/** Per test (full name) the operations sent, each with its outcomes: `ok` or the error code. */
const recorded = new Map<string, Map<string, Set<string>>>();
let recordedFile: string | undefined;

function currentTest(): string | undefined {
  const state = expect.getState();
  if (state.testPath) recordedFile = state.testPath;
  return state.currentTestName;
}

function record(test: string, operation: string, outcome?: string): void {
  let operations = recorded.get(test);
  if (!operations) recorded.set(test, (operations = new Map()));
  let outcomes = operations.get(operation);
  if (!outcomes) operations.set(operation, (outcomes = new Set()));
  if (outcome) outcomes.add(outcome);
}

function parse(data: unknown): WireFrame | undefined {
  try {
    const text = typeof data === 'string' ? data : String(data);
    const frame: unknown = JSON.parse(text);
    return typeof frame === 'object' && frame !== null ? (frame as WireFrame) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `ws`'s WebSocket that keeps every frame it sends and receives, and records each
 * request's operation (and its outcome) against the running test for the coverage doc.
 */
export class RecordingWebSocket extends WsWebSocket {
  readonly sent: WireFrame[] = [];
  readonly received: WireFrame[] = [];
  readonly #pending = new Map<unknown, { test: string; type: string }>();

  constructor(url: string) {
    super(url);
    this.on('message', (data: unknown, isBinary: boolean) => {
      if (isBinary) return;
      const frame = parse(data);
      if (!frame) return;
      this.received.push(frame);
      if (frame.type !== 'result' && frame.type !== 'error') return;
      const request = this.#pending.get(frame.id);
      if (!request) return;
      this.#pending.delete(frame.id);
      record(request.test, request.type, frame.type === 'result' ? 'ok' : String(frame.code));
    });
  }

  override send(data: unknown, ...rest: unknown[]): void {
    const frame = parse(data);
    if (frame) {
      this.sent.push(frame);
      const test = currentTest();
      if (test && typeof frame.type === 'string' && knownOperations.has(frame.type)) {
        record(test, frame.type);
        this.#pending.set(frame.id, { test, type: frame.type });
      }
    }
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

const socketsOf = new WeakMap<NoexClient, RecordingWebSocket[]>();
const liveClients = new Set<NoexClient>();
const liveServers = new Set<LiveServer>();

/**
 * A client for the live suite: results are validated strictly (a result that breaks the
 * spec rejects the call), reconnect is off unless asked for, and every frame it sends is
 * recorded (see {@link RecordingWebSocket}). It is disconnected after the test.
 */
export function liveClient(url: string, options: ClientOptions = {}): NoexClient {
  const sockets: RecordingWebSocket[] = [];
  class ClientSocket extends RecordingWebSocket {
    constructor(socketUrl: string) {
      super(socketUrl);
      sockets.push(this);
    }
  }
  const client = new NoexClient(url, {
    reconnect: false,
    ...options,
    validateResults: 'strict',
    // ws's handler types are narrower than WebSocketLike's; the runtime shapes fit.
    WebSocket: ClientSocket as unknown as WebSocketConstructor,
  });
  socketsOf.set(client, sockets);
  liveClients.add(client);
  return client;
}

/** Every frame a {@link liveClient} sent and received, over all its connections. */
export function framesOf(client: NoexClient): { sent: WireFrame[]; received: WireFrame[] } {
  const sockets = socketsOf.get(client) ?? [];
  return {
    sent: sockets.flatMap((s) => s.sent),
    received: sockets.flatMap((s) => s.received),
  };
}

async function cleanUpTest(): Promise<void> {
  const clients = [...liveClients];
  liveClients.clear();
  await Promise.all(clients.map((c) => c.disconnect()));
  const servers = [...liveServers];
  liveServers.clear();
  await Promise.all(servers.map((s) => s.stop()));
}

/** Where each live test file's recorded coverage goes (gitignored); read by scripts/protocol-coverage.ts. */
export const COVERAGE_DIR = join(import.meta.dirname, '.coverage');

/** The recorded coverage of one live test file, as written to {@link COVERAGE_DIR}. */
export interface RecordedCoverage {
  file: string;
  tests: { name: string; operations: Record<string, string[]> }[];
}

function writeCoverage(): void {
  if (!recordedFile) return;
  const root = join(import.meta.dirname, '..', '..');
  const coverage: RecordedCoverage = {
    file: relative(root, recordedFile).split('\\').join('/'),
    tests: [...recorded].map(([name, operations]) => ({
      name,
      operations: Object.fromEntries(
        [...operations]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([op, outcomes]) => [op, [...outcomes].sort()]),
      ),
    })),
  };
  mkdirSync(COVERAGE_DIR, { recursive: true });
  writeFileSync(
    join(COVERAGE_DIR, `${basename(recordedFile)}.json`),
    `${JSON.stringify(coverage, null, 2)}\n`,
  );
}

/**
 * A server of `scenario` and a client connected to it (strict, recording);
 * `await using` stops both, and the harness does so after each test anyway.
 */
export async function connectedToLive(
  scenario: Scenario = 'open',
  options: ClientOptions = {},
): Promise<{ server: LiveServer; client: NoexClient } & AsyncDisposable> {
  const server = await startServer(scenario);
  const client = liveClient(server.url, options);
  await client.connect();
  return {
    server,
    client,
    [Symbol.asyncDispose]: async () => {
      await client.disconnect();
      await server.stop();
    },
  };
}
