/** The sections of bench/RESULTS.md after the request cells: each turns its figures into a table and judges its targets. */
import type { HeapGroup } from './heap-breakdown.js';
import type { LongRun } from './memory.js';
import type { Overhead } from './overhead.js';
import type { PushFigures } from './push.js';
import type { RestoreHeap, ScalePoint } from './scale.js';
import type { BundleFigures } from './size.js';
import type { ImportCost } from './startup.js';
import { figureTable, fmt, markdownTable, type Figure, type Verdicts } from './table.js';
import type { Placement } from './lib.js';

const n = (v: number) => v.toLocaleString('en-US');

export function pushSection(figures: Map<Placement, PushFigures>, verdicts: Verdicts): string {
  const rows: Figure[] = [...figures].map(([placement, { rates, ratio }]) => ({
    figure: `push delivery, ${placement}: pushes/s into callbacks (3-record array; ceiling ${fmt.int(rates.L1 ?? NaN)}/s)`,
    floor: fmt.int(rates.L2!),
    noex: fmt.int(rates.on!),
    ratio,
    target: '≥ 0.95×',
    ok: ratio >= 0.95,
  }));
  return figureTable(rows, verdicts, 'L2 floor');
}

export interface StartupFigures {
  imports: ImportCost;
  /** TypeBox files loaded by each check (import, require, CLI calls). */
  typebox: [what: string, files: number, modules: number][];
}

export function startupSection({ imports, typebox }: StartupFigures, verdicts: Verdicts): string {
  const rows: Figure[] = [
    {
      figure: `\`await import(x)\` in a fresh Node process, ms (median of ${imports.pairs} alternating pairs; ratio: median of per-pair ratios)`,
      floor: fmt.ms(imports.wsMs),
      noex: fmt.ms(imports.noexMs),
      ratio: imports.ratio,
      target: '≤ 1.3×',
      ok: imports.ratio <= 1.3,
    },
    {
      figure: 'the same, spawn to exit of the process, ms (context)',
      floor: fmt.ms(imports.wsProcessMs),
      noex: fmt.ms(imports.noexProcessMs),
      ratio: imports.noexProcessMs / imports.wsProcessMs,
    },
    ...typebox.map(([what, files, modules]): Figure => ({
      figure: `TypeBox files loaded by ${what} (of ${n(modules)} modules loaded)`,
      noex: String(files),
      target: 'none',
      ok: files === 0,
    })),
  ];
  return figureTable(rows, verdicts, '`ws` alone');
}

export function bundleSection(b: BundleFigures, verdicts: Verdicts): string {
  const wsFree = b.wsInputs.length === 0 && b.wsMarkers.length === 0;
  const kb = (bytes: number) => `${fmt.kb(bytes)} (${n(bytes)} B)`;
  const rows: Figure[] = [
    {
      figure: `browser bundle of an app using the client (\`import { NoexClient }\`), one file, min+gzip (min ${fmt.kb(b.singleMin)})`,
      noex: kb(b.singleGzip),
      target: '≤ 12 KB',
      ok: b.singleGzip <= 12 * 1024,
    },
    {
      figure: `the same with code splitting: what loads at start, the entry chunk and the chunks it imports statically, min+gzip (min ${fmt.kb(b.initialMin)})`,
      noex: kb(b.initialGzip),
      target: '≤ 10 KB',
      ok: b.initialGzip <= 10 * 1024,
    },
    {
      figure: '… of which the entry chunk alone',
      noex: kb(b.entryGzip),
    },
    {
      figure: `chunks loaded only when used: ${b.lazyChunks.map(([m, bytes]) => `${m} ${n(bytes)} B`).join(', ')}`,
      noex: kb(b.lazyChunks.reduce((sum, [, bytes]) => sum + bytes, 0)),
    },
    ...b.singleWithout.map(([what, bytes]): Figure => ({
      figure: `what-if (measured, not shipped): the one file without ${what}`,
      noex: `−${n(bytes)} B → ${kb(b.singleGzip - bytes)}`,
    })),
    {
      figure: `\`ws\` code in the browser bundles (inputs: ${b.wsInputs.length}, markers: ${b.wsMarkers.join(', ') || 'none'})`,
      noex: wsFree ? 'none' : 'present',
      target: 'none',
      ok: wsFree,
    },
  ];
  return figureTable(rows, verdicts);
}

export interface MemoryFigures {
  scale: ScalePoint[];
  /** Heap bytes per subscription when the query's result is null. */
  empty: { n: number; L2: number; on: number };
  restoreHeap: RestoreHeap & { n: number };
  pending: { n: number; L2: number; on: number };
  breakdown: HeapGroup[];
  breakdownN: number;
  long: LongRun & { total: number; growthLimit: number };
}

