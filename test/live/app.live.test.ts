import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { RequestValidationError, type NoexClient } from '../../index.js';
import { runCaptured } from '../cli/run-captured.js';
import { describeLive, liveClient, packages, startServer } from './harness.js';

/**
 * `noex generate`, `noex schema pull` and `noex schema push` against the real
 * noex-server: from a running server to a typed client that type-checks and
 * runs; drift caught by --check; a pulled schema pushed onto a fresh server.
 */

const root = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

/** A directory inside the repository (so the generated file's `noex-client` resolves to the source), removed after the test. */
let work: string;
afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});
async function workDir(): Promise<string> {
  await mkdir(join(root, 'test/app/.live'), { recursive: true });
  work = await mkdtemp(join(root, 'test/app/.live/run-'));
  await writeFile(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../../tsconfig.json',
      compilerOptions: { rootDir: '../../../..', noEmit: true },
      include: ['src/*.ts'],
      exclude: [],
    }),
  );
  return work;
}

async function noex(...argv: string[]) {
  const run = runCaptured(argv);
  const code = await run.done;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A real server with nothing defined (the harness's scenarios all define something); stopped after the test. */
const bareServers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(bareServers.splice(0).map((stop) => stop()));
});
let bareCount = 0;
async function bareServer(): Promise<{ url: string }> {
  const name = `app-bare-${process.pid}-${++bareCount}`;
  const store = await packages!.Store.start({ name: `${name}-store` });
  const server = await packages!.NoexServer.start({ store, port: 0, host: '127.0.0.1', name });
  bareServers.push(async () => {
    await server.stop();
    await store.stop();
  });
  return { url: `ws://127.0.0.1:${server.port as number}` };
}

/** The application: buckets, declarative queries and a procedure, defined over the wire. */
async function defineApp(client: NoexClient): Promise<void> {
  await client.store.defineBucket('customers', {
    key: 'id',
    schema: {
      id: { type: 'string', generated: 'uuid' },
      email: { type: 'string', required: true, format: 'email', unique: true },
      name: { type: 'string', required: true, minLength: 1, maxLength: 40 },
      tier: { type: 'string', enum: ['free', 'pro'], default: 'free' },
      phone: { type: 'string', pattern: '^[0-9 ]+$' },
      website: { type: 'string', format: 'url' },
      score: { type: 'number', min: 0, max: 100 },
      joined: { type: 'date', generated: 'timestamp' },
      address: {
        type: 'object',
        properties: { city: { type: 'string', required: true }, zip: { type: 'string' } },
      },
      tags: { type: 'array', items: { type: 'string' } },
    },
    indexes: ['tier'],
  });
  await client.store.defineBucket('purchases', {
    key: 'id',
    schema: {
      id: { type: 'string', generated: 'uuid' },
      customerId: { type: 'string', required: true },
      total: { type: 'number', required: true, min: 0 },
      paid: { type: 'boolean', default: false },
    },
  });
  await client.store.defineQuery('customers-by-tier', {
    bucket: 'customers',
    filter: { tier: '{{ params.tier }}' },
    sort: { name: 'asc' },
  });
  await client.store.defineQuery('revenue', {
    bucket: 'purchases',
    aggregate: { function: 'sum', field: 'total' },
  });
  await client.store.defineQuery('revenue-by-customer', {
    bucket: 'purchases',
    aggregate: { function: 'sum', field: 'total', groupBy: 'customerId' },
  });
  await client.procedures.register({
    name: 'purchase',
    description: 'Records a purchase',
    input: { customerId: { type: 'string' }, total: { type: 'number' } },
    steps: [
      {
        action: 'store.insert',
        bucket: 'purchases',
        data: { customerId: '{{ input.customerId }}', total: '{{ input.total }}' },
        as: 'purchase',
      },
      { action: 'return', value: '{{ purchase.total }}' },
    ],
  });
}

/** A program using the generated client as an app would. */
const program = `import { RequestValidationError } from 'noex-client';
import { createClient } from './noex.generated.js';

const client = createClient(process.argv[2]!);
await client.connect();
const customers = client.store.bucket('customers');
const ann = await customers.insert({ email: 'ann@example.com', name: 'Ann', address: { city: 'Brno' } });
console.log(\`inserted \${ann.name}: tier \${ann.tier}, id \${ann.id.length} chars\`);

let changed = false;
for await (const rows of client.store.watch('customers-by-tier', { tier: 'pro' })) {
  console.log(\`pro: \${JSON.stringify(rows.map((c) => c.name))}\`);
  if (changed) break;
  await customers.update(ann.id, { tier: 'pro', phone: null });
  changed = true;
}

const bought = await client.procedures.call('purchase', { customerId: ann.id, total: 42 });
console.log(\`purchase returned \${JSON.stringify(bought.result)}\`);
for await (const revenue of client.store.watch('revenue')) {
  console.log(\`revenue: \${revenue.toFixed(2)}\`);
  break;
}

try {
  await customers.insert({ email: 'not-an-email', name: 'Bob' });
} catch (error) {
  if (!(error instanceof RequestValidationError)) throw error;
  console.log(\`refused: \${error.message}\`);
}
await client.disconnect();
`;

