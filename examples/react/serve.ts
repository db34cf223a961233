/**
 * Serves the live todo list: bundles app.tsx with esbuild and serves it with
 * an in-process stand-in for noex-server, or against NOEX_URL when set (the
 * `todos` bucket and query are defined there when missing).
 *
 *   npm run example:react                  # then open the URL it prints
 *   NOEX_URL=ws://localhost:8080 PORT=3000 npm run example:react
 */
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NoexClient } from '../../index.js';
import { startTodoStandIn } from './stand-in.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** app.tsx and React in one browser module. */
export async function bundleApp(): Promise<{ code: string; warnings: string[] }> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['examples/react/app.tsx'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, warnings: result.warnings.map((w) => w.text) };
}

export const pageHtml = (noexUrl: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="noex-url" content="${noexUrl}">
<title>noex live todos</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
  .badge { font-size: .8rem; padding: .1rem .5rem; border-radius: 1rem; background: #eee; vertical-align: middle; }
  .badge[data-state="connected"] { background: #d6f5d6; }
  .badge[data-state="reconnecting"] { background: #fde8b4; }
  .status { color: #8a5a00; min-height: 1.5em; }
  ul { padding-left: 0; list-style: none; }
  .activity { color: #666; font-size: .9rem; }
</style></head>
<body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`;

/** Defines what the app uses on a real server, unless it is there. */
async function prepare(noexUrl: string): Promise<void> {
  await using client = new NoexClient(noexUrl);
  await client.connect();
  if (!(await client.store.buckets()).names.includes('todos')) {
    await client.store.defineBucket('todos', {
      key: 'id',
      schema: {
        id: { type: 'string', generated: 'uuid' },
        title: { type: 'string', required: true },
        done: { type: 'boolean', default: false },
      },
    });
  }
  if (!(await client.store.listQueries()).queries.some((query) => query.name === 'todos')) {
    await client.store.defineQuery('todos', { bucket: 'todos', sort: { _createdAt: 'asc' } });
  }
}

/** Starts the page's HTTP server (and the stand-in unless `noexUrl` is given). */
export async function serveExample(options: { port?: number; noexUrl?: string } = {}) {
  const standIn = options.noexUrl ? undefined : await startTodoStandIn();
  const noexUrl = options.noexUrl ?? standIn!.url;
  if (options.noexUrl) await prepare(noexUrl);
  const { code } = await bundleApp();
  const html = pageHtml(noexUrl);
  const http = createServer((request, response) => {
    if (request.url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
    } else if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else {
      response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
  return {
    url,
    noexUrl,
    standIn,
    async close(): Promise<void> {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await standIn?.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const example = await serveExample({
    port: Number(process.env.PORT ?? 0),
    noexUrl: process.env.NOEX_URL || undefined,
  });
  console.log(
    example.standIn
      ? `Live todo list at ${example.url} (with an in-process stand-in for noex-server; set NOEX_URL to use a real one)`
      : `Live todo list at ${example.url} (noex-server at ${example.noexUrl})`,
  );
  console.log('Open it in two windows and add a todo in one. Ctrl-C stops.');
  process.once('SIGINT', () => void example.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void example.close().then(() => process.exit(0)));
}
