/**
 * Subscriptions at scale: heap per active subscription at each count, and the
 * restore after a dropped connection (from the new socket's welcome to
 * `reconnected`) against the floor pipelining as many subscribe requests on
 * a fresh connection; the heap a restore holds while its answers are due.
 */
import { FloorClient } from './clients.js';
import { type NoexClient } from './dist.js';
import { median, settledHeap, type ServerProcess } from './lib.js';
import { heldOnServer, inBatches, subscriber, type MemoryLevel } from './memory.js';

const noop = () => {};
export const FAST_RECONNECT = { reconnect: { initialDelayMs: 5, jitterMs: 0, maxDelayMs: 50 } };

export interface ScalePoint {
  n: number;
  /** Heap bytes per active subscription, median over the repeats. */
  heapPerSubscription: Record<MemoryLevel, number>;
  /** The floor pipelining `n` subscribe requests on a fresh connection, and noex's restore of `n`, ms (medians). */
  floorMs: number;
  restoreMs: number;
  /** restore ÷ floor, the median of the per-repeat ratios. */
  ratio: number;
}

/** Fewer repeats where one reading is large enough to stand above the heap's noise. */
const heapRepeats = (n: number) => (n >= 100_000 ? 1 : n >= 10_000 ? 3 : 5);

/** Heap bytes per subscription of `level` with `n` held; `keep` leaves the last client connected with them. */
async function heapAt(level: MemoryLevel, url: string, n: number, keep: boolean) {
  let kept: { client: NoexClient; unsubscribes: unknown[] } | undefined;
  const readings: number[] = [];
  for (let rep = 0, reps = heapRepeats(n); rep < reps; rep++) {
    const client = await subscriber(level, url, FAST_RECONNECT);
    const before = await settledHeap();
    const held = await inBatches(n, 500, client.subscribe);
    readings.push(((await settledHeap()) - before) / n);
    if (keep && rep === reps - 1) kept = { client: client.client!, unsubscribes: held };
    else await client.close();
  }
  return { perSubscription: median(readings), kept };
}

/** ms for a fresh floor connection to subscribe `n` times at once, from the first send to the last answer. */
export async function floorPipeline(url: string, n: number): Promise<number> {
  const floor = await FloorClient.connect(url);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, () =>
      floor.subscribe('store.subscribe', { query: 'all-users' }, noop),
    ),
  );
  const ms = performance.now() - t0;
  await floor.close();
  return ms;
}

/** Drops the client's connection on the server side; resolves when it has reconnected, with ms from the new welcome. */
export async function restore(
  client: NoexClient,
  server: ServerProcess,
  between?: () => Promise<void>,
): Promise<number> {
  let welcomedAt = NaN;
  const offWelcome = client.on('welcome', () => (welcomedAt = performance.now()));
  const reconnected = new Promise<number>((resolve) => {
    const off = client.on('reconnected', () => {
      off();
      resolve(performance.now() - welcomedAt);
    });
  });
  await server.command('drop');
  await between?.();
  const ms = await reconnected;
  offWelcome();
  return ms;
}

/** The counts measured, from the restore's own table and chart. */
export async function scale(
  url: string,
  server: ServerProcess,
  counts: readonly number[],
  report: (line: string) => void,
): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const n of counts) {
    report(`scale: ${n.toLocaleString('en-US')} subscriptions`);
    const floorHeap = await heapAt('L2', url, n, false);
    const noexHeap = await heapAt('on', url, n, true);
    // The unsubscribe functions stay held, as an app holds them, through the restores.
    const { client, unsubscribes } = noexHeap.kept!;
    const floorRuns: number[] = [];
    const restoreRuns: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      floorRuns.push(await floorPipeline(url, n));
      restoreRuns.push(await restore(client, server));
      const { count } = (await server.command('subscriptions')) as { count: number };
      if (count !== n) throw new Error(`restore re-created ${count} of ${n} subscriptions`);
    }
    await client.disconnect();
    unsubscribes.length = 0;
    points.push({
      n,
      heapPerSubscription: { L2: floorHeap.perSubscription, on: noexHeap.perSubscription },
      floorMs: median(floorRuns),
      restoreMs: median(restoreRuns),
      ratio: median(restoreRuns.map((ms, i) => ms / floorRuns[i]!)),
    });
  }
  return points;
}

export interface RestoreHeap {
  /** Heap bytes of the `n` subscriptions themselves, and what the restore holds on top while its answers are due. */
  subscriptions: number;
  restore: number;
  /** What the floor holds while `n` pipelined subscribe requests wait for their answers. */
  floorPipeline: number;
}

/** The heap a restore of `n` subscriptions holds while the server keeps every answer back. */
export async function restoreHeap(
  url: string,
  server: ServerProcess,
  n: number,
): Promise<RestoreHeap> {
  const client = await subscriber('on', url, FAST_RECONNECT);
  const empty = await settledHeap();
  const held = await inBatches(n, 500, client.subscribe);
  const before = await settledHeap();
  let during = NaN;
  await server.command('hold', { types: ['store.subscribe'] });
  await restore(client.client!, server, async () => {
    await heldOnServer(server, n);
    during = await settledHeap();
    await server.command('release');
  });
  await client.close();
  held.length = 0;

  const floor = await FloorClient.connect(url);
  await server.command('hold', { types: ['store.subscribe'] });
  const floorBefore = await settledHeap();
  const pipelined = Promise.all(
    Array.from({ length: n }, () =>
      floor.subscribe('store.subscribe', { query: 'all-users' }, noop),
    ),
  );
  await heldOnServer(server, n);
  const floorDuring = await settledHeap();
  await server.command('release');
  await pipelined;
  await floor.close();
  return {
    subscriptions: before - empty,
    restore: during - before,
    floorPipeline: floorDuring - floorBefore,
  };
}
