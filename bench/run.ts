/**
 * `npm run bench`: noex-client against the transport ceiling (level 1) and the
 * JSON floor (level 2), with the server in its own process on 127.0.0.1,
 * pinned to cores and not; start-up, bundle, memory and restore at scale; the
 * real noex-server when installed. Writes bench/RESULTS.md and its charts.
 * See bench/README.md.
 *
 * Knobs (env): BENCH_DURATION_MS (180), BENCH_WARMUP_MS (60), BENCH_REPEATS (9),
 * BENCH_PUSH_N (30000), BENCH_LONG_REQUESTS (1000000), BENCH_SCALE (1000,10000,100000),
 * BENCH_IMPORT_PAIRS (11), BENCH_REAL (1; 0 skips the real server).
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

const { CAN_PIN, ROOT, ServerProcess, place } = await import('./lib.js');
await import('./dist.js');
const requests = await import('./requests.js');
const { push, QUERY_PUSHES } = await import('./push.js');
const { validationRows } = await import('./validation.js');
const { clientOverhead } = await import('./overhead.js');
const { heapPerEmptySubscription, longRun, pendingHeap } = await import('./memory.js');
const { scale, restoreHeap } = await import('./scale.js');
const { breakdown } = await import('./heap-breakdown.js');
const { bundleFigures } = await import('./size.js');
const { importCost, modulesLoaded, typeboxFiles } = await import('./startup.js');
const { realServer } = await import('./real.js');
const { COLOURS, lineChart } = await import('./chart.js');
const sections = await import('./sections.js');
const { Verdicts, fmt } = await import('./table.js');
type Placement = import('./lib.js').Placement;
type Level = import('./requests.js').Level;

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DURATION = env('BENCH_DURATION_MS', 180);
const WARMUP = env('BENCH_WARMUP_MS', 60);
const REPEATS = env('BENCH_REPEATS', 9);
const PUSH_N = env('BENCH_PUSH_N', 30_000);
const LONG_REQUESTS = env('BENCH_LONG_REQUESTS', 1_000_000);
const IMPORT_PAIRS = env('BENCH_IMPORT_PAIRS', 11);
const SCALE = (process.env.BENCH_SCALE ?? '1000,10000,100000').split(',').map(Number);
const RUN_REAL = env('BENCH_REAL', 1) !== 0;
const PLACEMENTS: Placement[] = CAN_PIN ? ['pinned', 'unpinned'] : ['unpinned'];
/** Pinned, every level; unpinned, the two the targets compare. */
const LEVELS: Record<Placement, readonly Level[]> = {
  pinned: ['L1', 'L2', 'L2b', 'on', 'off'],
  unpinned: ['L2', 'on'],
};

