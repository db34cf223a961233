import { NoexClientError, type NoexClient } from '../../index.js';
import type { BucketDefinition } from '../../generated/types.js';
import { introspect } from './introspect.js';
import type { SchemaFile } from './model.js';

/**
 * `noex schema push`: defines on a server the buckets, declarative queries and
 * procedures of a schema file that it lacks. It never drops or changes what the
 * server has: where the server's definition differs from the file's, or the
 * server has something the file does not, it says so and leaves it.
 */
export interface PushReport {
  /** What was defined, in order (`defined bucket orders`). */
  done: string[];
  /** Every difference left as it is, one line each. */
  untouched: string[];
  /** Definitions the server refused, with its error. */
  failed: string[];
}

const show = (value: unknown): string => {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where two JSON values differ, as `path: file X, server Y` lines. */
export function differences(file: unknown, server: unknown, path = ''): string[] {
  if (isObject(file) && isObject(server)) {
    const keys = [...new Set([...Object.keys(file), ...Object.keys(server)])];
    return keys.flatMap((key) =>
      differences(file[key], server[key], path ? `${path}.${key}` : key),
    );
  }
  if (Array.isArray(file) && Array.isArray(server) && file.length === server.length) {
    return file.flatMap((item, i) => differences(item, server[i], `${path}[${i}]`));
  }
  if (JSON.stringify(file) === JSON.stringify(server)) return [];
  return [`${path || '(whole)'}: file ${show(file)}, server ${show(server)}`];
}

/** Buckets in an order where each comes after the buckets its fields `ref` (cycles keep name order). */
function definitionOrder(buckets: Record<string, BucketDefinition>): string[] {
  const refsOf = (name: string) =>
    Object.values(buckets[name]!.schema)
      .map((field) => field.ref)
      .filter((ref): ref is string => ref !== undefined && ref !== name && ref in buckets);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    refsOf(name).sort().forEach(visit);
    order.push(name);
  };
  Object.keys(buckets).sort().forEach(visit);
  return order;
}

const refusal = (error: unknown) =>
  error instanceof NoexClientError ? `${error.code}: ${error.message}` : String(error);

export async function pushSchema(client: NoexClient, schema: SchemaFile): Promise<PushReport> {
  const server = await introspect(client);
  const report: PushReport = { done: [], untouched: [], failed: [] };
  const untouched = (what: string, lines: string[]) => {
    for (const line of lines) report.untouched.push(`${what}: ${line}`);
  };
  const attempt = async (what: string, define: () => Promise<unknown>) => {
    try {
      await define();
      report.done.push(`defined ${what}`);
    } catch (error) {
      report.failed.push(`${what}: ${refusal(error)}`);
    }
  };

  for (const name of definitionOrder(schema.buckets)) {
    const config = schema.buckets[name]!;
    const existing = server.buckets[name];
    if (existing) untouched(`bucket ${name}`, differences(config, existing));
    else await attempt(`bucket ${name}`, () => client.store.defineBucket(name, config));
  }
  const programmaticOnServer = server.declared?.queries ?? {};
  for (const [name, config] of Object.entries(schema.queries)) {
    const existing = server.queries[name];
    if (existing) untouched(`query ${name}`, differences(config, existing));
    else if (name in programmaticOnServer) {
      untouched(`query ${name}`, ['programmatic on the server; the file has a declarative config']);
    } else await attempt(`query ${name}`, () => client.store.defineQuery(name, config));
  }
  for (const name of Object.keys(schema.declared?.queries ?? {})) {
    if (!(name in programmaticOnServer) && !(name in server.queries)) {
      untouched(`query ${name}`, [
        'programmatic (declared in the file) but not on the server; server code defines programmatic queries',
      ]);
    }
  }
  for (const [name, config] of Object.entries(schema.procedures)) {
    const existing = server.procedures[name];
    if (existing) untouched(`procedure ${name}`, differences(config, existing));
    else await attempt(`procedure ${name}`, () => client.procedures.register(config));
  }

  const onlyOnServer = (kind: string, names: string[], known: (name: string) => boolean) => {
    for (const name of names) {
      if (!known(name)) report.untouched.push(`${kind} ${name}: on the server only, kept`);
    }
  };
  onlyOnServer('bucket', Object.keys(server.buckets), (n) => n in schema.buckets);
  onlyOnServer(
    'query',
    [...Object.keys(server.queries), ...Object.keys(programmaticOnServer)].sort(),
    (n) => n in schema.queries || n in (schema.declared?.queries ?? {}),
  );
  onlyOnServer('procedure', Object.keys(server.procedures), (n) => n in schema.procedures);
  return report;
}

/** The report as the command prints it. */
export function describePush(report: PushReport, target: string): string {
  const lines: string[] = [];
  if (report.done.length) lines.push(...report.done);
  else if (!report.failed.length)
    lines.push(`nothing to define: ${target} has every bucket, query and procedure of the file`);
  if (report.failed.length) {
    lines.push(
      `refused by the server (${report.failed.length}):`,
      ...report.failed.map((l) => `  ${l}`),
    );
  }
  if (report.untouched.length) {
    lines.push(
      `left as they are (${report.untouched.length}):`,
      ...report.untouched.map((l) => `  ${l}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
