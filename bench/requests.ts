/**
 * The request cells: store.get and store.insert at 1, 16 and 128 in flight,
 * from each level's client, interleaved, pinned and unpinned (see place in
 * lib.ts); medians and per-repeat ratios to the floor.
 */
import { ECHO_REQUEST, NEW_USER } from './fixtures.js';
import { FloorClient, RawClient, withBatchedWrites } from './clients.js';
import { NoexClient, writeBatcher } from './dist.js';
import {
  closedLoop,
  median,
  medianOf,
  place,
  type LoopResult,
  type Placement,
  type ServerInfo,
  type ServerProcess,
} from './lib.js';
import { fmt, markdownTable, type Verdicts } from './table.js';

export const IN_FLIGHT = [1, 16, 128] as const;

/** L1 the ceiling, L2 the floor, L2b the floor with its writes batched as noex batches them, on/off noex with result validation on (the default) and off. */
export type Level = 'L1' | 'L2' | 'L2b' | 'on' | 'off';
export type Op = 'get' | 'insert';

interface Variant {
  level: Level;
  op: Op;
  send: () => Promise<unknown>;
}

export interface Levels {
  variants: Variant[];
  close(): Promise<void>;
}

/** One connection per level; `key` is the record store.get asks for. Only `levels` are measured. */
export async function connectLevels(
  info: ServerInfo,
  levels: readonly Level[],
  report: (line: string) => void,
): Promise<Levels> {
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
    client.on('error', (error) => report(`client error: ${error.message}`));
  await Promise.all([on.connect(), off.connect()]);
  const usersOn = on.store.bucket('users');
  const usersOff = off.store.bucket('users');
  const getPayload = { bucket: 'users', key };
  const insertPayload = { bucket: 'users', data: NEW_USER };
  const variants: Variant[] = [
    { level: 'L1', op: 'get', send: () => raw.send(rawFrame) },
    { level: 'L2', op: 'get', send: () => floor.request('store.get', getPayload) },
    { level: 'L2b', op: 'get', send: () => floorBatched.request('store.get', getPayload) },
    { level: 'on', op: 'get', send: () => usersOn.get(key) },
    { level: 'off', op: 'get', send: () => usersOff.get(key) },
    { level: 'L2', op: 'insert', send: () => floor.request('store.insert', insertPayload) },
    { level: 'on', op: 'insert', send: () => usersOn.insert(NEW_USER) },
    { level: 'off', op: 'insert', send: () => usersOff.insert(NEW_USER) },
  ];
  return {
    variants: variants.filter((variant) => levels.includes(variant.level)),
    async close() {
      await Promise.all([
        raw.close(),
        floor.close(),
        floorBatched.close(),
        on.disconnect(),
        off.disconnect(),
      ]);
    },
  };
}

/** Medians per cell, and every repeat of it (for ratios taken repeat by repeat). */
export interface Cells {
  medians: Map<string, LoopResult>;
  runs: Map<string, LoopResult[]>;
}
const cellKey = (level: Level, op: Op, k: number) => `${level}/${op}/${k}`;

export interface ThroughputPlan {
  repeats: number;
  durationMs: number;
  warmupMs: number;
  /** The levels measured in each placement; placements run in turn within each repeat. */
  levels: Partial<Record<Placement, readonly Level[]>>;
  report: (line: string) => void;
}

/** Every variant at every in-flight count, `repeats` times, interleaved; medians per placement. */
export async function throughput(
  levels: Levels,
  server: ServerProcess,
  plan: ThroughputPlan,
): Promise<Map<Placement, Cells>> {
  // JIT warm-up of every path.
  for (const variant of levels.variants) await closedLoop(variant.send, 16, 150, 50);
  const placements = Object.keys(plan.levels) as Placement[];
  const runs = new Map(placements.map((p) => [p, new Map<string, LoopResult[]>()]));
  for (let rep = 0; rep < plan.repeats; rep++) {
    for (const placement of placements) {
      place(placement);
      const variants = levels.variants.filter((v) => plan.levels[placement]!.includes(v.level));
      for (const k of IN_FLIGHT) {
        // Rotate the order each repeat so that no level always runs first.
        const order = variants.map((_, i) => variants[(i + rep) % variants.length]!);
        for (const variant of order) {
          const result = await closedLoop(variant.send, k, plan.durationMs, plan.warmupMs, server);
          const key = cellKey(variant.level, variant.op, k);
          const cell = runs.get(placement)!;
          cell.set(key, [...(cell.get(key) ?? []), result]);
        }
      }
    }
    plan.report(`throughput: repeat ${rep + 1}/${plan.repeats} done`);
  }
  return new Map(
    [...runs].map(([placement, cells]) => [
      placement,
      {
        medians: new Map([...cells].map(([key, results]) => [key, medianOf(results)])),
        runs: cells,
      },
    ]),
  );
}

export type Metric = 'rps' | 'p50' | 'p99' | 'cpuPerReq';