const startedAt = performance.now();
const loadAtStart = loadavg()[0]!;
const log = (line: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`);

const servers: import('./lib.js').ServerProcess[] = [];
let exitCode = 0;
try {
  const verdicts = new Verdicts();
  const out: string[] = [];

  // Start-up first, on a machine not yet busy with the bench's own server.
  place('unpinned');
  log(`start-up: import() of noex-client and of ws, ${IMPORT_PAIRS} fresh-process pairs`);
  const imports = importCost(IMPORT_PAIRS);
  const minimal = await ServerProcess.start('minimal');
  if (typeof minimal === 'string') throw new Error(`minimal server: ${minimal}`);
  servers.push(minimal);
  const url = minimal.info.url;
  const typebox: [string, number, number][] = [];
  for (const [what, args] of [
    ["`import('noex-client')`", ['--input-type=module', '-e', "await import('noex-client')"]],
    ["`require('noex-client')`", ['-e', "require('noex-client')"]],
    ['`noex --help`', ['dist/cli/main.js', '--help']],
    [
      'a one-shot call, `noex <url> store.get …`',
      ['dist/cli/main.js', url, 'store.get', '{"bucket":"users","key":"k"}'],
    ],
  ] as const) {
    const loaded = modulesLoaded([...args]);
    typebox.push([
      what,
      typeboxFiles(loaded).length,
      loaded.modules.length + loaded.required.length,
    ]);
  }

  log('bundle: esbuild, one file and split, with what-ifs');
  const bundle = await bundleFigures();

  log(`requests: ${PLACEMENTS.join(' and ')}, ${REPEATS} repeats × ${DURATION} ms cells`);
  const levels = await requests.connectLevels(minimal.info, LEVELS.pinned, log);
  const cells = await requests.throughput(levels, minimal, {
    repeats: REPEATS,
    durationMs: DURATION,
    warmupMs: WARMUP,
    levels: Object.fromEntries(PLACEMENTS.map((p) => [p, LEVELS[p]])),
    report: log,
  });
  await levels.close();

  log(
    `push: ${PUSH_N.toLocaleString('en-US')} pushes × 3 levels × ${REPEATS} repeats, each placement`,
  );
  const pushes = await push(url, minimal, {
    levels: ['L1', 'L2', 'on'],
    placements: PLACEMENTS,
    repeats: REPEATS,
    n: PUSH_N,
    source: QUERY_PUSHES,
  });
  place(PLACEMENTS[0]!);

  log('client overhead: store.get over an in-process socket (no network, no server)');
  const overhead = await clientOverhead();

  log(`scale: heap per subscription and restore at ${SCALE.join(', ')} subscriptions`);
  const points = await scale(url, minimal, SCALE, log);
  const emptyN = 10_000;
  const empty = {
    n: emptyN,
    L2: await heapPerEmptySubscription('L2', url, minimal, emptyN),
    on: await heapPerEmptySubscription('on', url, minimal, emptyN),
  };
  const restoreN = 10_000;
  const heldByRestore = { n: restoreN, ...(await restoreHeap(url, minimal, restoreN)) };
  log('memory: where the heap per subscription goes (heap snapshots, in a child process)');
  const breakdownN = 10_000;
  const groups = breakdown(url, breakdownN, 'on');
  const pendingN = 10_000;
  const pending = {
    n: pendingN,
    L2: await pendingHeap('L2', url, minimal, pendingN),
    on: await pendingHeap('on', url, minimal, pendingN),
  };
  log(`memory: ${LONG_REQUESTS.toLocaleString('en-US')} requests (noex, 128 in flight)`);
  const long = await longRun(url, LONG_REQUESTS);
  await minimal.stop();

  for (const placement of PLACEMENTS) {
    const placed = cells.get(placement)!;
    const pinned = placement === 'pinned';
    const rows = requests.requestRows(
      placed,
      pinned ? ['rps', 'p99'] : ['rps'],
      verdicts,
      `, ${placement}`,
    );
    if (pinned) {
      rows.push(...requests.batchedFloorRows(placed), ...validationRows(placed, verdicts));
      rows.push(...sections.overheadRows(overhead));
    }
    out.push(
      `## Requests, ${placement}${pinned ? ' (client on core 0, server on core 1)' : ' (client and server on any core)'}\n\n${requests.requestTable(rows)}`,
    );
  }
  writeFileSync(join(ROOT, 'bench/throughput.svg'), throughputChart(cells));
  out.push(
    `![store.get req/s against requests in flight: ceiling, floor, noex-client](throughput.svg)`,
    `## Push delivery\n\n${sections.pushSection(pushes, verdicts)}`,
    `## Start-up\n\n${sections.startupSection({ imports, typebox }, verdicts)}`,
    `## Browser bundle\n\n${sections.bundleSection(bundle, verdicts)}`,
    `## Memory\n\n${sections.memorySection(
      {
        scale: points,
        empty,
        restoreHeap: heldByRestore,
        pending,
        breakdown: groups,
        breakdownN,
        long: { ...long, total: LONG_REQUESTS, growthLimit: 512 * 1024 },
      },
      verdicts,
    )}`,
  );
  writeFileSync(join(ROOT, 'bench/restore.svg'), restoreChart(points));
  out.push(
    `## Restore after a reconnect\n\n${sections.restoreSection(points, heldByRestore, verdicts)}\n\n![restore time against subscriptions](restore.svg)`,
  );

  let real = 'Skipped (BENCH_REAL=0).';
  if (RUN_REAL) {
    log('real noex-server');
    place(PLACEMENTS[0]!);
    real = await realServer({
      repeats: 3,
      durationMs: DURATION,
      warmupMs: WARMUP,
      pushN: 1_000,
      restoreN: 1_000,
      report: log,
    });
  }
  out.push(`## Real noex-server\n\n${real}`);

  const cpu = cpus();
  const seconds = (performance.now() - startedAt) / 1000;
  const report = `# noex-client benchmark

- Date: ${new Date().toISOString()}
- CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}
- Node: ${process.version} (${process.platform} ${process.arch}), client run with --expose-gc
- Load average (1 min) at start / end: ${loadAtStart.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} — the machine is shared; other work on its cores shows up as noise
- Placements: ${CAN_PIN ? 'pinned (client on core 0, server on core 1, taskset) and unpinned (both on any core), alternating within each repeat' : 'unpinned only (no taskset or one core)'}
- Run: \`npm run bench\`, ${seconds.toFixed(0)} s in all; every throughput cell is ${WARMUP} ms warm-up + ${DURATION} ms measured, closed loop, ${REPEATS} interleaved repeats: req/s and CPU are the median of the repeats and each ratio to L2 the median of the per-repeat ratios (cells of a repeat run back to back); p50 and p99 come from the latencies of all repeats pooled; compression off; loopback only.

Levels: **L1** bare \`ws\`, pre-serialised request echoed with a pre-serialised result (no JSON on the client);
**L2** the JSON floor (bench/clients.ts: JSON encode/decode and an id → promise map; subscriptions id → callback);
**noex** \`client.store.bucket('users').get('k')\` / \`.insert({...})\` through the generated API of the built package, result validation 'report' (default) and 'off'.
Server: bench/server.ts, plain \`ws\` in its own process, fixed answers. Latency in ms; CPU = process.cpuUsage() of the client process.

${verdicts.summary()}

${out.join('\n\n')}
`;
  writeFileSync(join(ROOT, 'bench/RESULTS.md'), report);
  console.log(`\n${report}`);
  log(`wrote bench/RESULTS.md (${fmt.int(seconds)} s)`);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const server of servers) await server.stop().catch(() => {});
}
process.exit(exitCode);

