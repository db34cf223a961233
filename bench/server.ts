/**
 * The bench's server, in its own process (never the client's event loop).
 *
 *   node --import tsx bench/server.ts minimal   a minimal protocol server on plain `ws`
 *   node --import tsx bench/server.ts real      the real noex-server (exits 3 when not installed)
 *
 * Minimal server: `/echo` answers every message with one pre-built result
 * string (level 1); any other path speaks the protocol: welcome, store.get /
 * store.insert → a fixed record, store.subscribe → `sub-N` with data. The
 * parent drives it over IPC: push N frames to the newest subscriber, hold the
 * answers of some operations (to measure what waits for them) and release
 * them, drop every connection (to measure a restore), change the result
 * store.subscribe answers with, report CPU.
 *
 * Real server: push N rule events (`bench.tick`), drop every connection (the
 * server restarts on the same port, store and rule engine kept), report CPU.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { ECHO_RESULT, PUSH_DATA_JSON, RECORD_JSON, pushFrame } from './fixtures.js';

type Command =
  | { seq: number; cmd: 'push'; n: number }
  | { seq: number; cmd: 'hold'; types: string[] }
  | { seq: number; cmd: 'held' }
  | { seq: number; cmd: 'release' }
  | { seq: number; cmd: 'drop' }
  | { seq: number; cmd: 'result'; json: string }
  | { seq: number; cmd: 'subscriptions' }
  | { seq: number; cmd: 'cpu' }
  | { seq: number; cmd: 'stop' };

const mode = process.argv[2] ?? 'minimal';
const reply = (seq: number, body: Record<string, unknown> = {}) => process.send!({ seq, ...body });
// The parent going away ends the server too.
process.on('disconnect', () => process.exit(0));

const welcome = () =>
  JSON.stringify({
    type: 'welcome',
    version: '1.0.0',
    serverTime: Date.now(),
    requiresAuth: false,
  });

/** `{"id":N,"type":"T",...}` → [N, T] without JSON.parse when the frame starts that way. */
function head(text: string): [number, string] | undefined {
  if (text.startsWith('{"id":')) {
    let i = 6;
    let id = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i))
      id = id * 10 + c - 48;
    if (text.startsWith(',"type":"', i)) {
      const start = i + 9;
      const end = text.indexOf('"', start);
      if (end > start) return [id, text.slice(start, end)];
    }
  }
  try {
    const frame = JSON.parse(text);
    return [frame.id, frame.type];
  } catch {
    return undefined;
  }
}

async function minimal(): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const subscribers = new Map<WebSocket, string[]>();
  /** What store.subscribe answers with as the query's current result. */
  let resultJson = PUSH_DATA_JSON;
  /** The operations whose answers are held until `release`. */
  let holding = new Set<string>();
  let held: [WebSocket, string][] = [];

  wss.on('connection', (ws, request) => {
    ws.send(welcome());
    if (request.url === '/echo') {
      ws.on('message', () => ws.send(ECHO_RESULT));
      return;
    }
    let subscriptions = 0;
    ws.on('close', () => subscribers.delete(ws));
    ws.on('message', (data) => {
      const parsed = head(data.toString());
      if (!parsed) return;
      const [id, type] = parsed;
      let answer: string;
      switch (type) {
        case 'store.get':
        case 'store.insert':
          answer = `{"id":${id},"type":"result","data":${RECORD_JSON}}`;
          break;
        case 'store.subscribe': {
          const subscriptionId = `sub-${++subscriptions}`;
          const list = subscribers.get(ws) ?? [];
          list.push(subscriptionId);
          subscribers.set(ws, list);
          answer = `{"id":${id},"type":"result","data":{"subscriptionId":"${subscriptionId}","data":${resultJson}}}`;
          break;
        }
        case 'store.unsubscribe':
          answer = `{"id":${id},"type":"result","data":{"unsubscribed":true}}`;
          break;
        default:
          answer = `{"id":${id},"type":"error","code":"UNKNOWN_OPERATION","message":"bench server: ${type}"}`;
      }
      if (holding.has(type)) held.push([ws, answer]);
      else ws.send(answer);
    });
  });

  process.on('message', (message: Command) => {
    switch (message.cmd) {
      case 'push': {
        // A pre-built frame to the newest subscriber only (the one whose rate is measured: the
        // previous run's socket may not have closed yet), sent in slices so the socket keeps flushing.
        const targets = [...subscribers]
          .slice(-1)
          .map(([ws, ids]) => [ws, pushFrame(ids[0]!)] as const);
        let sent = 0;
        const slice = () => {
          const end = Math.min(sent + 2000, message.n);
          for (; sent < end; sent++) for (const [ws, frame] of targets) ws.send(frame);
          if (sent < message.n) setImmediate(slice);
          else reply(message.seq, { targets: targets.length });
        };
        slice();
        return;
      }
      case 'hold':
        holding = new Set(message.types);
        return reply(message.seq);
      case 'held':
        return reply(message.seq, { held: held.length });
      case 'release': {
        holding = new Set();
        const list = held;
        held = [];
        for (const [ws, answer] of list) ws.send(answer);
        return reply(message.seq, { released: list.length });
      }
      case 'drop':
        // Abruptly, as a network failure would: no closing handshake.
        for (const ws of wss.clients) ws.terminate();
        return reply(message.seq);
      case 'result':
        resultJson = message.json;
        return reply(message.seq);
      case 'subscriptions':
        // Held by the newest connection.
        return reply(message.seq, { count: [...subscribers.values()].at(-1)?.length ?? 0 });
      case 'cpu':
        return reply(message.seq, { cpu: process.cpuUsage() });
      case 'stop':
        wss.close();
        reply(message.seq);
        return process.exit(0);
    }
  });
  const { port } = wss.address() as { port: number };
  process.send!({
    ready: true,
    url: `ws://127.0.0.1:${port}`,
    echoUrl: `ws://127.0.0.1:${port}/echo`,
  });
}

