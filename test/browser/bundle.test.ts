import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MockServer } from '../../testing/mock-server.js';
import { browserBundle, wsMarkers } from './bundle.js';

describe('browser bundle (esbuild, platform browser)', () => {
  let bundle: Awaited<ReturnType<typeof browserBundle>>;
  let dir: string;
  beforeAll(async () => {
    bundle = await browserBundle();
    dir = await mkdtemp(join(tmpdir(), 'noex-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds without warnings and takes no file of the ws package', () => {
    expect(bundle.warnings).toEqual([]);
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((input) => input.includes('index.ts'))).toBe(true);
    const ws = inputs.filter((input) => /node_modules\/ws\//.test(input));
    // the package.json "browser" field maps ws to false: esbuild puts an empty stub in its place
    expect(ws.every((input) => input.startsWith('(disabled):'))).toBe(true);
    expect(ws.every((input) => bundle.metafile.inputs[input]!.bytes === 0)).toBe(true);
  });

  it('contains no code of ws (its handshake, compression and framing strings)', () => {
    for (const marker of wsMarkers) expect(bundle.code, marker).not.toContain(marker);
    // and no Node built-ins that ws would drag in
    expect(bundle.code).not.toMatch(
      /from\s*["'](node:)?(net|tls|http|https|crypto|zlib|stream)["']/,
    );
  });

  it('still works: connects with the WebSocket it is given, inserts and subscribes', async () => {
    const file = join(dir, 'noex-client.browser.mjs');
    await writeFile(file, bundle.code);
    const sdk = (await import(pathToFileURL(file).href)) as typeof import('../../index.js');
    await using server = await MockServer.start();
    server.handle('store.insert', ({ data }) => ({
      id: 'a',
      ...data,
      _version: 1,
      _createdAt: 1,
      _updatedAt: 1,
    }));
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: 1 }));
    await using client = new sdk.NoexClient(server.url, {
      reconnect: false,
      validateResults: 'strict',
      // a browser has a global WebSocket; Node 20 does not, and the bundle has no ws to fall back on
      WebSocket: WebSocket as unknown as import('../../index.js').WebSocketConstructor,
    });
    await client.connect();
    await expect(client.store.bucket('users').insert({ name: 'Alice' })).resolves.toMatchObject({
      id: 'a',
      name: 'Alice',
    });
    const seen: unknown[] = [];
    await client.store.subscribe('user-count', (n) => seen.push(n));
    server.connection.push('sub-1', 2);
    await expect.poll(() => seen).toEqual([1, 2]);
    const error = await client
      .request('store.get', { bucket: 'users' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.RequestValidationError);
  });
});
