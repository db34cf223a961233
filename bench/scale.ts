/**
 * Subscriptions at scale: heap per active subscription at each count, and the
 * restore after a dropped connection (from the new socket's welcome to
 * `reconnected`) against the floor pipelining as many subscribe requests on
 * a fresh connection; the heap a restore holds while its answers are due.
 */
import { FloorClient } from './clients.js';
import { type NoexClient } from './dist.js';
import { median, settledHeap, type ServerProcess } from './lib.js';
import {
  heapPerSubscription,
  heldOnServer,
  inBatches,
  subscriber,
  WARM_SUBSCRIPTIONS,
  type MemoryLevel,
} from './memory.js';

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

/**
 * Readings per count, fewer where one reading stands well above the heap's
 * noise (about ±200 KB between two settled readings, ±200 B a subscription at 1,000).
 */
const heapRepeats = (n: number) => (n >= 100_000 ? 1 : n >= 10_000 ? 3 : 9);

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

/**
 * One noex client with `n` subscriptions: its heap per subscription, then
 * `repeats` restores, each after the floor pipelined as many subscribes.
 * Every reading is taken in a function that returns numbers only: a client
 * left in a variable of a caller still running would be freed in the middle
 * of a later reading.
 */
async function noexAt(url: string, server: ServerProcess, n: number, repeats: number) {
  const client = await subscriber('on', url, FAST_RECONNECT);
  const warm = await inBatches(WARM_SUBSCRIPTIONS, 500, client.subscribe);
  const before = await settledHeap();
  // The unsubscribe functions stay held, as an app holds them, through the restores.
  const unsubscribes = await inBatches(n - WARM_SUBSCRIPTIONS, 500, client.subscribe);
  const heap = ((await settledHeap()) - before) / (n - WARM_SUBSCRIPTIONS);
  const floorRuns: number[] = [];
  const restoreRuns: number[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    floorRuns.push(await floorPipeline(url, n));
    restoreRuns.push(await restore(client.client!, server));
    const { count } = (await server.command('subscriptions')) as { count: number };
    if (count !== n) throw new Error(`restore re-created ${count} of ${n} subscriptions`);
  }
  await client.close();
  unsubscribes.length = 0;
  warm.length = 0;
  return { heap, floorRuns, restoreRuns };
}

/** The counts measured, for the restore's table and chart. */
export async function scale(
  url: string,
  server: ServerProcess,
  counts: readonly number[],
  report: (line: string) => void,
): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const n of counts) {
    report(`scale: ${n.toLocaleString('en-US')} subscriptions`);
    const reps = heapRepeats(n);
    const floorHeap: number[] = [];
    const noexHeap: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      floorHeap.push(await heapPerSubscription('L2', url, n));
      if (rep < reps - 1) noexHeap.push(await heapPerSubscription('on', url, n));
    }
    const { heap, floorRuns, restoreRuns } = await noexAt(url, server, n, n >= 100_000 ? 1 : 3);
    noexHeap.push(heap);
    points.push({
      n,
      heapPerSubscription: { L2: median(floorHeap), on: median(noexHeap) },
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

/** The heap a restore of `n` subscriptions holds while the server keeps every answer back, and the floor's for as many pipelined subscribes. */
export async function restoreHeap(
  url: string,
  server: ServerProcess,
  n: number,
): Promise<RestoreHeap> {
  return {
    ...(await heldByRestore(url, server, n)),
    floorPipeline: await heldByPipeline(url, server, n),
  };
}

async function heldByRestore(url: string, server: ServerProcess, n: number) {
  const client = await subscriber('on', url, FAST_RECONNECT);
  const empty = await settledHeap();
  const unsubscribes = await inBatches(n, 500, client.subscribe);
  const before = await settledHeap();
  let during = NaN;
  await server.command('hold', { types: ['store.subscribe'] });
  await restore(client.client!, server, async () => {
    await heldOnServer(server, n);
    during = await settledHeap();
    await server.command('release');
  });
  await client.close();
  unsubscribes.length = 0;
  return { subscriptions: before - empty, restore: during - before };
}

async function heldByPipeline(url: string, server: ServerProcess, n: number): Promise<number> {
  const floor = await FloorClient.connect(url);
  await server.command('hold', { types: ['store.subscribe'] });
  const before = await settledHeap();
  const pipelined = Promise.all(
    Array.from({ length: n }, () =>
      floor.subscribe('store.subscribe', { query: 'all-users' }, noop),
    ),
  );
  await heldOnServer(server, n);
  const during = await settledHeap();
  await server.command('release');
  await pipelined;
  await floor.close();
  return during - before;
}
