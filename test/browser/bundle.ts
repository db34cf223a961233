import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Code that only the `ws` package contains: its handshake, compression and frame parser. */
export const wsMarkers = [
  'Sec-WebSocket-Key',
  'perMessageDeflate',
  'permessage-deflate',
  'Sec-WebSocket-Accept',
];

/** index.ts bundled by esbuild for the browser, as an app that uses noex-client would be (ESM). */
export async function browserBundle(): Promise<{
  code: string;
  metafile: Metafile;
  warnings: string[];
}> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { code, metafile: result.metafile, warnings: result.warnings.map((w) => w.text) };
}

/**
 * index.ts bundled with code splitting, as a bundler serves an app: the entry
 * as `/noex-client.js`, each chunk it loads by its own path.
 */
export async function splitBrowserBundle(): Promise<{
  entry: string;
  chunks: Record<string, string>;
}> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { 'noex-client': 'index.ts' },
    bundle: true,
    splitting: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outdir: '/virtual',
    write: false,
    logLevel: 'silent',
  });
  const files = Object.fromEntries(
    result.outputFiles.map((file) => [file.path.slice('/virtual'.length), file.text]),
  );
  const { ['/noex-client.js']: entry, ...chunks } = files;
  return { entry: entry!, chunks };
}
