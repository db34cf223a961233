/** The browser ESM bundle of the SDK: its size, what is in it, and the cost of importing it. */
import { build, type Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const WS_MARKERS = [
  'Sec-WebSocket-Key',
  'permessage-deflate',
  'WebSocketServer',
  'Invalid WebSocket frame',
];

async function bundle(
  name: string,
  entry: { file: string } | { contents: string },
): Promise<BundleFigures> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [join(ROOT, entry.file)] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: ROOT,
            loader: 'ts',
            sourcefile: 'entry.ts',
          },
        }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  const code = readFileSync(file);
  const inputs = Object.entries((result.metafile as Metafile).outputs).find(([path]) =>
    path.endsWith('.mjs'),
  )![1].inputs;
  const byOrigin = new Map<string, number>();
  const wsInputs: string[] = [];
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const origin = path.startsWith('node_modules/')
      ? path.split('/').slice(0, 2).join('/')
      : path.split('/')[0]!;
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

export interface AppBundleFigures {
  /** The chunks a page loads at start: the entry and what it imports statically. */
  initialGzipBytes: number;
  initialMinBytes: number;
  /** Chunks loaded only when a feature is first used (the record-schema checks of typed buckets). */
  lazyGzipBytes: number;
  /** Each chunk loaded later, by the module it starts from, min+gzip bytes. */
  lazyChunks: [string, number][];
  wsInputs: string[];
  wsMarkers: string[];
}

/**
 * What an app that uses the client pays: `import { NoexClient }` (every
 * operation, validator and runtime feature comes with it), bundled with code
 * splitting as apps are. Each chunk is gzipped on its own, as it is served.
 */
async function appBundle(): Promise<AppBundleFigures> {
  const outdir = join(OUT, 'app');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    stdin: {
      contents: "export { NoexClient } from './index.ts';",
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'app.ts',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = (result.metafile as Metafile).outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined)!;
  const initial = new Set([entry]);
  for (const path of initial) {
    for (const imported of outputs[path]!.imports) {
      if (imported.kind === 'import-statement') initial.add(imported.path);
    }
  }
  const figures: AppBundleFigures = {
    initialGzipBytes: 0,
    initialMinBytes: 0,
    lazyGzipBytes: 0,
    lazyChunks: [],
    wsInputs: [],
    wsMarkers: [],
  };
  for (const [path, output] of Object.entries(outputs)) {
    if (!path.endsWith('.js')) continue;
    const code = readFileSync(join(ROOT, path));
    const gzipped = gzipSync(code, { level: 9 }).length;
    if (initial.has(path)) {
      figures.initialGzipBytes += gzipped;
      figures.initialMinBytes += code.length;
    } else {
      figures.lazyGzipBytes += gzipped;
      if (code.length > 0) {
        const main = Object.entries(output.inputs).sort(
          (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
        )[0];
        figures.lazyChunks.push([main ? main[0] : path, gzipped]);
      }
    }
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (/(^|\/)node_modules\/ws\//.test(input) && bytesInOutput > 0) figures.wsInputs.push(input);
    }
    const text = code.toString('utf8');
    figures.wsMarkers.push(...WS_MARKERS.filter((marker) => text.includes(marker)));
  }
  return figures;
}

/** What an app pays for the client, and the whole published entry (index.ts, TypeBox schemas included). */
export async function bundleFigures(): Promise<{ app: AppBundleFigures; sdk: BundleFigures }> {
  const app = await appBundle();
  const sdk = await bundle('noex-client.browser.mjs', { file: 'index.ts' });
  return { app, sdk };
}

/** ms to `import()` `file` in a fresh Node process, median of `runs`, against an empty module. */
export function importCost(file: string, runs = 7): { bundleMs: number; emptyMs: number } {
  const empty = join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const time = (target: string) =>
    Number(
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', script, pathToFileURL(target).href],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      ).toString(),
    );
  const bundleRuns: number[] = [];
  const emptyRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    emptyRuns.push(time(empty));
    bundleRuns.push(time(file));
  }
  return { bundleMs: median(bundleRuns), emptyMs: median(emptyRuns) };
}
