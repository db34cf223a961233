/**
 * `node --import tsx bench/tail.ts` (builds dist/ first): where p99 at many
 * requests in flight comes from. Runs, in one process and interleaved, the
 * JSON floor, the same floor with its socket writes batched the way
 * noex-client batches them (runtime/node.ts), and noex-client; prints pooled
 * latency quantiles and the garbage-collection pauses seen in each.
 *
 * Knobs (env): TAIL_IN_FLIGHT (128), TAIL_REPEATS (9), TAIL_DURATION_MS (250).
 * Node flags change the collector's schedule, e.g. `--max-semi-space-size=64`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { FloorClient, withBatchedWrites } from './clients.js';
import { NoexClient, writeBatcher } from './dist.js';
import { closedLoop, Histogram, median, place, ServerProcess, type LoopResult } from './lib.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const K = env('TAIL_IN_FLIGHT', 128);
const REPEATS = env('TAIL_REPEATS', 9);
const DURATION = env('TAIL_DURATION_MS', 250);

place('pinned');
const server = await ServerProcess.start('minimal');
if (typeof server === 'string') throw new Error(server);
try {
  const payload = { bucket: 'users', key: 'k' };
  const floor = await FloorClient.connect(server.info.url);
  const floorBatched = withBatchedWrites(await FloorClient.connect(server.info.url), writeBatcher);
  const client = new NoexClient(server.info.url);
  await client.connect();
  const users = client.store.bucket('users');
  const levels: Record<string, () => Promise<unknown>> = {
    'L2 floor': () => floor.request('store.get', payload),
    'L2 floor, writes batched': () => floorBatched.request('store.get', payload),
    'noex-client': () => users.get('k'),
  };
  for (const send of Object.values(levels)) await closedLoop(send, K, 300, 100);

  let pauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });

  const names = Object.keys(levels);
  const results = new Map<string, { runs: LoopResult[]; pauses: number[] }>();
  for (let rep = 0; rep < REPEATS; rep++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + rep) % names.length]!;
      pauses = [];
      const run = await closedLoop(levels[name]!, K, DURATION, 80);
      const entry = results.get(name) ?? { runs: [], pauses: [] };
      entry.runs.push(run);
      entry.pauses.push(...pauses);
      results.set(name, entry);
    }
  }
  console.log(`${K} in flight, ${REPEATS} × ${DURATION} ms each, interleaved; latency in ms`);
  for (const [name, { runs, pauses: gcs }] of results) {
    const pooled = new Histogram();
    for (const run of runs) pooled.merge(run.histogram);
    const q = (p: number) => pooled.quantile(p).toFixed(3);
    const requests = runs.reduce((n, run) => n + run.requests, 0);
    console.log(
      `${name.padEnd(26)} req/s ${Math.round(median(runs.map((r) => r.rps)))
        .toLocaleString('en-US')
        .padStart(7)}  p50 ${q(0.5)}  p90 ${q(0.9)}  p98 ${q(0.98)}  p99 ${q(0.99)}  ` +
        `GC: ${((gcs.length / requests) * 1000).toFixed(2)} per 1000 requests, median pause ${median(gcs).toFixed(2)} ms`,
    );
  }
  await floor.close();
  await floorBatched.close();
  await client.disconnect();
} finally {
  await server.stop();
}
