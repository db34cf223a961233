import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { NoexClient } from '../../generated/client.js';
import { NoexClientError } from '../../runtime/index.js';

/**
 * Fault fuzzing: a server that speaks the protocol but answers each request
 * at random — right, with an error, not at all, twice, under an unknown id,
 * with invalid JSON, binary or a non-object, or by closing (1000, 1001, 4000,
 * 4001) or dropping the TCP connection, each with or without a delay. Every
 * call must settle within its timeout and a second, with the client's own
 * error classes; nothing may escape as an unhandled rejection or an uncaught
 * exception; after `disconnect()` the client holds no timer or socket.
 */

/** A small seeded generator, so that a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fault = (socket: WebSocket, id: unknown) => void;

const reply = (socket: WebSocket, frame: unknown) => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
};
const answer = (socket: WebSocket, id: unknown) =>
  reply(socket, { id, type: 'result', data: { count: 0, names: [] } });

/** Each fault with its weight. */
const FAULTS: [number, Fault][] = [
  [50, answer],
  [10, (s, id) => reply(s, { id, type: 'error', code: 'INTERNAL_ERROR', message: 'fuzzed' })],
  [8, () => {}],
  [5, (s, id) => (answer(s, id), answer(s, id))],
  [4, (s) => answer(s, 987_654_321)],
  [4, (s) => s.readyState === s.OPEN && s.send('{"id":')],
  [3, (s) => s.readyState === s.OPEN && s.send(Buffer.from([1, 2, 3]), { binary: true })],
  [3, (s) => s.readyState === s.OPEN && s.send('[1,2]')],
  [1, (s) => s.close(1000)],
  [1, (s) => s.close(1001)],
  [1, (s) => s.close(4000)],
  [1, (s) => s.close(4001)],
  [2, (s) => s.terminate()],
];
const TOTAL_WEIGHT = FAULTS.reduce((sum, [weight]) => sum + weight, 0);

function pick(next: () => number): Fault {
  let roll = next() * TOTAL_WEIGHT;
  for (const [weight, fault] of FAULTS) {
    if ((roll -= weight) < 0) return fault;
  }
  return answer;
}

async function hostileServer(seed: number) {
  const next = random(seed);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    socket.send(
      JSON.stringify({ type: 'welcome', version: '1.0.0', serverTime: 0, requiresAuth: false }),
    );
    socket.on('message', (data) => {
      const { id } = JSON.parse(String(data)) as { id: unknown };
      const fault = pick(next);
      const delayed = next() < 0.2;
      if (delayed) setTimeout(() => fault(socket, id), Math.floor(next() * 30));
      else fault(socket, id);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

const clientResources = () =>
  process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'Timeout' || resource === 'TCPSocketWrap').length;

describe('fault fuzzing', () => {
  it('settles every one of 3,000 calls against a hostile server, with nothing left behind', async () => {
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    const server = await hostileServer(20261201);
    const before = clientResources();
    const timeoutMs = 60;
    const client = new NoexClient(server.url, {
      requestTimeoutMs: timeoutMs,
      reconnect: { initialDelayMs: 0, maxDelayMs: 5, jitterMs: 2 },
    });
    client.on('error', () => {});
    const late: number[] = [];
    const foreign: unknown[] = [];
    let settled = 0;
    const outcomes: Record<string, number> = {};
    try {
      await client.connect();
      for (let batch = 0; batch < 300; batch++) {
        if (client.state !== 'connected') {
          await new Promise<void>((resolve) => {
            const done = () => (off(), clearTimeout(timer), resolve());
            const off = client.on('connected', done);
            const timer = setTimeout(done, 1_000);
          });
        }
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const started = performance.now();
            try {
              await client.store.buckets();
              outcomes.ok = (outcomes.ok ?? 0) + 1;
            } catch (error) {
              const code = (error as NoexClientError).code;
              outcomes[code] = (outcomes[code] ?? 0) + 1;
              if (!(error instanceof NoexClientError)) foreign.push(error);
            }
            settled++;
            const took = performance.now() - started;
            if (took > timeoutMs + 1_000) late.push(took);
          }),
        );
      }
    } finally {
      await client.disconnect();
      await server.close();
      process.off('unhandledRejection', onEscape);
      process.off('uncaughtException', onEscape);
    }
    // Most calls are answered, refused or timed out; the rest fall with the connection.
    expect(outcomes.ok).toBeGreaterThan(1_000);
    expect(outcomes.TIMEOUT).toBeGreaterThan(50);
    expect(settled).toBe(3_000);
    expect(late).toEqual([]);
    expect(foreign).toEqual([]);
    expect(escaped).toEqual([]);
    // The server's own delayed faults (at most 30 ms) are timers of this process too.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(clientResources()).toBeLessThanOrEqual(before);
  }, 60_000);
});
