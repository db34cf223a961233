/**
 * `npm run bench`: noex-client against the transport ceiling (level 1) and the
 * JSON floor (level 2), with the server in its own process on 127.0.0.1.
 * Prints one table and writes it to bench/RESULTS.md. See bench/README.md.
 *
 * Knobs (env): BENCH_DURATION_MS (180), BENCH_WARMUP_MS (60), BENCH_REPEATS (9),
 * BENCH_PUSH_N (50000), BENCH_LONG_REQUESTS (1000000), BENCH_REAL (1; 0 skips the real server).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The heap figures need global.gc: re-run under `node --expose-gc` when it is missing.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  process.exit(result.status ?? 1);
}

// noex-client as users run it: the built dist/ (the TypeScript sources under tsx carry
// per-closure naming helpers that are not in the published code).
const build = spawnSync(process.execPath, ['scripts/build.mjs'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) throw new Error('bench: npm run build failed');
const { NoexClient } = (await import('../dist/index.js' as string)) as typeof import('../index.js');
const { writeBatcher } = (await import(
  '../dist/runtime/node.js' as string
)) as typeof import('../runtime/node.js');
const { validators } = (await import(
  '../dist/generated/validators.js' as string
)) as typeof import('../generated/validators.js');
const { RawClient, FloorClient, withBatchedWrites } = await import('./clients.js');
const { ECHO_REQUEST, NEW_USER, RECORD } = await import('./fixtures.js');
const lib = await import('./lib.js');
const { closedLoop, median, medianOf, ROOT, ServerProcess, settledHeap, sleep } = lib;
type LoopResult = import('./lib.js').LoopResult;
type Server = import('./lib.js').ServerProcess;
const { bundleFigures, importCost } = await import('./size.js');
const { clientOverhead } = await import('./overhead.js');

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DURATION = env('BENCH_DURATION_MS', 180);
const WARMUP = env('BENCH_WARMUP_MS', 60);
const REPEATS = env('BENCH_REPEATS', 9);
const PUSH_N = env('BENCH_PUSH_N', 50_000);
const LONG_REQUESTS = env('BENCH_LONG_REQUESTS', 1_000_000);
const RUN_REAL = env('BENCH_REAL', 1) !== 0;
const IN_FLIGHT = [1, 16, 128] as const;
const HEAP_GROWTH_LIMIT = 512 * 1024;

const startedAt = performance.now();
const loadAtStart = loadavg()[0]!;
const log = (line: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const noop = () => {};

// ---- level set-up ----

/** L2b: the floor with its writes batched as noex-client batches them (store.get only). */
type Level = 'L1' | 'L2' | 'L2b' | 'on' | 'off';
type Op = 'get' | 'insert';
interface Variant {
  level: Level;
  op: Op;
  send: () => Promise<unknown>;
}

interface Clients {
  variants: Variant[];
  close(): Promise<void>;
}

/** One connection per level; `key` is the record store.get asks for. */
async function connectLevels(info: {
  url: string;
  echoUrl?: string;
  key?: string;
}): Promise<Clients> {
  const key = info.key ?? 'k';
  const raw = await RawClient.connect(info.echoUrl ?? info.url);
  const rawFrame = info.echoUrl
    ? ECHO_REQUEST
    : JSON.stringify({ id: 1, type: 'store.get', bucket: 'users', key });
  const floor = await FloorClient.connect(info.url);
  const floorBatched = withBatchedWrites(await FloorClient.connect(info.url), writeBatcher);
  const on = new NoexClient(info.url);
  const off = new NoexClient(info.url, { validateResults: 'off' });
  for (const client of [on, off])
    client.on('error', (error) => log(`client error: ${error.message}`));
  await Promise.all([on.connect(), off.connect()]);
  const usersOn = on.store.bucket('users');
  const usersOff = off.store.bucket('users');
  const getPayload = { bucket: 'users', key };
  const insertPayload = { bucket: 'users', data: NEW_USER };
  return {
    variants: [
      { level: 'L1', op: 'get', send: () => raw.send(rawFrame) },
      { level: 'L2', op: 'get', send: () => floor.request('store.get', getPayload) },
      { level: 'L2b', op: 'get', send: () => floorBatched.request('store.get', getPayload) },
      { level: 'on', op: 'get', send: () => usersOn.get(key) },
      { level: 'off', op: 'get', send: () => usersOff.get(key) },
      { level: 'L2', op: 'insert', send: () => floor.request('store.insert', insertPayload) },
      { level: 'on', op: 'insert', send: () => usersOn.insert(NEW_USER) },
      { level: 'off', op: 'insert', send: () => usersOff.insert(NEW_USER) },
    ],
    async close() {
      raw.close();
      floor.close();
      floorBatched.close();
      await Promise.all([on.disconnect(), off.disconnect()]);
    },
  };
}