export function memorySection(m: MemoryFigures, verdicts: Verdicts): string {
  const first = m.scale[0]!;
  const last = m.scale.at(-1)!;
  const growth = last.heapPerSubscription.on / first.heapPerSubscription.on;
  const rows: Figure[] = m.scale.map((p) => {
    const ratio = p.heapPerSubscription.on / p.heapPerSubscription.L2;
    return {
      figure: `heap per active subscription at ${n(p.n)} subscriptions (query result: 3 records)`,
      floor: fmt.bytes(p.heapPerSubscription.L2),
      noex: fmt.bytes(p.heapPerSubscription.on),
      ratio,
      target: '≤ 2×',
      ok: ratio <= 2,
    };
  });
  rows.push({
    figure: `the same at ${n(m.empty.n)} subscriptions whose query result is \`null\`: what a subscription costs apart from the data it delivered`,
    floor: fmt.bytes(m.empty.L2),
    noex: fmt.bytes(m.empty.on),
    ratio: m.empty.on / m.empty.L2,
  });
  rows.push({
    figure: `growth of noex's heap per subscription from ${n(first.n)} to ${n(last.n)} (floor: ${fmt.ratio(last.heapPerSubscription.L2 / first.heapPerSubscription.L2)})`,
    noex: fmt.ratio(growth),
    target: '≤ 1.1×',
    ok: growth <= 1.1,
  });
  rows.push({
    figure: `heap held by ${n(m.pending.n)} pending requests`,
    floor: fmt.kb(m.pending.L2),
    noex: fmt.kb(m.pending.on),
    ratio: m.pending.on / m.pending.L2,
  });
  const { heapBefore, heapAfter, total, blocks, seconds, growthLimit } = m.long;
  const heapGrowth = heapAfter - heapBefore;
  rows.push({
    figure: `heap after ${n(total)} requests: ${fmt.kb(heapBefore)} → ${fmt.kb(heapAfter)} (${(heapGrowth / total).toFixed(2)} B/request, ${seconds.toFixed(1)} s)`,
    noex: `${heapGrowth >= 0 ? '+' : ''}${fmt.kb(heapGrowth)}`,
    target: `≤ +${fmt.kb(growthLimit)}`,
    ok: heapGrowth <= growthLimit,
  });
  // Flat: the last three tenths of the run against the three tenths after the first 100,000 requests.
  const tenths = blocks.filter(([from]) => from > total / 10);
  const early = medianOf3(tenths.slice(0, 3));
  const late = medianOf3(tenths.slice(-3));
  rows.push({
    figure: `client CPU µs/request over the same run, by window: ${blocks.map(([from, to, us]) => `${n(from)}–${n(to)}: ${fmt.us(us)}`).join('; ')}. Ratio: last 3 tenths ÷ tenths 2–4 (medians)`,
    noex: `${fmt.us(early)} → ${fmt.us(late)}`,
    ratio: late / early,
    target: '≤ 1.1×',
    ok: late / early <= 1.1,
  });
  const table = figureTable(rows, verdicts);
  const total2 = m.breakdown.reduce((sum, g) => sum + g.bytesPerSubscription, 0);
  const breakdown = markdownTable(
    [
      'what (new objects between two heap snapshots)',
      'bytes per subscription',
      'count per subscription',
    ],
    m.breakdown.map((g) => [
      g.kind,
      g.bytesPerSubscription.toFixed(1),
      Number.isFinite(g.countPerSubscription) ? g.countPerSubscription.toFixed(2) : '',
    ]),
  );
  return `${table}\n\nWhere noex-client's heap per subscription goes, at ${n(m.breakdownN)} subscriptions (bench/heap-breakdown.ts; ${total2.toFixed(0)} B in all, the subscribe() results held as an app holds them):\n\n${breakdown}`;
}

const medianOf3 = (blocks: [number, number, number][]) =>
  [...blocks.map(([, , us]) => us)].sort((a, b) => a - b)[blocks.length >> 1]!;

export function restoreSection(
  scale: ScalePoint[],
  heap: RestoreHeap & { n: number },
  verdicts: Verdicts,
): string {
  const rows: Figure[] = scale.map((p) => ({
    figure: `restore of ${n(p.n)} subscriptions, ms (noex: new socket's welcome → \`reconnected\`; floor: ${n(p.n)} subscribes pipelined on a fresh connection)`,
    floor: fmt.ms(p.floorMs),
    noex: fmt.ms(p.restoreMs),
    ratio: p.ratio,
    ...(p.n === 10_000 ? { target: '≤ 1.5×', ok: p.ratio <= 1.5 } : {}),
  }));
  rows.push({
    figure: `heap the restore of ${n(heap.n)} subscriptions holds while their answers are due (server holds them), against the subscriptions' own heap (${fmt.kb(heap.subscriptions)})`,
    floor: fmt.kb(heap.subscriptions),
    noex: fmt.kb(heap.restore),
    ratio: heap.restore / heap.subscriptions,
    target: '≤ 1×',
    ok: heap.restore <= heap.subscriptions,
  });
  rows.push({
    figure: `the same against what the floor holds while ${n(heap.n)} pipelined subscribes wait for their answers`,
    floor: fmt.kb(heap.floorPipeline),
    noex: fmt.kb(heap.restore),
    ratio: heap.restore / heap.floorPipeline,
  });
  return figureTable(rows, verdicts, 'floor / reference');
}

export function overheadRows(overhead: Overhead[]): string[][] {
  return overhead.map((row) => [
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
