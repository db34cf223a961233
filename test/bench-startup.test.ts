import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../bench/lib.js';
import { modulesLoaded, typeboxFiles, type Loaded } from '../bench/startup.js';

/**
 * What a Node process loads when it uses the built package: no TypeBox. The
 * package is built into a folder of its own (dist/ belongs to the bench and
 * the package checks), ESM and CommonJS, as scripts/build.mjs builds it.
 */
const OUT = join(ROOT, 'bench/.out/startup-test');
const tsc = join(
  dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin',
  'tsc',
);
const built = (path: string) => pathToFileURL(join(OUT, path)).href;

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  for (const [project, outDir] of [
    ['tsconfig.build.json', OUT],
    ['tsconfig.cjs.json', join(OUT, 'cjs')],
  ] as const) {
    const run = spawnSync(process.execPath, [tsc, '-p', project, '--outDir', outDir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`tsc -p ${project}: ${run.stdout}${run.stderr}`);
  }
  mkdirSync(join(OUT, 'cjs'), { recursive: true });
  writeFileSync(join(OUT, 'cjs/package.json'), '{ "type": "commonjs" }\n');
}, 60_000);

const esm = (code: string) => modulesLoaded(['--input-type=module', '-e', code]);
const loads = (loaded: Loaded, path: string) =>
  [...loaded.modules, ...loaded.required].some((file) => file.endsWith(path));

describe('start-up of the built package', { timeout: 60_000 }, () => {
  it('loads no TypeBox when the client is imported', () => {
    const loaded = esm(`await import(${JSON.stringify(built('index.js'))});`);
    expect(loads(loaded, 'startup-test/runtime/client.js')).toBe(true);
    expect(typeboxFiles(loaded).length, 'TypeBox files loaded').toBe(0);
  });

  it('loads TypeBox for noex-client/schemas, and only there', () => {
    const loaded = esm(`await import(${JSON.stringify(built('schemas.js'))});`);
    expect(typeboxFiles(loaded).length).toBeGreaterThan(0);
  });

  it('loads no TypeBox when the CommonJS build is required', () => {
    const loaded = modulesLoaded(['-e', `require(${JSON.stringify(join(OUT, 'cjs/index.js'))})`]);
    expect(loads(loaded, 'startup-test/cjs/runtime/client.js')).toBe(true);
    expect(typeboxFiles(loaded).length, 'TypeBox files loaded').toBe(0);
  });

  it('checks the records of a typed bucket against a plain JSON Schema with no TypeBox loaded', () => {
    const loaded = esm(`
      const { NoexClient, RequestValidationError } = await import(${JSON.stringify(built('index.js'))});
      const { MockServer } = await import(${JSON.stringify(built('testing.js'))});
      const server = await MockServer.start();
      server.handle('store.insert', ({ data }) => ({ id: 'a', ...data, _version: 1, _createdAt: 1, _updatedAt: 1 }));
      const client = new NoexClient(server.url, { reconnect: false });
      await client.connect();
      const users = client.store.bucket('users', {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string', minLength: 1 } },
        required: ['name'],
      });
      const inserted = await users.insert({ name: 'Ann' });
      const refused = await users.insert({ name: '' }).catch((error) => error);
      await client.disconnect();
      await server.close();
      process.stdout.write(JSON.stringify({ inserted: inserted.name, refused: refused instanceof RequestValidationError }));
    `);
    expect(JSON.parse(loaded.stdout)).toEqual({ inserted: 'Ann', refused: true });
    expect(loads(loaded, 'startup-test/runtime/bucket-checks.js')).toBe(true);
    expect(typeboxFiles(loaded).length, 'TypeBox files loaded').toBe(0);
  });

  it('loads no TypeBox for `noex --help`', () => {
    const loaded = modulesLoaded([join(OUT, 'cli/main.js'), '--help']);
    expect(loaded.stdout).toContain('store.insert');
    expect(typeboxFiles(loaded).length, 'TypeBox files loaded').toBe(0);
  });
});