/** Medians per cell, and every repeat of it (for ratios taken repeat by repeat). */
interface Cells {
  medians: Map<string, LoopResult>;
  runs: Map<string, LoopResult[]>;
}
const cellKey = (level: Level, op: Op, k: number) => `${level}/${op}/${k}`;

/** Every variant at every in-flight count, `repeats` times, interleaved; medians. */
async function throughput(
  clients: Clients,
  server: Server,
  repeats: number,
  duration: number,
): Promise<Cells> {
  // JIT warm-up of every path.
  for (const variant of clients.variants) await closedLoop(variant.send, 16, 150, 50);
  const runs = new Map<string, LoopResult[]>();
  for (let rep = 0; rep < repeats; rep++) {
    for (const k of IN_FLIGHT) {
      // Rotate the order each repeat so that no level always runs first.
      const order = clients.variants.map(
        (_, i) => clients.variants[(i + rep) % clients.variants.length]!,
      );
      for (const variant of order) {
        const result = await closedLoop(variant.send, k, duration, WARMUP, server);
        const key = cellKey(variant.level, variant.op, k);
        runs.set(key, [...(runs.get(key) ?? []), result]);
      }
    }
    log(`throughput: repeat ${rep + 1}/${repeats} done`);
  }
  return { medians: new Map([...runs].map(([key, results]) => [key, medianOf(results)])), runs };
}

/**
 * Rates and CPU: the median over repeats of `level`'s figure ÷ L2's in the same
 * repeat (cells of one repeat run back to back, so drift in the machine's load
 * cancels out of each ratio). Latency quantiles: the ratio of the quantiles of
 * every repeat's samples pooled, as a tail figure needs (see medianOf).
 */
function pairedRatio(cells: Cells, level: Level, op: Op, k: number, metric: Metric): number {
  if (metric === 'p50' || metric === 'p99') {
    return (
      cells.medians.get(cellKey(level, op, k))![metric] /
      cells.medians.get(cellKey('L2', op, k))![metric]
    );
  }
  const mine = cells.runs.get(cellKey(level, op, k)) ?? [];
  const floor = cells.runs.get(cellKey('L2', op, k)) ?? [];
  const ratios = mine.map((run, i) => run[metric] / floor[i]![metric]).filter(Number.isFinite);
  return ratios.length ? median(ratios) : NaN;
}

// ---- push ----

type PushLevel = 'L1' | 'L2' | 'on';

async function pushRun(level: PushLevel, url: string, server: Server, n: number): Promise<number> {
  let count = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const onPush = () => {
    if (++count === n) done();
  };
  let close: () => Promise<void> | void;
  if (level === 'L1') {
    const raw = await RawClient.connect(url);
    await raw.send('{"id":1,"type":"store.subscribe","query":"all-users"}');
    raw.onCount = onPush;
    close = () => raw.close();
  } else if (level === 'L2') {
    const floor = await FloorClient.connect(url);
    let initial = true;
    await floor.subscribe('all-users', () => (initial ? (initial = false) : onPush()));
    close = () => floor.close();
  } else {
    const client = new NoexClient(url);
    await client.connect();
    let initial = true;
    await client.store.subscribe('all-users', () => (initial ? (initial = false) : onPush()));
    close = () => client.disconnect();
  }
  const t0 = performance.now();
  await server.command('push', { n });
  await finished;
  const elapsed = performance.now() - t0;
  await close();
  return (n / elapsed) * 1000;
}

