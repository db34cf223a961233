import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { NoexClient } from '../index.js';
import { introspect } from '../codegen/app/introspect.js';
import { displayUrl, printSchema, readSchema, type SchemaFile } from '../codegen/app/model.js';
import { describePush, pushSchema } from '../codegen/app/push.js';
import { isUrl, UsageError, type Invocation } from './args.js';
import type { CliIo } from './run.js';

/**
 * The app commands: `noex generate` (a typed client from a server or a schema
 * file), `noex schema pull` and `noex schema push`. Only `generate` loads the
 * generator, and with it ts-morph and prettier.
 */

export const appHelp = [
  'Your application, typed:',
  '  noex generate --from <url|schema.json> --out <file.ts> [--check]',
  "      write a TypeScript file typing the app's buckets, queries and procedures by name",
  '      (`type App`, `createClient(url, options?)`); --check writes nothing and exits 1',
  '      with a diff when <file.ts> differs from what the source generates',
  '  noex schema pull --from <url> --out <noex.schema.json>',
  "      write the server's buckets, queries and procedures as a schema file (keeps the",
  '      types the previous file declared)',
  '  noex schema push <noex.schema.json> --to <url>',
  '      define on the server what the file has and it lacks; never drops or changes',
  '      anything, and prints every difference it left',
  'Credentials as for operations: --token, or --user and --password (or NOEX_TOKEN, NOEX_USER, NOEX_PASSWORD).',
].join('\n');

const OK = 0;
const ERROR = 1;

async function connected(url: string, invocation: Invocation, io: CliIo): Promise<NoexClient> {
  const client = new NoexClient(url, {
    ...invocation.options,
    ...(io.WebSocket ? { WebSocket: io.WebSocket } : {}),
  });
  client.on('error', (error) => io.stderr.write(`warning: ${error.message}\n`));
  await client.connect();
  return client;
}

async function fromServer(
  url: string,
  invocation: Invocation,
  io: CliIo,
  keep?: SchemaFile['declared'],
): Promise<SchemaFile> {
  const client = await connected(url, invocation, io);
  try {
    return await introspect(client, keep);
  } finally {
    await client.disconnect();
  }
}

async function readSchemaFile(path: string): Promise<SchemaFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the schema file ${path}: ${(error as Error).message}`);
  }
  return readSchema(text, path);
}

/** ts-morph and prettier, which only the generator needs, with a hint when they are missing. */
async function loadGenerator() {
  try {
    const [{ generateApp }, { summarizeChanges, unifiedDiff }] = await Promise.all([
      import('../codegen/app/generate.js'),
      import('../codegen/app/check.js'),
    ]);
    return { generateApp, summarizeChanges, unifiedDiff };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UsageError(
        `noex generate needs ts-morph and prettier: npm install --save-dev ts-morph prettier (${(error as Error).message})`,
      );
    }
    throw error;
  }
}

function counts(schema: SchemaFile): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const queries =
    Object.keys(schema.queries).length + Object.keys(schema.declared?.queries ?? {}).length;
  return [
    n(Object.keys(schema.buckets).length, 'bucket', 'buckets'),
    n(queries, 'query', 'queries'),
    n(Object.keys(schema.procedures).length, 'procedure', 'procedures'),
  ].join(', ');
}

function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required: ${usage}`);
  return value;
}