async function real(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  let NoexServer: any;
  let Store: any;
  let RuleEngine: any;
  let version = '?';
  try {
    ({ NoexServer } = await import('@hamicek/noex-server' as string));
    ({ Store } = await import('@hamicek/noex-store' as string));
    ({ RuleEngine } = await import('@hamicek/noex-rules' as string));
  } catch (error) {
    // Exits once the parent has the reason.
    process.send!({ unavailable: (error as Error).message }, undefined, {}, () => process.exit(3));
    return;
  }
  try {
    const { readFileSync } = await import('node:fs');
    const manifest = new URL('../node_modules/@hamicek/noex-server/package.json', import.meta.url);
    version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  } catch {
    // The version is only for the report.
  }
  const store = await Store.start({ name: `bench-store-${process.pid}` });
  const rules = await RuleEngine.start({ name: `bench-rules-${process.pid}` });
  await store.defineBucket('users', {
    key: 'id',
    schema: {
      id: { type: 'string', generated: 'uuid' },
      name: { type: 'string', required: true },
      role: { type: 'string', default: 'user' },
      age: { type: 'number' },
    },
  });
  store.defineQuery('all-users', async (ctx: any) => ctx.bucket('users').all());
  const start = (port: number) =>
    NoexServer.start({
      store,
      rules,
      port,
      host: '127.0.0.1',
      name: `bench-server-${process.pid}`,
      // The restore at scale holds many subscriptions on one connection.
      connectionLimits: { maxSubscriptionsPerConnection: 1e6, maxTotalSubscriptions: 1e7 },
    });
  let server = await start(0);
  const record = await store.bucket('users').insert({ name: 'Alice', age: 30, role: 'user' });
  process.on('message', async (message: Command) => {
    switch (message.cmd) {
      case 'push': {
        // Rule events, each pushed to every `bench.*` subscription; emitted 100 at a time.
        for (let i = 0; i < message.n; i += 100) {
          const batch = Math.min(100, message.n - i);
          await Promise.all(
            Array.from({ length: batch }, (_, j) => rules.emit('bench.tick', { i: i + j })),
          );
        }
        return reply(message.seq);
      }
      case 'drop': {
        // Connections and their subscriptions go; the store and the rules stay.
        const port = server.port;
        await server.stop();
        server = await start(port);
        return reply(message.seq);
      }
      case 'cpu':
        return reply(message.seq, { cpu: process.cpuUsage() });
      case 'stop':
        await server.stop().catch(() => {});
        await rules.stop().catch(() => {});
        await store.stop().catch(() => {});
        reply(message.seq);
        return process.exit(0);
      default:
        reply(message.seq, { error: `not supported by the real server: ${message.cmd}` });
    }
  });
  process.send!({ ready: true, url: `ws://127.0.0.1:${server.port}`, key: record.id, version });
}

await (mode === 'real' ? real() : minimal());
