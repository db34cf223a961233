/**
 * The client's own cost per request, without a network: a fake socket answers
 * each request in the same process. noex-client against a minimal JSON client
 * over the same fake socket, so that only what the client adds differs.
 *
 *   node --import tsx bench/overhead.ts   (builds dist/ first)
 */
import { NoexClient } from './dist.js';
import { RECORD_JSON } from './fixtures.js';

const resultTail = `,"type":"result","data":${RECORD_JSON}}`;

/** Answers every request with the record, a microtask later, as text. */
class FakeSocket {
  readyState = 1;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(_url: string) {
    setTimeout(() =>
      this.onmessage?.({
        data: '{"type":"welcome","version":"1.0.0","serverTime":1,"requiresAuth":false}',
      }),
    );
  }
  send(text: string): void {
    const id = JSON.parse(text).id as number;
    queueMicrotask(() => this.onmessage?.({ data: `{"id":${id}${resultTail}` }));
  }
  close(): void {
    queueMicrotask(() => this.onclose?.({ code: 1000, reason: '' }));
  }
}

class Floor {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  constructor(private readonly socket: FakeSocket) {
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data as string);
      const entry = this.pending.get(frame.id);
      if (!entry) return;
      this.pending.delete(frame.id);
      if (frame.type === 'result') entry.resolve(frame.data);
      else entry.reject(new Error(frame.message));
    };
  }
  request(type: string, payload: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, type, ...payload }));
    });
  }
}

async function measure(get: () => Promise<unknown>, inFlight: number, ms: number): Promise<number> {
  let count = 0;
  const until = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < until) {
      await get();
      count++;
    }
  };
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / count;
}

export interface Overhead {
  inFlight: number;
  /** Client CPU µs per request: the JSON floor, noex-client, and noex-client with result validation off. */
  floor: number;
  noex: number;
  noexNoValidation: number;
}

/**
 * Client CPU per `store.get` over an in-process socket that answers at once:
 * no network, no server, so what remains is what each client itself costs.
 * Interleaved repeats; medians.
 */
export async function clientOverhead(ms = 300, repeats = 5): Promise<Overhead[]> {
  const floor = new Floor(new FakeSocket(''));
  const client = new NoexClient('ws://fake', { WebSocket: FakeSocket as never, reconnect: false });
  const off = new NoexClient('ws://fake', {
    WebSocket: FakeSocket as never,
    reconnect: false,
    validateResults: 'off',
  });
  await client.connect();
  await off.connect();
  const users = client.store.bucket('users');
  const usersOff = off.store.bucket('users');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results: Overhead[] = [];
  for (const inFlight of [1, 16]) {
    const runs = { floor: [] as number[], noex: [] as number[], off: [] as number[] };
    for (let repeat = 0; repeat < repeats; repeat++) {
      runs.floor.push(
        await measure(
          () => floor.request('store.get', { bucket: 'users', key: 'k' }),
          inFlight,
          ms,
        ),
      );
      runs.noex.push(await measure(() => users.get('k'), inFlight, ms));
      runs.off.push(await measure(() => usersOff.get('k'), inFlight, ms));
    }
    results.push({
      inFlight,
      floor: median(runs.floor),
      noex: median(runs.noex),
      noexNoValidation: median(runs.off),
    });
  }
  await client.disconnect();
  await off.disconnect();
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await clientOverhead(Number(process.env.OVERHEAD_MS ?? 600))) {
    console.log(
      `@${row.inFlight}: floor ${row.floor.toFixed(2)} µs, noex ${row.noex.toFixed(2)} µs (+${(row.noex - row.floor).toFixed(2)}), ` +
        `validation off ${row.noexNoValidation.toFixed(2)} µs (+${(row.noexNoValidation - row.floor).toFixed(2)})`,
    );
  }
}