/** store.get req/s by in-flight count: each level pinned, and the floor and noex unpinned (dashed). */
function throughputChart(cells: Map<Placement, import('./requests.js').Cells>): string {
  const series = (placement: Placement, level: Level, name: string, colour: string) => ({
    name: placement === 'pinned' ? name : `${name}, unpinned`,
    colour,
    dashed: placement === 'unpinned',
    points: requests.IN_FLIGHT.map((k): [number, number] => [
      k,
      requests.cell(cells.get(placement)!, level, 'get', k)?.rps ?? NaN,
    ]),
  });
  return lineChart({
    title: 'store.get throughput against requests in flight',
    xLabel: 'requests in flight',
    yLabel: 'requests per second',
    xTicks: [...requests.IN_FLIGHT],
    series: PLACEMENTS.flatMap((p) => [
      series(p, 'L1', 'L1 ws ceiling', COLOURS.ceiling),
      series(p, 'L2', 'L2 JSON floor', COLOURS.floor),
      series(p, 'on', 'noex-client', COLOURS.noex),
    ]).filter((line) => line.points.some(([, rps]) => Number.isFinite(rps))),
  });
}

function restoreChart(points: import('./scale.js').ScalePoint[]): string {
  return lineChart({
    title: 'Restoring subscriptions after a reconnect',
    xLabel: 'active subscriptions',
    yLabel: 'ms (log scale)',
    xTicks: points.map((p) => p.n),
    yLog: true,
    series: [
      {
        name: 'floor: pipelined',
        colour: COLOURS.floor,
        points: points.map((p) => [p.n, p.floorMs]),
      },
      {
        name: 'noex-client restore',
        colour: COLOURS.noex,
        points: points.map((p) => [p.n, p.restoreMs]),
      },
    ],
  });
}