/** A program that misuses the generated client: each line must fail to type-check. */
const misuse = `import { createClient } from './noex.generated.js';

const client = createClient('ws://unused');
void client.store.bucket('no-such-bucket');
void client.store.bucket('customers').insert({ name: 'no email' });
void client.store.subscribe('customers-by-tier', () => {});
void client.procedures.call('purchase', { customerId: 'c1' });
`;

/** A server of the `open` scenario with the application defined by its admin client, and a file to generate into. */
async function appOnServer() {
  const server = await startServer('open');
  const admin = liveClient(server.url);
  await admin.connect();
  await defineApp(admin);
  const dir = await workDir();
  return { server, admin, dir, out: join(dir, 'src', 'noex.generated.ts') };
}

describeLive('app codegen against the real server', () => {
  it('from a running server to a typed client that type-checks and runs; --check catches a changed server', async () => {
    const { server, admin, dir, out } = await appOnServer();

    const generated = await noex('generate', '--from', server.url, '--out', out);
    expect(generated).toMatchObject({ code: 0, stderr: '' });
    expect(generated.stdout).toBe(
      `wrote ${out} from ${server.url}: 4 buckets, 6 queries, 1 procedure\n`,
    );
    await writeFile(join(dir, 'src', 'main.ts'), program);
    const tsc = [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')];
    await run(process.execPath, tsc, { cwd: root }).catch((error: { stdout: string }) => {
      throw new Error(`the program does not type-check:\n${error.stdout}`);
    });

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', server.url], {
      cwd: dir,
      timeout: 20_000,
    });
    expect(stdout.split('\n')).toEqual([
      'inserted Ann: tier free, id 36 chars',
      'pro: []',
      'pro: ["Ann"]',
      'purchase returned 42',
      'revenue: 42.00',
      'refused: store.insert (bucket "customers"): invalid request: data.email: expected email format',
      '',
    ]);

    await writeFile(join(dir, 'src', 'misuse.ts'), misuse);
    const failed = await run(process.execPath, tsc, { cwd: root }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    const errorLines = failed.split('\n').filter((line) => line.includes('misuse.ts('));
    expect(errorLines.map((line) => /misuse\.ts\((\d+),/.exec(line)?.[1])).toEqual([
      '4',
      '5',
      '6',
      '7',
    ]);
    await rm(join(dir, 'src', 'misuse.ts'));

    expect((await noex('generate', '--from', server.url, '--out', out, '--check')).code).toBe(0);
    await admin.store.defineBucket('refunds', {
      key: 'id',
      schema: { id: { type: 'string', generated: 'uuid' }, amount: { type: 'number' } },
    });
    await admin.store.defineQuery('big-purchases', {
      bucket: 'purchases',
      filter: { total: { $gte: '{{ params.min }}' } },
    });
    const stale = await noex('generate', '--from', server.url, '--out', out, '--check');
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(
      [
        `${out} differs from what ${server.url} generates:`,
        '  bucket refunds added',
        '  query big-purchases added',
        '',
      ].join('\n'),
    );
    expect(stale.stdout).toMatch(/^\+ {4}'big-purchases': \{$/m);
    expect((await noex('generate', '--from', server.url, '--out', out)).code).toBe(0);
    expect((await noex('generate', '--from', server.url, '--out', out, '--check')).code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain(
      "'big-purchases': {\n      params: {\n        min: number;\n      };",
    );
  }, 60_000);

  it('schema pull, then schema push onto a fresh server, reproduces the same generated file', async () => {
    const source = await bareServer();
    const admin = liveClient(source.url);
    await admin.connect();
    await defineApp(admin);
    const dir = await workDir();
    const schemaFile = join(dir, 'noex.schema.json');
    expect(await noex('schema', 'pull', '--from', source.url, '--out', schemaFile)).toMatchObject({
      code: 0,
      stdout: `wrote ${schemaFile} from ${source.url}: 2 buckets, 3 queries, 1 procedure\n`,
    });

    const fresh = await bareServer();
    const pushed = await noex('schema', 'push', schemaFile, '--to', fresh.url);
    expect(pushed).toMatchObject({ code: 0, stderr: '' });
    expect(pushed.stdout).toBe(
      [
        'defined bucket customers',
        'defined bucket purchases',
        'defined query customers-by-tier',
        'defined query revenue',
        'defined query revenue-by-customer',
        'defined procedure purchase',
        '',
      ].join('\n'),
    );
    const again = await noex('schema', 'push', schemaFile, '--to', fresh.url);
    expect(again.stdout).toBe(
      `nothing to define: ${fresh.url} has every bucket, query and procedure of the file\n`,
    );

    const fromSource = join(dir, 'src', 'source.ts');
    const fromFresh = join(dir, 'src', 'fresh.ts');
    expect((await noex('generate', '--from', source.url, '--out', fromSource)).code).toBe(0);
    expect((await noex('generate', '--from', fresh.url, '--out', fromFresh)).code).toBe(0);
    const body = async (file: string) => (await readFile(file, 'utf8')).split('\n').slice(1);
    expect(await body(fromFresh)).toEqual(await body(fromSource));
    // The same as generating from the pulled file.
    expect(
      (await noex('generate', '--from', schemaFile, '--out', fromSource, '--check')).code,
    ).toBe(1);
    expect((await noex('generate', '--from', schemaFile, '--out', fromSource)).code).toBe(0);
    expect(await body(fromSource)).toEqual(await body(fromFresh));
  }, 60_000);

  it('the client refuses exactly the records the server refuses', async () => {
    const { server, out } = await appOnServer();
    expect((await noex('generate', '--from', server.url, '--out', out)).code).toBe(0);
    const { createClient } = (await import(out)) as {
      createClient: (url: string, options?: object) => NoexClient;
    };
    const checked = createClient(server.url, { reconnect: false });
    const unchecked = createClient(server.url, { reconnect: false, validateRecords: false });
    await Promise.all([checked.connect(), unchecked.connect()]);
    const base = { name: 'Ann', address: { city: 'Brno' } };
    const records: [string, Record<string, unknown>, 'accepted' | 'refused'][] = [
      ['valid', {}, 'accepted'],
      ['required missing', { name: undefined }, 'refused'],
      ['wrong type', { name: 7 }, 'refused'],
      ['not in the enum', { tier: 'gold' }, 'refused'],
      ['below min', { score: -1 }, 'refused'],
      ['above max', { score: 101 }, 'refused'],
      ['too short', { name: '' }, 'refused'],
      ['too long', { name: 'x'.repeat(41) }, 'refused'],
      ['pattern', { phone: 'call me' }, 'refused'],
      ['url', { website: 'not a url' }, 'refused'],
      ['a url', { website: 'https://example.com/a' }, 'accepted'],
      ['null for an optional field', { score: null, phone: null }, 'accepted'],
      ['a date as a number', { joined: 1_700_000_000_000 }, 'accepted'],
      ['nested required missing', { address: { zip: '60200' } }, 'refused'],
      ['array item of the wrong type', { tags: ['a', 2] }, 'refused'],
    ];
    let n = 0;
    const verdict = async (client: NoexClient, fields: Record<string, unknown>) =>
      client.store
        .bucket('customers')
        .insert({ ...base, email: `u${++n}@example.com`, ...fields })
        .then(
          () => 'accepted',
          (error: Error & { code?: string }) =>
            error instanceof RequestValidationError
              ? 'refused before sending'
              : error.code === 'VALIDATION_ERROR'
                ? 'refused by the server'
                : `${error.code}: ${error.message}`,
        );
    for (const [what, fields, expected] of records) {
      // The unchecked client sends the record: this verdict is the server's.
      expect({ what, client: await verdict(checked, fields) }).toEqual({
        what,
        client: expected === 'refused' ? 'refused before sending' : expected,
      });
      expect({ what, server: await verdict(unchecked, fields) }).toEqual({
        what,
        server: expected === 'refused' ? 'refused by the server' : expected,
      });
    }
    await Promise.all([checked.disconnect(), unchecked.disconnect()]);
  }, 60_000);

  it('the example: its schema pushed onto a server, the same types generated from it, and it runs', async () => {
    const server = await bareServer();
    const example = join(root, 'examples/app-typed');
    const pushed = await noex(
      'schema',
      'push',
      join(example, 'noex.schema.json'),
      '--to',
      server.url,
    );
    expect(pushed).toMatchObject({ code: 0, stderr: '' });
    const dir = await workDir();
    const fromServer = join(dir, 'noex.generated.ts');
    expect((await noex('generate', '--from', server.url, '--out', fromServer)).code).toBe(0);
    const body = async (file: string) => (await readFile(file, 'utf8')).split('\n').slice(1);
    // The server cannot describe the procedure's result: the schema file declares it.
    expect(await body(fromServer)).toEqual(
      (await body(join(example, 'noex.generated.ts'))).map((line) =>
        line === '      result: TasksRecord & RecordMeta;' ? '      result: unknown;' : line,
      ),
    );
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'examples/app-typed/main.ts'],
      {
        cwd: root,
        env: { ...process.env, NOEX_URL: server.url },
        timeout: 20_000,
      },
    );
    expect(stdout.split('\n')).toEqual([
      'Inserted "Write the docs": priority high, done false',
      'High priority: Write the docs',
      'Open estimate: 4 h',
      'Completed "Write the docs" (version 2)',
      'Open: Review',
      'Refused before sending: store.insert (bucket "tasks"): invalid request: data.title: expected string of 1 to 120 characters; data.estimate: expected number ≥ 0',
      '',
    ]);
  }, 60_000);
});
