/**
 * Start-up: what importing noex-client costs a fresh Node process against
 * importing `ws` alone, and which modules an import or a CLI call loads
 * (TypeBox must not be among them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT } from './lib.js';

const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

/** A module for `--import` that appends the URL of every module resolved to the file in NOEX_TRACE_MODULES. */
const TRACE_MODULES = dataUrl(
  `import { register } from 'node:module'; register(${JSON.stringify(
    dataUrl(`import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.NOEX_TRACE_MODULES, resolved.url + '\\n');
  return resolved;
}`),
  )});`,
);

export interface Loaded {
  /** Every ES module resolved (file: URLs and node: built-ins), once each. */
  modules: string[];
  /** CommonJS files required (the keys of require.cache at exit). */
  required: string[];
  stdout: string;
}

/**
 * Runs `node <args>` in `cwd` and lists the modules it loaded: ES modules
 * through a resolve hook, CommonJS files from require.cache at exit.
 */
export function modulesLoaded(args: string[], cwd = ROOT): Loaded {
  const dir = mkdtempSync(join(tmpdir(), 'noex-modules-'));
  const trace = join(dir, 'modules.txt');
  const cache = join(dir, 'require-cache.json');
  const dumpCache = dataUrl(
    `import { createRequire } from 'node:module'; import { writeFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(join(cwd, 'noop.js'))});
process.on('exit', () => writeFileSync(${JSON.stringify(cache)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  try {
    const stdout = execFileSync(
      process.execPath,
      ['--import', TRACE_MODULES, '--import', dumpCache, ...args],
      {
        cwd,
        env: { ...process.env, NODE_OPTIONS: '', NOEX_TRACE_MODULES: trace },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).toString();
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    const modules = [...new Set(read(trace).split('\n').filter(Boolean))];
    const required = JSON.parse(read(cache) || '[]') as string[];
    return { modules, required, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of the `typebox` package among what was loaded. */
export const typeboxFiles = (loaded: Loaded) =>
  [...loaded.modules, ...loaded.required].filter((path) =>
    /[/\\]node_modules[/\\]typebox[/\\]/.test(path),
  );

export interface ImportCost {
  /** ms for `await import(x)` in a fresh process, median over the pairs. */
  noexMs: number;
  wsMs: number;
  /** ms from spawning the process to its exit, median. */
  noexProcessMs: number;
  wsProcessMs: number;
  /** noex ÷ ws: the median of the ratios of each pair (import() time). */
  ratio: number;
  pairs: number;
}

/**
 * `import('noex-client')` (the built dist, through the package's exports) and
 * `import('ws')`, each in a fresh Node process, alternating, `pairs` times.
 */
export function importCost(pairs = 11): ImportCost {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const time = (specifier: string): [number, number] => {
    const t0 = performance.now();
    const inside = Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script, specifier], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
      }).toString(),
    );
    return [inside, performance.now() - t0];
  };
  const noex: [number, number][] = [];
  const ws: [number, number][] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so that neither always follows the other.
    if (i % 2) {
      ws.push(time('ws'));
      noex.push(time('noex-client'));
    } else {
      noex.push(time('noex-client'));
      ws.push(time('ws'));
    }
  }
  const at = (runs: [number, number][], i: 0 | 1) => median(runs.map((run) => run[i]));
  return {
    noexMs: at(noex, 0),
    wsMs: at(ws, 0),
    noexProcessMs: at(noex, 1),
    wsProcessMs: at(ws, 1),
    ratio: median(noex.map((run, i) => run[0] / ws[i]![0])),
    pairs,
  };
}