async function generate(invocation: Invocation, io: CliIo): Promise<number> {
  const usage = 'noex generate --from <url|schema.json> --out <file.ts> [--check]';
  const from = required(invocation.app.from, '--from', usage);
  const out = required(invocation.app.out, '--out', usage);
  if (invocation.rest.length)
    throw new UsageError(`too many arguments: ${invocation.rest.join(' ')}`);
  const { generateApp, summarizeChanges, unifiedDiff } = await loadGenerator();
  // A file source is named relative to the generated file, so the header does not depend on the working directory.
  const source = isUrl(from)
    ? displayUrl(from)
    : relative(dirname(resolve(out)), resolve(from))
        .split(sep)
        .join('/');
  const schema = isUrl(from) ? await fromServer(from, invocation, io) : await readSchemaFile(from);
  const text = await generateApp(schema, { source });
  if (!invocation.app.check) {
    await mkdir(dirname(resolve(out)), { recursive: true });
    await writeFile(out, text);
    io.stdout.write(`wrote ${out} from ${source}: ${counts(schema)}\n`);
    return OK;
  }
  let onDisk: string;
  try {
    onDisk = await readFile(out, 'utf8');
  } catch {
    io.stderr.write(`error: ${out} does not exist; run without --check to write it\n`);
    return ERROR;
  }
  if (onDisk === text) {
    io.stdout.write(`${out} is up to date with ${source}\n`);
    return OK;
  }
  const changes = summarizeChanges(onDisk, text);
  io.stdout.write(
    [
      `${out} differs from what ${source} generates${changes.length ? ':' : ''}`,
      ...changes.map((line) => `  ${line}`),
      '',
      unifiedDiff(onDisk, text, { before: `${out} (on disk)`, after: `${out} (from ${source})` }),
    ].join('\n'),
  );
  io.stderr.write(
    `error: ${out} is out of date; regenerate it: noex generate --from ${isUrl(from) ? source : from} --out ${out}\n`,
  );
  return ERROR;
}

async function pull(invocation: Invocation, io: CliIo): Promise<number> {
  const usage = 'noex schema pull --from <url> --out <noex.schema.json>';
  const from = required(invocation.app.from, '--from', usage);
  const out = required(invocation.app.out, '--out', usage);
  if (!isUrl(from)) throw new UsageError(`--from takes a server URL (ws:// or wss://): ${usage}`);
  let previous: SchemaFile | undefined;
  try {
    previous = readSchema(await readFile(out, 'utf8'), out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      io.stderr.write(
        `warning: the types declared in ${out} are not kept: ${(error as Error).message}\n`,
      );
    }
  }
  const schema = await fromServer(from, invocation, io, previous?.declared);
  await mkdir(dirname(resolve(out)), { recursive: true });
  await writeFile(out, printSchema(schema));
  io.stdout.write(`wrote ${out} from ${displayUrl(from)}: ${counts(schema)}\n`);
  return OK;
}

async function push(invocation: Invocation, io: CliIo): Promise<number> {
  const usage = 'noex schema push <noex.schema.json> --to <url>';
  const [file, ...extra] = invocation.rest.slice(1);
  if (file === undefined) throw new UsageError(`a schema file is required: ${usage}`);
  if (extra.length) throw new UsageError(`too many arguments: ${extra.join(' ')}`);
  const to = required(invocation.app.to, '--to', usage);
  if (!isUrl(to)) throw new UsageError(`--to takes a server URL (ws:// or wss://): ${usage}`);
  const schema = await readSchemaFile(file);
  const client = await connected(to, invocation, io);
  try {
    const report = await pushSchema(client, schema);
    io.stdout.write(describePush(report, displayUrl(to)));
    return report.failed.length ? ERROR : OK;
  } finally {
    await client.disconnect();
  }
}

/** Runs `noex generate …` or `noex schema pull|push …`; throws what runCli reports. */
export function runAppCommand(invocation: Invocation, io: CliIo): Promise<number> {
  const { command, rest } = invocation;
  if (command === 'generate') return generate(invocation, io);
  const sub = rest[0];
  if (sub === 'pull') {
    if (rest.length > 1) throw new UsageError(`too many arguments: ${rest.slice(1).join(' ')}`);
    return pull(invocation, io);
  }
  if (sub === 'push') return push(invocation, io);
  throw new UsageError(
    sub === undefined
      ? 'noex schema needs pull or push'
      : `unknown schema command "${sub}" (pull or push)`,
  );
}
