/**
 * noex-client as users run it: the built dist/, built once when this module
 * loads (the TypeScript sources under tsx carry per-closure naming helpers
 * that are not in the published code). Child processes of the bench find it
 * built (NOEX_BENCH_BUILT) and do not build it again.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib.js';

if (!process.env.NOEX_BENCH_BUILT) {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('bench: npm run build failed');
  process.env.NOEX_BENCH_BUILT = '1';
}

const load = <T>(path: string) => import(join(ROOT, 'dist', path)) as Promise<T>;

export const { NoexClient } = await load<typeof import('../index.js')>('index.js');
export const { writeBatcher } = await load<typeof import('../runtime/node.js')>('runtime/node.js');
export const { validators } =
  await load<typeof import('../generated/validators.js')>('generated/validators.js');
export type NoexClient = import('../index.js').NoexClient;
