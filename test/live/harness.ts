import { afterAll, afterEach, describe, it } from 'vitest';
import { NoexClient, type ClientOptions, type WebSocketConstructor } from '../../index.js';
import { RecordingWebSocket, writeCoverage, type WireFrame } from './recording.js';
import { setUpScenario, type Module, type Scenario } from './scenarios.js';

export { ADMIN_SECRET, LIMITS, TOKENS, type Scenario } from './scenarios.js';
export {
  COVERAGE_DIR,
  RecordingWebSocket,
  type RecordedCoverage,
  type WireFrame,
} from './recording.js';

/**
 * Starts real noex-server instances in-process for the live suite. The server
 * and its packages are imported only when they resolve; without them the
 * suite is skipped (and fails under `npm run test:live`, which requires them).
 * The scenarios are in scenarios.ts, the recording clients in recording.ts.
 */

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

let instance = 0;

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
    const config = { ...(await setUpScenario(scenario, store, rules)), ...options.serverOptions };
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