/** Medians of each level's push rate, and noex ÷ L2 as the median of the per-repeat ratios. */
async function push(
  url: string,
  server: Server,
  repeats: number,
): Promise<Record<PushLevel, number> & { ratio: number }> {
  const levels: PushLevel[] = ['L1', 'L2', 'on'];
  for (const level of levels) await pushRun(level, url, server, 5_000); // warm-up
  const runs: Record<PushLevel, number[]> = { L1: [], L2: [], on: [] };
  for (let rep = 0; rep < repeats; rep++) {
    // Rotated like the throughput cells, so that no level always runs first.
    for (let i = 0; i < levels.length; i++) {
      const level = levels[(i + rep) % levels.length]!;
      runs[level].push(await pushRun(level, url, server, PUSH_N));
    }
  }
  const ratio = median(runs.on.map((on, i) => on / runs.L2[i]!));
  return { L1: median(runs.L1), L2: median(runs.L2), on: median(runs.on), ratio };
}

// ---- memory ----

const SUBSCRIPTIONS = 10_000;
const PENDING = 10_000;

async function inBatches<T>(total: number, batch: number, start: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < total)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(batch, total - out.length) }, start))),
    );
  return out;
}

async function subscriptionHeap(level: 'L2' | 'on', url: string): Promise<number> {
  if (level === 'L2') {
    const floor = await FloorClient.connect(url);
    const before = await settledHeap();
    const held = await inBatches(SUBSCRIPTIONS, 500, () => floor.subscribe('all-users', noop));
    const after = await settledHeap();
    held.length = 0;
    floor.close();
    return after - before;
  }
  const client = new NoexClient(url);
  await client.connect();
  const before = await settledHeap();
  const held = await inBatches(SUBSCRIPTIONS, 500, () => client.store.subscribe('all-users', noop));
  const after = await settledHeap();
  held.length = 0;
  await client.disconnect();
  return after - before;
}

async function pendingHeap(level: 'L2' | 'on', url: string, server: Server): Promise<number> {
  const floor = level === 'L2' ? await FloorClient.connect(url) : undefined;
  const client = level === 'on' ? new NoexClient(url) : undefined;
  await client?.connect();
  const users = client?.store.bucket('users');
  await server.command('hold');
  const before = await settledHeap();
  const requests: Promise<unknown>[] = new Array(PENDING);
  for (let i = 0; i < PENDING; i++)
    requests[i] = floor
      ? floor.request('store.get', { bucket: 'users', key: 'k' })
      : users!.get('k');
  for (let waited = 0; ((await server.command('held')).held as number) < PENDING; waited++) {
    if (waited > 500) throw new Error('the server never received every held request');
    await sleep(10);
  }
  const after = await settledHeap();
  await server.command('release');
  await Promise.all(requests);
  floor?.close();
  await client?.disconnect();
  return after - before;
}

