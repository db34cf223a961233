/**
 * Against the real noex-server (skipped, with the reason, when it is not
 * installed): what the client costs on the server users run, as ratios to
 * the floor on the same server: request cells, push delivery (rule events),
 * and the restore of 1,000 subscriptions after the server restarts.
 */
import { median, ServerProcess, type Placement } from './lib.js';
import { inBatches, subscriber } from './memory.js';
import { push } from './push.js';
import { connectLevels, requestRows, throughput, REQUEST_HEADER } from './requests.js';
import { FAST_RECONNECT, floorPipeline, restore } from './scale.js';
import { fmt, markdownTable } from './table.js';

export interface RealPlan {
  repeats: number;
  durationMs: number;
  warmupMs: number;
  pushN: number;
  restoreN: number;
  report: (line: string) => void;
}

const PLACEMENT: Placement = 'pinned';

/** The section's markdown: its tables, or why it was skipped. */
export async function realServer(plan: RealPlan): Promise<string> {
  const server = await ServerProcess.start('real');
  if (typeof server === 'string') {
    const reason = `Skipped: noex-server is not installed (${server.split('\n')[0]}); see test/live/harness.ts for how to install it.`;
    plan.report(reason);
    return reason;
  }
  try {
    const { url } = server.info;
    // The restore first, while the `users` bucket (what `all-users` answers with) holds one record.
    plan.report(`real server: restore of ${plan.restoreN} subscriptions`);
    const client = await subscriber('on', url, FAST_RECONNECT);
    const unsubscribes = await inBatches(plan.restoreN, 250, client.subscribe);
    const floorRuns: number[] = [];
    const restoreRuns: number[] = [];
    for (let rep = 0; rep < plan.repeats; rep++) {
      floorRuns.push(await floorPipeline(url, plan.restoreN));
      restoreRuns.push(await restore(client.client!, server));
    }
    await client.close();
    unsubscribes.length = 0;

    plan.report('real server: push delivery (rule events)');
    const pushes = (
      await push(url, server, {
        levels: ['L2', 'on'],
        placements: [PLACEMENT],
        repeats: plan.repeats,
        n: plan.pushN,
        source: { type: 'rules.subscribe', payload: { pattern: 'bench.*' } },
      })
    ).get(PLACEMENT)!;

    plan.report('real server: request cells');
    const levels = await connectLevels(server.info, ['L2', 'on'], plan.report);
    const cells = (
      await throughput(levels, server, { ...plan, levels: { [PLACEMENT]: ['L2', 'on'] } })
    ).get(PLACEMENT)!;
    await levels.close();

    const header = [REQUEST_HEADER[0]!, 'L2 JSON floor', 'noex-client', 'noex ÷ L2'];
    const rows = requestRows(cells, [], undefined).map((row) => [
      row[0]!,
      row[2]!,
      row[3]!,
      row[5]!,
    ]);
    rows.push(
      [
        `push delivery, rule events/s into callbacks (${plan.pushN.toLocaleString('en-US')} per run)`,
        fmt.int(pushes.rates.L2!),
        fmt.int(pushes.rates.on!),
        fmt.ratio(pushes.ratio),
      ],
      [
        `restore of ${plan.restoreN.toLocaleString('en-US')} subscriptions after a server restart, ms (noex: welcome → \`reconnected\`; floor: ${plan.restoreN.toLocaleString('en-US')} subscribes pipelined on a fresh connection)`,
        fmt.ms(median(floorRuns)),
        fmt.ms(median(restoreRuns)),
        fmt.ratio(median(restoreRuns.map((ms, i) => ms / floorRuns[i]!))),
      ],
    );
    return (
      `@hamicek/noex-server ${server.info.version} in its own process, pinned as above (Store and RuleEngine started, ` +
      'NoexServer.start on 127.0.0.1; `users` bucket keyed by uuid `id`; store.get asks for a stored record, store.insert adds one each time; ' +
      'pushes are rule events emitted in the server process). ' +
      `${plan.repeats} interleaved repeats of each cell, ratios the median of per-repeat ratios; no targets: ` +
      'the real server, not the client, is the bottleneck here (see its CPU share).\n\n' +
      markdownTable(header, rows)
    );
  } finally {
    await server.stop();
  }
}
