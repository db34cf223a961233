/** What result and request validation cost: by A/B from the request cells, and timed directly. */
import { validators } from './dist.js';
import { NEW_USER, RECORD } from './fixtures.js';
import { cell, IN_FLIGHT, type Cells, type Level, type Op } from './requests.js';
import { fmt, type Verdicts } from './table.js';

/** ns per call of each validator on the bench's payloads. */
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

/** Rows of the request table (pinned cells): validation's share of the client's CPU per request. */
export function validationRows(cells: Cells, verdicts: Verdicts): string[][] {
  const rows: string[][] = [];
  const cpu = (level: Level, op: Op, k: number) => cell(cells, level, op, k)!.cpuPerReq;
  for (const op of ['get', 'insert'] as Op[]) {
    const shares = IN_FLIGHT.map((k) => (cpu('on', op, k) - cpu('off', op, k)) / cpu('on', op, k));
    // Pooled over the three in-flight counts: Σ(on − off) ÷ Σ on.
    const sum = (level: Level) => IN_FLIGHT.reduce((acc, k) => acc + cpu(level, op, k), 0);
    const share = (sum('on') - sum('off')) / sum('on');
    rows.push([
      `store.${op} validation share of client CPU/request by A/B, (on − off) ÷ on pooled over @1/@16/@128 (each: ${shares.map(fmt.pct).join(', ')}; within the noise of the cells)`,
      '',
      '',
      fmt.pct(share),
      ...['', '', '', '', ''],
    ]);
  }
  const direct = validatorCost();
  for (const op of ['get', 'insert'] as Op[]) {
    const request = direct[`store.${op} request`]!;
    const result = direct[`store.${op} result`]!;
    // Against the cheapest request measured (the largest share validation can take).
    const cheapest = Math.min(...IN_FLIGHT.map((k) => cpu('on', op, k))) * 1000;
    const share = (request + result) / cheapest;
    rows.push([
      `store.${op} validation, timed directly: request ${request.toFixed(0)} ns + result ${result.toFixed(0)} ns, as a share of the cheapest client CPU/request measured`,
      '',
      '',
      fmt.pct(share),
      ...['', '', ''],
      '≤ 5 %',
      verdicts.judge(`store.${op} validation ≤ 5 % of client CPU/request`, share <= 0.05),
    ]);
  }
  return rows;
}