async function longRunHeap(
  url: string,
  total: number,
): Promise<{ before: number; after: number; seconds: number }> {
  const client = new NoexClient(url);
  await client.connect();
  const users = client.store.bucket('users');
  // Warm the path and let the heap settle before the first reading.
  for (let i = 0; i < 2_000; i++) await users.get('k');
  const before = await settledHeap();
  const t0 = performance.now();
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      await users.get('k');
    }
  };
  await Promise.all(Array.from({ length: 128 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const after = await settledHeap();
  await client.disconnect();
  return { before, after, seconds };
}

// ---- validation, measured directly ----

function validatorCost(): Record<string, number> {
  const cases: [string, () => unknown][] = [
    ['store.get request', () => validators['store.get']!.request({ bucket: 'users', key: 'k' })],
    ['store.get result', () => validators['store.get']!.result(RECORD)],
    [
      'store.insert request',
      () => validators['store.insert']!.request({ bucket: 'users', data: NEW_USER }),
    ],
    ['store.insert result', () => validators['store.insert']!.result(RECORD)],
  ];
  const out: Record<string, number> = {};
  for (const [name, run] of cases) {
    for (let i = 0; i < 200_000; i++) run();
    const n = 1_000_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run();
    out[name] = Number(process.hrtime.bigint() - t0) / n;
  }
  return out;
}

// ---- the table ----

type Row = [
  figure: string,
  l1: string,
  l2: string,
  on: string,
  off: string,
  onRatio: string,
  offRatio: string,
  target: string,
  result: string,
];

const fmt = {
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—'),
  ms: (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—'),
  us: (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—'),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—'),
  pct: (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—'),
  kb: (v: number) => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KB` : '—'),
};
const pass = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const HEADER = [
  'figure',
  'L1 ws ceiling',
  'L2 JSON floor',
  'noex (validate report)',
  'noex (validate off)',
  'noex ÷ L2',
  'off ÷ L2',
  'target',
  'result',
];

interface Verdict {
  target: string;
  ok: boolean;
}

type Metric = 'rps' | 'p50' | 'p99' | 'cpuPerReq';

/** Each figure's label, format, and target (a bound on noex ÷ L2), in table order. */
const METRICS: {
  metric: Metric;
  label: (op: Op, k: number) => string;
  format: (v: number) => string;
  target?: { text: string; verdict: (op: Op, k: number) => string; ok: (ratio: number) => boolean };
}[] = [
  {
    metric: 'rps',
    label: (op, k) => `store.${op} req/s @${k} in flight`,
    format: fmt.int,
    target: {
      text: '≥ 0.95×',
      verdict: (op, k) => `store.${op} throughput @${k} ≥ 0.95 × L2`,
      ok: (r) => r >= 0.95,
    },
  },
  { metric: 'p50', label: (op, k) => `store.${op} p50 ms @${k}`, format: fmt.ms },
  {
    metric: 'p99',
    label: (op, k) => `store.${op} p99 ms @${k}`,
    format: fmt.ms,
    target: {
      text: '≤ 1.1×',
      verdict: (op, k) => `store.${op} p99 @${k} ≤ 1.1 × L2`,
      ok: (r) => r <= 1.1,
    },
  },
  { metric: 'cpuPerReq', label: (op, k) => `store.${op} client CPU µs/req @${k}`, format: fmt.us },
];

function requestRows(cells: Cells, withTargets: boolean, verdicts: Verdict[]): Row[] {
  const rows: Row[] = [];
  const get = (level: Level, op: Op, k: number) => cells.medians.get(cellKey(level, op, k));
  for (const op of ['get', 'insert'] as Op[]) {
    for (const { metric, label, format, target } of METRICS) {
      for (const k of IN_FLIGHT) {
        const [l1, l2, on, off] = (['L1', 'L2', 'on', 'off'] as Level[]).map((level) =>
          get(level, op, k),
        );
        if (!l2 || !on || !off) continue;
        const onRatio = pairedRatio(cells, 'on', op, k, metric);
        const judged = withTargets && target !== undefined;
        const ok = target?.ok(onRatio) ?? true;
        if (judged) verdicts.push({ target: target.verdict(op, k), ok });
        rows.push([
          label(op, k),
          l1 ? format(l1[metric]) : '—',
          format(l2[metric]),
          format(on[metric]),
          format(off[metric]),
          fmt.ratio(onRatio),
          fmt.ratio(pairedRatio(cells, 'off', op, k, metric)),
          judged ? target.text : '',
          judged ? pass(ok) : '',
        ]);
      }
    }
    const k = 128;
    const [l1, l2, on, off] = (['L1', 'L2', 'on', 'off'] as Level[]).map((level) =>
      get(level, op, k),
    );
    if (l2 && on && off)
      rows.push([
        `store.${op} server CPU (share of a core) @${k}`,
        l1 ? fmt.pct(l1.serverCpu) : '—',
        fmt.pct(l2.serverCpu),
        fmt.pct(on.serverCpu),
        fmt.pct(off.serverCpu),
        '',
        '',
        '',
        '',
      ]);
  }
  return rows;
}

// ---- main ----

const servers: Server[] = [];
let exitCode = 0;
try {
  const sections: string[] = [];
  const verdicts: Verdict[] = [];
  const rows: Row[] = [];

  log('size: bundling index.ts for the browser');
  const { app, sdk } = await bundleFigures();
  const imports = importCost(sdk.file);

  log('starting the minimal server');
  const minimal = await ServerProcess.start('minimal');
  if (typeof minimal === 'string') throw new Error(`minimal server: ${minimal}`);
  servers.push(minimal);
  const url = minimal.info.url;

  const clients = await connectLevels(minimal.info);
  log(
    `throughput: ${clients.variants.length} variants × ${IN_FLIGHT.length} in-flight counts × ${REPEATS} repeats × ${DURATION} ms`,
  );
  const cells = await throughput(clients, minimal, REPEATS, DURATION);
  await clients.close();
  rows.push(...requestRows(cells, true, verdicts));
  // What write batching alone does to the floor: the tail at 128 in flight moves with it (bench/tail.ts).
  for (const [metric, k, label, format] of [
    ['rps', 16, 'req/s @16 in flight', fmt.int],
    ['rps', 128, 'req/s @128 in flight', fmt.int],
    ['p99', 128, 'p99 ms @128', fmt.ms],
  ] as const) {
    const batchedFloor = cells.medians.get(cellKey('L2b', 'get', k));
    const l2 = cells.medians.get(cellKey('L2', 'get', k));
    if (!batchedFloor || !l2) continue;
    rows.push([
      `store.get ${label}, L2 with its writes batched as noex batches them (in the noex column; no target)`,
      '',
      format(l2[metric]),
      format(batchedFloor[metric]),
      '',
      fmt.ratio(pairedRatio(cells, 'L2b', 'get', k, metric)),
      '',
      '',
      '',
    ]);
  }

  // Validation's share of the client's CPU per request: on vs off, at each in-flight count.
  for (const op of ['get', 'insert'] as Op[]) {
    const shares = IN_FLIGHT.map((k) => {
      const on = cells.medians.get(cellKey('on', op, k))!;
      const off = cells.medians.get(cellKey('off', op, k))!;
      return (on.cpuPerReq - off.cpuPerReq) / on.cpuPerReq;
    });
    // Pooled over the three in-flight counts: Σ(on − off) ÷ Σ on.
    const sum = (level: Level) =>
      IN_FLIGHT.reduce((acc, k) => acc + cells.medians.get(cellKey(level, op, k))!.cpuPerReq, 0);
    const share = (sum('on') - sum('off')) / sum('on');
    rows.push([
      `store.${op} validation share of client CPU/request by A/B, (on − off) ÷ on pooled over @1/@16/@128 (each: ${shares.map((s) => fmt.pct(s)).join(', ')}; within the noise of the cells)`,
      '',
      '',
      fmt.pct(share),
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  const direct = validatorCost();
  for (const op of ['get', 'insert'] as Op[]) {
    const ns = direct[`store.${op} request`]! + direct[`store.${op} result`]!;
    // Against the cheapest request measured (the largest share validation can take).
    const cpu =
      Math.min(...IN_FLIGHT.map((k) => cells.medians.get(cellKey('on', op, k))!.cpuPerReq)) * 1000;
    const share = ns / cpu;
    const ok = share <= 0.05;
    verdicts.push({ target: `store.${op} validation ≤ 5 % of client CPU/request`, ok });
    rows.push([
      `store.${op} validation, timed directly: request ${direct[`store.${op} request`]!.toFixed(0)} ns + result ${direct[`store.${op} result`]!.toFixed(0)} ns, as a share of the cheapest client CPU/request measured`,
      '',
      '',
      fmt.pct(share),
      '',
      '',
      '',
      '≤ 5 %',
      pass(ok),
    ]);
  }

  log(`push: ${PUSH_N.toLocaleString('en-US')} pushes × 3 levels × ${REPEATS} repeats`);
  const pushes = await push(url, minimal, REPEATS);
  {
    const { ratio } = pushes;
    const ok = ratio >= 0.95;
    verdicts.push({ target: 'push delivery ≥ 0.95 × L2', ok });
    rows.push([
      'push delivery, pushes/s into callbacks (3-record array)',
      fmt.int(pushes.L1),
      fmt.int(pushes.L2),
      fmt.int(pushes.on),
      '',
      fmt.ratio(ratio),
      '',
      '≥ 0.95×',
      pass(ok),
    ]);
  }

  log('client overhead: store.get over an in-process socket (no network, no server)');
  for (const row of await clientOverhead(NoexClient)) {
    rows.push([
      `store.get client CPU µs/req @${row.inFlight}, in-process socket (no network): what each client itself costs; noex adds ${fmt.us(row.noex - row.floor)} µs`,
      '',
      fmt.us(row.floor),
      fmt.us(row.noex),
      fmt.us(row.noexNoValidation),
      fmt.ratio(row.noex / row.floor),
      fmt.ratio(row.noexNoValidation / row.floor),
      '',
      '',
    ]);
  }

  log('memory: 10,000 subscriptions, 10,000 pending requests');
  const subsL2 = await subscriptionHeap('L2', url);
  const subsOn = await subscriptionHeap('on', url);
  const pendL2 = await pendingHeap('L2', url, minimal);
  const pendOn = await pendingHeap('on', url, minimal);
  rows.push(
    [
      'heap per 10,000 active subscriptions',
      '',
      fmt.kb(subsL2),
      fmt.kb(subsOn),
      '',
      fmt.ratio(subsOn / subsL2),
      '',
      '',
      '',
    ],
    [
      'heap per 10,000 pending requests',
      '',
      fmt.kb(pendL2),
      fmt.kb(pendOn),
      '',
      fmt.ratio(pendOn / pendL2),
      '',
      '',
      '',
    ],
  );

  log(
    `memory: ${LONG_REQUESTS.toLocaleString('en-US')} requests (noex, validation on, 128 in flight)`,
  );
  const long = await longRunHeap(url, LONG_REQUESTS);
  {
    const growth = long.after - long.before;
    const ok = growth <= HEAP_GROWTH_LIMIT;
    verdicts.push({
      target: `no heap growth after ${LONG_REQUESTS.toLocaleString('en-US')} requests`,
      ok,
    });
    rows.push([
      `heap after ${LONG_REQUESTS.toLocaleString('en-US')} requests: ${fmt.kb(long.before)} → ${fmt.kb(long.after)} (${(growth / LONG_REQUESTS).toFixed(2)} B/request, ${long.seconds.toFixed(1)} s)`,
      '',
      '',
      `${growth >= 0 ? '+' : ''}${fmt.kb(growth)}`,
      '',
      '',
      '',
      `≤ +${fmt.kb(HEAP_GROWTH_LIMIT)}`,
      pass(ok),
    ]);
  }
  await minimal.stop();

  {
    const ok = app.initialGzipBytes <= 12 * 1024;
    verdicts.push({ target: 'bundle ≤ 12 KB min+gzip', ok });
    const wsFree =
      app.wsInputs.length === 0 &&
      app.wsMarkers.length === 0 &&
      sdk.wsInputs.length === 0 &&
      sdk.wsMarkers.length === 0;
    verdicts.push({ target: 'no `ws` code in the browser bundle', ok: wsFree });
    const top = sdk.byOrigin
      .slice(0, 5)
      .map(([origin, bytes]) => `${origin} ${fmt.kb(bytes)}`)
      .join(', ');
    rows.push(
      [
        `browser bundle of an app using the client (\`import { NoexClient }\`, esm, minified, split; chunks loaded at start) — min ${fmt.kb(app.initialMinBytes)}`,
        '',
        '',
        `${fmt.kb(app.initialGzipBytes)} min+gzip (${app.initialGzipBytes.toLocaleString('en-US')} B)`,
        '',
        '',
        '',
        '≤ 12 KB (12,288 B)',
        pass(ok),
      ],
      [
        `loaded only when used (${app.lazyChunks.map(([input, bytes]) => `${input} ${fmt.kb(bytes)}`).join(', ')}): record checks of typed buckets, the logger's code, and under Node only its helpers (\`ws\`, write batching)`,
        '',
        '',
        `${fmt.kb(app.lazyGzipBytes)} min+gzip`,
        '',
        '',
        '',
        '',
        '',
      ],
      [
        `the whole entry index.ts, TypeBox schemas (\`schemas\` export) included — min ${fmt.kb(sdk.minBytes)}; by origin: ${top}`,
        '',
        '',
        `${fmt.kb(sdk.gzipBytes)} min+gzip`,
        '',
        '',
        '',
        '',
        '',
      ],
      [
        `\`ws\` code in the browser bundle (inputs: ${sdk.wsInputs.length}, markers: ${sdk.wsMarkers.join(', ') || 'none'})`,
        '',
        '',
        wsFree ? 'none' : 'present',
        '',
        '',
        '',
        'none',
        pass(wsFree),
      ],
      [
        `import() of the built bundle in a fresh Node process (empty module: ${imports.emptyMs.toFixed(2)} ms)`,
        '',
        '',
        `${imports.bundleMs.toFixed(2)} ms (+${(imports.bundleMs - imports.emptyMs).toFixed(2)} ms)`,
        '',
        '',
        '',
        '',
        '',
      ],
    );
  }

  sections.push(markdownTable(HEADER, rows));

  // ---- the real noex-server ----
  let realSection: string;
  if (!RUN_REAL) realSection = 'Skipped (BENCH_REAL=0).';
  else {
    log('starting the real noex-server');
    const real = await ServerProcess.start('real');
    if (typeof real === 'string') {
      realSection = `Skipped: noex-server is not installed (${real.split('\n')[0]}).`;
      log(realSection);
    } else {
      servers.push(real);
      const realClients = await connectLevels(real.info);
      log('real server: throughput, 1 repeat');
      const realCells = await throughput(realClients, real, 1, Math.min(DURATION, 300));
      await realClients.close();
      await real.stop();
      realSection =
        `@hamicek/noex-server ${real.info.version} in its own process (Store.start, NoexServer.start on 127.0.0.1, ` +
        '`users` bucket keyed by uuid `id`; store.get asks for a stored record; store.insert adds one each time). ' +
        'One repeat, so noisier than the table above; L1 sends a pre-built store.get and counts replies in order. ' +
        'No targets: the real server is the bottleneck here (see its CPU share).\n\n' +
        markdownTable(
          HEADER.slice(0, 7),
          requestRows(realCells, false, []).map((row) => row.slice(0, 7)),
        );
    }
  }

  const cpu = cpus();
  const passed = verdicts.filter((v) => v.ok).length;
  const summary = verdicts.map((v) => `- ${v.ok ? 'pass' : '**FAIL**'}: ${v.target}`).join('\n');
  const seconds = (performance.now() - startedAt) / 1000;
  const report = `# noex-client benchmark

- Date: ${new Date().toISOString()}
- CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}
- Node: ${process.version} (${process.platform} ${process.arch}), client run with --expose-gc
- Load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} — the machine is shared; other work on its 2 cores shows up as noise
- ${lib.PINNED ? 'Client pinned to core 0 and server to core 1 (taskset)' : 'Client and server not pinned to cores (no taskset or one core)'}
- Run: \`npm run bench\`, ${seconds.toFixed(0)} s in all; every throughput cell is ${WARMUP} ms warm-up + ${DURATION} ms measured, closed loop, ${REPEATS} interleaved repeats: req/s and CPU are the median of the repeats and each of their ratios to L2 the median of the per-repeat ratios (cells of a repeat run back to back); p50 and p99 are taken over the latencies of all repeats pooled (one ${DURATION} ms window holds only a handful of GC pauses, too few for its own p99); compression off (perMessageDeflate: false on the server); loopback only.

Levels: **L1** bare \`ws\`, pre-serialised request echoed with a pre-serialised result (no JSON on the client);
**L2** the JSON floor (bench/clients.ts: JSON encode/decode and an id → promise map);
**noex** \`client.store.bucket('users').get('k')\` / \`.insert({...})\` through the generated API, result validation 'report' (default) and 'off'.
Server: bench/server.ts, plain \`ws\` in a separate process, fixed record answers. Latency in ms; CPU = process.cpuUsage() of the client process.

## Results (minimal server)

${sections.join('\n\n')}

## Targets: ${passed}/${verdicts.length} pass

${summary}

## Real noex-server

${realSection}
`;
  writeFileSync(join(ROOT, 'bench/RESULTS.md'), report);
  console.log(`\n${report}`);
  log('wrote bench/RESULTS.md');
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const server of servers) await server.stop().catch(() => {});
}
process.exit(exitCode);
