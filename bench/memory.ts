/**
 * Heap per active subscription and per pending request (noex-client against
 * the floor, which keeps only id → callback and id → promise), and what a
 * long run of requests does to the heap and to CPU per request.
 */
import { FloorClient } from './clients.js';
import { PUSH_DATA_JSON } from './fixtures.js';
import { NoexClient } from './dist.js';
import { settledHeap, sleep, type ServerProcess } from './lib.js';

const noop = () => {};

/** Starts `total` calls, `batch` at a time, and keeps what they resolve to. */
export async function inBatches<T>(
  total: number,
  batch: number,
  start: () => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  while (out.length < total)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(batch, total - out.length) }, start))),
    );
  return out;
}

export type MemoryLevel = 'L2' | 'on';

/** A connected client of `level` that can open `all-users` subscriptions, and close. */
export async function subscriber(
  level: MemoryLevel,
  url: string,
  options: ConstructorParameters<typeof NoexClient>[1] = {},
): Promise<{ subscribe(): Promise<unknown>; close(): Promise<void> | void; client?: NoexClient }> {
  if (level === 'L2') {
    const floor = await FloorClient.connect(url);
    return {
      subscribe: () => floor.subscribe('store.subscribe', { query: 'all-users' }, noop),
      close: () => floor.close(),
    };
  }
  const client = new NoexClient(url, options);
  await client.connect();
  return {
    subscribe: () => client.store.subscribe('all-users', noop),
    close: () => client.disconnect(),
    client,
  };
}

/** Subscriptions a client opens before the first reading: its buffers and the compiled code of the path are in place by then. */
export const WARM_SUBSCRIPTIONS = 100;

/**
 * Heap bytes per active subscription with `n` held: the readings bracket all
 * but the first WARM_SUBSCRIPTIONS (so that what a connection costs once does
 * not count);
 * what subscribe() returned (the floor's id, noex's unsubscribe function) is
 * kept, as an app keeps it.
 */
export async function heapPerSubscription(
  level: MemoryLevel,
  url: string,
  n: number,
): Promise<number> {
  const client = await subscriber(level, url);
  const warm = await inBatches(WARM_SUBSCRIPTIONS, 500, client.subscribe);
  const before = await settledHeap();
  const held = await inBatches(n - WARM_SUBSCRIPTIONS, 500, client.subscribe);
  const after = await settledHeap();
  held.length = 0;
  warm.length = 0;
  await client.close();
  return (after - before) / (n - WARM_SUBSCRIPTIONS);
}

/** Heap bytes per subscription of `level` when the query's result is `null`: what a subscription costs apart from its data. */
export async function heapPerEmptySubscription(
  level: MemoryLevel,
  url: string,
  server: ServerProcess,
  n: number,
): Promise<number> {
  await server.command('result', { json: 'null' });
  try {
    return await heapPerSubscription(level, url, n);
  } finally {
    await server.command('result', { json: PUSH_DATA_JSON });
  }
}

/** Heap bytes of `n` requests waiting for their answers (the server holds them). */
export async function pendingHeap(
  level: MemoryLevel,
  url: string,
  server: ServerProcess,
  n: number,
): Promise<number> {
  const floor = level === 'L2' ? await FloorClient.connect(url) : undefined;
  const client = level === 'on' ? new NoexClient(url) : undefined;
  await client?.connect();
  const users = client?.store.bucket('users');
  await server.command('hold', { types: ['store.get'] });
  const before = await settledHeap();
  const requests: Promise<unknown>[] = new Array(n);
  for (let i = 0; i < n; i++)
    requests[i] = floor
      ? floor.request('store.get', { bucket: 'users', key: 'k' })
      : users!.get('k');
  await heldOnServer(server, n);
  const after = await settledHeap();
  await server.command('release');
  await Promise.all(requests);
  await floor?.close();
  await client?.disconnect();
  return after - before;
}

/** Waits until the server holds `n` requests unanswered. */
export async function heldOnServer(server: ServerProcess, n: number): Promise<void> {
  for (let waited = 0; ((await server.command('held')).held as number) < n; waited++) {
    if (waited > 1_000) throw new Error(`the server never received ${n} held requests`);
    await sleep(10);
  }
}

export interface LongRun {
  heapBefore: number;
  heapAfter: number;
  seconds: number;
  /** Client CPU µs per request over each block of requests, [first request, last request, µs]. */
  blocks: [number, number, number][];
}

/**
 * `total` store.get calls, 128 in flight: the heap before and after, and
 * client CPU per request in decades (1–1,000, …) and in blocks of a tenth.
 */
export async function longRun(url: string, total: number): Promise<LongRun> {
  const client = new NoexClient(url);
  await client.connect();
  const users = client.store.bucket('users');
  // Warm the path and let the heap settle before the first reading.
  for (let i = 0; i < 2_000; i++) await users.get('k');
  const heapBefore = await settledHeap();
  const marks = new Set<number>([0, total]);
  for (let decade = 1_000; decade < total; decade *= 10) marks.add(decade);
  for (let i = 1; i < 10; i++) marks.add(Math.round((total * i) / 10));
  const cpuAt = new Map<number, number>();
  const cpuNow = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  cpuAt.set(0, cpuNow());
  const t0 = performance.now();
  let sent = 0;
  let done = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      await users.get('k');
      if (marks.has(++done)) cpuAt.set(done, cpuNow());
    }
  };
  await Promise.all(Array.from({ length: 128 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const heapAfter = await settledHeap();
  await client.disconnect();
  const sorted = [...marks].sort((a, b) => a - b);
  const blocks = sorted
    .slice(1)
    .map((end, i): [number, number, number] => [
      sorted[i]! + 1,
      end,
      (cpuAt.get(end)! - cpuAt.get(sorted[i]!)!) / (end - sorted[i]!),
    ]);
  return { heapBefore, heapAfter, seconds, blocks };
}
