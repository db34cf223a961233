/**
 * `node --import tsx bench/profile.ts`: CPU profile of the client process at
 * the noex-client level. Bundles bench/profile-workload.ts (with a source map,
 * names kept), runs it under `node --cpu-prof`, and prints the top self-time
 * functions mapped back to runtime/, generated/ and node_modules/ sources.
 * The .cpuprofile is kept in bench/profiles/ (open it in Chrome DevTools).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib.js';

const OUT = join(ROOT, 'bench/.out');
const PROFILES = join(ROOT, 'bench/profiles');
const bundle = join(OUT, 'profile-workload.mjs');

await build({
  entryPoints: [join(ROOT, 'bench/profile-workload.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  packages: 'external',
  sourcemap: 'external',
  keepNames: false,
  outfile: bundle,
  logLevel: 'warning',
});

rmSync(PROFILES, { recursive: true, force: true });
mkdirSync(PROFILES, { recursive: true });
const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', PROFILES, bundle], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '', NOEX_BENCH_ROOT: ROOT },
});
if (run.status !== 0) process.exit(run.status ?? 1);

const file = readdirSync(PROFILES).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error('no .cpuprofile written');
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
const profile = JSON.parse(readFileSync(join(PROFILES, file), 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
const bundleUrl = `file://${bundle}`;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
let total = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)!;
  const dt = profile.timeDeltas[i] ?? 0;
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += dt;
    continue;
  }
  total += dt;
  let where = url.startsWith('file:')
    ? relative(ROOT, fileURLToPath(url))
    : url.startsWith('/')
      ? relative(ROOT, url)
      : url;
  if (url === bundleUrl && lineNumber >= 0) {
    const entry = map.findEntry(lineNumber, columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (entry?.originalSource)
      where = `${relative(ROOT, entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : resolve(OUT, entry.originalSource))}:${(entry.originalLine ?? 0) + 1}`;
  } else if (url && lineNumber >= 0) where += `:${lineNumber + 1}`;
  const key = `${functionName || '(anonymous)'}\t${where}`;
  self.set(key, (self.get(key) ?? 0) + dt);
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`\nprofile: ${relative(ROOT, join(PROFILES, file))}`);
console.log(
  `busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s; top self time (share of busy):\n`,
);
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 40));
for (const [key, us] of top) {
  const [name, where] = key.split('\t');
  console.log(`${pct(us)}  ${name!.padEnd(36)} ${where}`);
}

const byFile = new Map<string, number>();
for (const [key, us] of self) {
  const where = key.split('\t')[1]!;
  const group = where.startsWith('node_modules/')
    ? where.split('/').slice(0, 2).join('/')
    : where.startsWith('node:')
      ? 'node: internals'
      : where === ''
        ? '(native / VM)'
        : where.replace(/:\d+$/, '');
  byFile.set(group, (byFile.get(group) ?? 0) + us);
}
console.log('\nself time by file:\n');
for (const [group, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${pct(us)}  ${group}`);
