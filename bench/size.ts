/** The browser ESM bundle of the SDK: its size, what is in it, and the cost of importing it. */
import { build, type Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median, ROOT } from './lib.js';

export const OUT = join(ROOT, 'bench/.out');

export interface BundleFigures {
  file: string;
  minBytes: number;
  gzipBytes: number;
  /** Bytes of the minified output by top-level origin (runtime, generated, protocol, node_modules/typebox…). */
  byOrigin: [string, number][];
  /** Inputs from the `ws` package that made it into the output (must be none). */
  wsInputs: string[];
  /** Tell-tale strings of `ws` found in the output (must be none). */
  wsMarkers: string[];
}

const WS_MARKERS = ['Sec-WebSocket-Key', 'permessage-deflate', 'WebSocketServer', 'Invalid WebSocket frame'];

async function bundle(
  name: string,
  entry: { file: string } | { contents: string },
): Promise<BundleFigures> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [join(ROOT, entry.file)] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' } }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  const code = readFileSync(file);
  const inputs = Object.entries((result.metafile as Metafile).outputs).find(([path]) => path.endsWith('.mjs'))![1].inputs;
  const byOrigin = new Map<string, number>();
  const wsInputs: string[] = [];
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const origin = path.startsWith('node_modules/') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]!;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
    if (/(^|\/)node_modules\/ws\//.test(path) && bytesInOutput > 0) wsInputs.push(path);
  }
  const text = code.toString('utf8');
  return {
    file,
    minBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    byOrigin: [...byOrigin].filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]),
    wsInputs,
    wsMarkers: WS_MARKERS.filter((marker) => text.includes(marker)),
  };
}

/** The SDK as published (entry index.ts), and what it would be without the TypeBox schemas. */
export async function bundleFigures(): Promise<{ sdk: BundleFigures; noSchemas: BundleFigures }> {
  const sdk = await bundle('noex-client.browser.mjs', { file: 'index.ts' });
  // What-if: index.ts without `export * as schemas` and the envelope codes (both pull in TypeBox).
  const index = readFileSync(join(ROOT, 'index.ts'), 'utf8')
    .split('\n')
    .filter((line) => !/schemas|ServerErrorCode, CloseCode/.test(line))
    .join('\n');
  const noSchemas = await bundle('noex-client.no-schemas.browser.mjs', { contents: index });
  return { sdk, noSchemas };
}

/** ms to `import()` `file` in a fresh Node process, median of `runs`, against an empty module. */
export function importCost(file: string, runs = 7): { bundleMs: number; emptyMs: number } {
  const empty = join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const time = (target: string) =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(target).href], {
        env: { ...process.env, NODE_OPTIONS: '' },
      }).toString(),
    );
  const bundleRuns: number[] = [];
  const emptyRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    emptyRuns.push(time(empty));
    bundleRuns.push(time(file));
  }
  return { bundleMs: median(bundleRuns), emptyMs: median(emptyRuns) };
}
