/**
 * The browser bundle of an app that uses the client (`import { NoexClient }`
 * from the built package; esbuild, ESM, minified, gzip -9): as one file, and with code splitting
 * (the entry and what it imports statically, then the chunks loaded only
 * when used); what each lazily loaded module adds to the single file; and
 * whether any `ws` code made it in.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './lib.js';

export const OUT = join(ROOT, 'bench/.out');

/** The app: the built package through its exports map and `browser` field, as a bundler resolves it. */
const APP = "export { NoexClient } from 'noex-client';";

/** The app's file name: the entry point of its bundle (every chunk a dynamic import starts is one too). */
const APP_FILE = 'app.ts';

/** Tell-tale strings of the `ws` package's code. */
const WS_MARKERS = [
  'Sec-WebSocket-Key',
  'permessage-deflate',
  'WebSocketServer',
  'Invalid WebSocket frame',
];

const gzip = (code: Buffer) => gzipSync(code, { level: 9 }).length;

/** Replaces modules (by path from the root) with the given code: what the bundle would weigh without them. */
const stubbed = (stubs: Record<string, string>): Plugin => ({
  name: 'stubbed',
  setup(build) {
    build.onLoad({ filter: /\.[jt]s$/ }, (args) => {
      const contents = stubs[relative(ROOT, args.path)];
      return contents === undefined ? null : { contents, loader: 'ts' };
    });
  },
});

async function bundleApp(outdir: string, splitting: boolean, plugins: Plugin[] = []) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    stdin: { contents: APP, resolveDir: ROOT, loader: 'ts', sourcefile: APP_FILE },
    // The project's tsconfig maps `noex-client` to its sources: an app resolves the package instead.
    tsconfigRaw: {},
    bundle: true,
    splitting,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  return (result.metafile as Metafile).outputs;
}

export interface BundleFigures {
  /** One file, every dynamic import inlined: min+gzip and min bytes. */
  singleGzip: number;
  singleMin: number;
  /** With splitting: the entry chunk alone, and with the chunks it imports statically (what loads at start). */
  entryGzip: number;
  initialGzip: number;
  initialMin: number;
  /** Each chunk loaded only when used, by the module its dynamic import names, min+gzip bytes. */
  lazyChunks: [string, number][];
  /** What-ifs: min+gzip bytes the single file loses without each lazily loaded module (the validators among them) and without all of them. */
  singleWithout: [string, number][];
  /** `ws` inputs with bytes in any output, and its tell-tale strings found (both must be empty). */
  wsInputs: string[];
  wsMarkers: string[];
}

export async function bundleFigures(): Promise<BundleFigures> {
  const wsInputs = new Set<string>();
  const wsMarkers = new Set<string>();
  const read = (path: string, inputs: Metafile['outputs'][string]['inputs']) => {
    const code = readFileSync(join(ROOT, path));
    for (const [input, { bytesInOutput }] of Object.entries(inputs))
      if (/(^|\/)node_modules\/ws\//.test(input) && bytesInOutput > 0) wsInputs.add(input);
    const text = code.toString('utf8');
    for (const marker of WS_MARKERS) if (text.includes(marker)) wsMarkers.add(marker);
    return code;
  };

  const split = await bundleApp(join(OUT, 'app-split'), true);
  const js = Object.entries(split).filter(([path]) => path.endsWith('.js'));
  const entry = js.find(([, output]) => output.entryPoint === APP_FILE)![0];
  const initial = new Set([entry]);
  for (const path of initial)
    for (const imported of split[path]!.imports)
      if (imported.kind === 'import-statement') initial.add(imported.path);
  const figures: BundleFigures = {
    singleGzip: 0,
    singleMin: 0,
    entryGzip: 0,
    initialGzip: 0,
    initialMin: 0,
    lazyChunks: [],
    singleWithout: [],
    wsInputs: [],
    wsMarkers: [],
  };
  for (const [path, output] of js) {
    const code = read(path, output.inputs);
    if (path === entry) figures.entryGzip = gzip(code);
    if (initial.has(path)) {
      figures.initialGzip += gzip(code);
      figures.initialMin += code.length;
    } else if (code.length > 0) {
      // A chunk loaded later starts from the module a dynamic import names, or is shared by such chunks.
      const shared = () => `shared by lazy chunks: ${Object.keys(output.inputs).join(' ')}`;
      figures.lazyChunks.push([output.entryPoint ?? shared(), gzip(code)]);
    }
  }

  const singleFile = async (name: string, stubs: Record<string, string> = {}) => {
    const outputs = await bundleApp(join(OUT, name), false, [stubbed(stubs)]);
    const [path, output] = Object.entries(outputs).find(([p]) => p.endsWith('.js'))!;
    return read(path, output.inputs);
  };
  const single = await singleFile('app-single');
  figures.singleGzip = gzip(single);
  figures.singleMin = single.length;
  const empty = (modules: string[]) => Object.fromEntries(modules.map((m) => [m, 'export {};']));
  const without = async (modules: string[]) =>
    figures.singleGzip - gzip(await singleFile('app-single-what-if', empty(modules)));
  // A module that other lazy code imports by name (the validators' building blocks) cannot be left out alone.
  const alone: string[] = [];
  for (const [module] of figures.lazyChunks) {
    if (module.startsWith('shared')) continue;
    const bytes = await without([module]).catch(() => undefined);
    if (bytes === undefined) continue;
    alone.push(module);
    figures.singleWithout.push([module, bytes]);
  }
  figures.singleWithout.push(['all of them', await without(alone)]);
  figures.wsInputs = [...wsInputs];
  figures.wsMarkers = [...wsMarkers];
  return figures;
}
