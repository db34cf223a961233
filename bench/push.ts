/**
 * Push delivery: pushes per second from the server into a subscription's
 * callback, for the ceiling (frames counted), the floor and noex-client,
 * interleaved, pinned and unpinned; noex ÷ floor as the median of the
 * per-repeat ratios.
 */
import { FloorClient, RawClient } from './clients.js';
import { NoexClient } from './dist.js';
import { median, place, type Placement, type ServerProcess } from './lib.js';

export type PushLevel = 'L1' | 'L2' | 'on';

/** What to subscribe to: the minimal server pushes query results, the real one rule events. */
export interface PushSource {
  type: 'store.subscribe' | 'rules.subscribe';
  payload: Record<string, unknown>;
}

export const QUERY_PUSHES: PushSource = {
  type: 'store.subscribe',
  payload: { query: 'all-users' },
};

async function pushRun(
  level: PushLevel,
  url: string,
  server: ServerProcess,
  source: PushSource,
  n: number,
): Promise<number> {
  let count = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const onPush = () => {
    if (++count === n) done();
  };
  // A query subscription delivers its current result first: that one is not a push.
  let initial = source.type === 'store.subscribe';
  const callback = () => (initial ? (initial = false) : onPush());
  let close: () => Promise<void> | void;
  if (level === 'L1') {
    const raw = await RawClient.connect(url);
    await raw.send(JSON.stringify({ id: 1, type: source.type, ...source.payload }));
    raw.onCount = onPush;
    close = () => raw.close();
  } else if (level === 'L2') {
    const floor = await FloorClient.connect(url);
    await floor.subscribe(source.type, source.payload, callback);
    close = () => floor.close();
  } else {
    const client = new NoexClient(url);
    await client.connect();
    if (source.type === 'store.subscribe')
      await client.store.subscribe(source.payload.query as string, callback);
    else await client.rules.subscribe(source.payload.pattern as string, callback);
    close = () => client.disconnect();
  }
  const t0 = performance.now();
  await server.command('push', { n });
  await finished;
  const elapsed = performance.now() - t0;
  await close();
  return (n / elapsed) * 1000;
}

export interface PushFigures {
  /** Median pushes/s of each level measured. */
  rates: Partial<Record<PushLevel, number>>;
  /** noex ÷ L2, the median of the per-repeat ratios. */
  ratio: number;
}

export interface PushPlan {
  levels: readonly PushLevel[];
  placements: readonly Placement[];
  repeats: number;
  n: number;
  source: PushSource;
}

/** Each placement's push figures; levels rotated each repeat so that none always runs first. */
export async function push(
  url: string,
  server: ServerProcess,
  plan: PushPlan,
): Promise<Map<Placement, PushFigures>> {
  const { levels, source } = plan;
  for (const level of levels) await pushRun(level, url, server, source, 2_000); // warm-up
  const runs = new Map(
    plan.placements.map((p) => [p, new Map(levels.map((l) => [l, [] as number[]]))]),
  );
  for (let rep = 0; rep < plan.repeats; rep++) {
    for (const placement of plan.placements) {
      place(placement);
      for (let i = 0; i < levels.length; i++) {
        const level = levels[(i + rep) % levels.length]!;
        runs
          .get(placement)!
          .get(level)!
          .push(await pushRun(level, url, server, source, plan.n));
      }
    }
  }
  const figures = new Map<Placement, PushFigures>();
  for (const [placement, byLevel] of runs) {
    const floor = byLevel.get('L2')!;
    figures.set(placement, {
      rates: Object.fromEntries([...byLevel].map(([level, rates]) => [level, median(rates)])),
      ratio: median(byLevel.get('on')!.map((on, i) => on / floor[i]!)),
    });
  }
  return figures;
}