export const cell = (cells: Cells, level: Level, op: Op, k: number) =>
  cells.medians.get(cellKey(level, op, k));

/**
 * Rates and CPU: the median over repeats of `level`'s figure ÷ L2's in the same
 * repeat (cells of one repeat run back to back, so drift in the machine's load
 * cancels out of each ratio). Latency quantiles: the ratio of the quantiles of
 * every repeat's samples pooled, as a tail figure needs (see medianOf).
 */
export function pairedRatio(cells: Cells, level: Level, op: Op, k: number, metric: Metric): number {
  if (metric === 'p50' || metric === 'p99')
    return cell(cells, level, op, k)![metric] / cell(cells, 'L2', op, k)![metric];
  const mine = cells.runs.get(cellKey(level, op, k)) ?? [];
  const floor = cells.runs.get(cellKey('L2', op, k)) ?? [];
  const ratios = mine.map((run, i) => run[metric] / floor[i]![metric]).filter(Number.isFinite);
  return ratios.length ? median(ratios) : NaN;
}

/** Each figure's label, format and target (a bound on noex ÷ L2), in table order. */
const METRICS: {
  metric: Metric;
  label: (op: Op, k: number) => string;
  format: (v: number) => string;
  target?: { text: string; name: (op: Op, k: number) => string; ok: (ratio: number) => boolean };
}[] = [
  {
    metric: 'rps',
    label: (op, k) => `store.${op} req/s @${k} in flight`,
    format: fmt.int,
    target: {
      text: '≥ 0.95×',
      name: (op, k) => `store.${op} throughput @${k} ≥ 0.95 × L2`,
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
      name: (op, k) => `store.${op} p99 @${k} ≤ 1.1 × L2`,
      ok: (r) => r <= 1.1,
    },
  },
  { metric: 'cpuPerReq', label: (op, k) => `store.${op} client CPU µs/req @${k}`, format: fmt.us },
];

export const REQUEST_HEADER = [
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

/**
 * The request table: every metric of both operations at every in-flight count.
 * Targets on the metrics in `judged` are recorded in `verdicts` with `suffix`.
 */
export function requestRows(
  cells: Cells,
  judged: readonly Metric[],
  verdicts: Verdicts | undefined,
  suffix = '',
): string[][] {
  const rows: string[][] = [];
  const figure = (result: LoopResult | undefined, format: (v: number) => string, m: Metric) =>
    result ? format(result[m]) : '—';
  for (const op of ['get', 'insert'] as Op[]) {
    for (const { metric, label, format, target } of METRICS) {
      for (const k of IN_FLIGHT) {
        const [l1, l2, on, off] = (['L1', 'L2', 'on', 'off'] as Level[]).map((level) =>
          cell(cells, level, op, k),
        );
        if (!l2 || !on) continue;
        const onRatio = pairedRatio(cells, 'on', op, k, metric);
        const judge = verdicts && target && judged.includes(metric) ? target : undefined;
        rows.push([
          label(op, k),
          figure(l1, format, metric),
          format(l2[metric]),
          format(on[metric]),
          figure(off, format, metric),
          fmt.ratio(onRatio),
          off ? fmt.ratio(pairedRatio(cells, 'off', op, k, metric)) : '—',
          judge ? judge.text : '',
          judge ? verdicts!.judge(judge.name(op, k) + suffix, judge.ok(onRatio)) : '',
        ]);
      }
    }
    const [l1, l2, on, off] = (['L1', 'L2', 'on', 'off'] as Level[]).map((level) =>
      cell(cells, level, op, 128),
    );
    if (l2 && on)
      rows.push([
        `store.${op} server CPU (share of a core) @128`,
        l1 ? fmt.pct(l1.serverCpu) : '—',
        fmt.pct(l2.serverCpu),
        fmt.pct(on.serverCpu),
        off ? fmt.pct(off.serverCpu) : '—',
        ...['', '', '', ''],
      ]);
  }
  return rows;
}

/** What write batching alone does to the floor: L2b beside L2 (the tail at 128 in flight moves with it; bench/tail.ts). */
export function batchedFloorRows(cells: Cells): string[][] {
  const rows: string[][] = [];
  for (const [metric, k, label, format] of [
    ['rps', 16, 'req/s @16 in flight', fmt.int],
    ['rps', 128, 'req/s @128 in flight', fmt.int],
    ['p99', 128, 'p99 ms @128', fmt.ms],
  ] as const) {
    const batched = cell(cells, 'L2b', 'get', k);
    const floor = cell(cells, 'L2', 'get', k);
    if (!batched || !floor) continue;
    rows.push([
      `store.get ${label}, L2 with its writes batched as noex batches them (in the noex column; no target)`,
      '',
      format(floor[metric]),
      format(batched[metric]),
      '',
      fmt.ratio(pairedRatio(cells, 'L2b', 'get', k, metric)),
      ...['', '', ''],
    ]);
  }
  return rows;
}

export const requestTable = (rows: string[][]) => markdownTable(REQUEST_HEADER, rows);
