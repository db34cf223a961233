import type {
  BucketDefinition,
  FieldDefinition,
  ProcedureConfig,
  QueryDefinition,
} from '../../generated/types.js';
import { validators } from '../../generated/validators.js';
import type { Issue } from '../../runtime/errors.js';

/**
 * The schema file (`noex.schema.json`): an application's buckets, declarative
 * queries and procedures in the shapes the server accepts, plus the types the
 * server cannot describe. `noex schema pull` writes it, `noex schema push`
 * defines it on a server, `noex generate --from` reads it. Nothing here loads
 * ts-morph or prettier.
 */
export interface SchemaFile {
  buckets: Record<string, BucketDefinition>;
  queries: Record<string, QueryDefinition>;
  procedures: Record<string, ProcedureConfig>;
  /** What the server cannot describe: programmatic queries and procedure results. */
  declared?: Declared;
}

export interface Declared {
  /** Programmatic queries by name; a pulled schema lists each with no types (`{}`). */
  queries?: Record<string, { params?: TypeSpec; result?: TypeSpec }>;
  procedures?: Record<string, { result?: TypeSpec }>;
}

/**
 * A declared type: a field definition as in a bucket schema (`type`, `required`,
 * `enum`, `properties`, `items`), a stored record of a bucket (`{ "record": "users" }`)
 * or an array of them (`{ "records": "users" }`); `nullable` adds null to any of them.
 */
export type TypeSpec =
  | (Omit<FieldDefinition, 'properties' | 'items'> & {
      properties?: Record<string, TypeSpec>;
      items?: TypeSpec;
      nullable?: boolean;
    })
  | { record: string; nullable?: boolean }
  | { records: string; nullable?: boolean };

/** A schema file that cannot be used, with every problem named by its path. */
export class SchemaFileError extends Error {
  override name = 'SchemaFileError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length === 1 ? problems[0] : `\n  ${problems.join('\n  ')}`}`);
  }
}

export const emptySchema = (): SchemaFile => ({ buckets: {}, queries: {}, procedures: {} });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const FIELD_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array', 'date']);
const SECTIONS = new Set(['$schema', 'buckets', 'queries', 'procedures', 'declared']);

const describe = (issues: readonly Issue[], strip: string, at: string) =>
  issues.map((issue) => {
    const path = issue.path.startsWith(strip) ? issue.path.slice(strip.length) : issue.path;
    return `${at}${path ? `.${path.replace(/^\./, '')}` : ''}: ${issue.message}`;
  });

/**
 * Problems of a field definition and of every definition nested in it. The
 * protocol's validator checks a bucket's top-level fields (`nested` false):
 * what it does not look into is checked here.
 */
function fieldProblems(def: unknown, at: string, declared: boolean, nested = true): string[] {
  if (!isObject(def)) return nested ? [`${at}: expected a field definition object`] : [];
  if (declared && ('record' in def || 'records' in def)) {
    const bucket = def.record ?? def.records;
    return typeof bucket === 'string' && bucket !== ''
      ? []
      : [`${at}.${'record' in def ? 'record' : 'records'}: expected a bucket name`];
  }
  const problems: string[] = [];
  if (nested && (typeof def.type !== 'string' || !FIELD_TYPES.has(def.type))) {
    problems.push(`${at}.type: expected one of ${[...FIELD_TYPES].join(', ')}`);
  }
  if (nested && def.enum !== undefined && !Array.isArray(def.enum)) {
    problems.push(`${at}.enum: expected array`);
  }
  if (def.pattern !== undefined) {
    try {
      new RegExp(String(def.pattern));
    } catch (error) {
      problems.push(`${at}.pattern: ${(error as Error).message}`);
    }
  }
  if (def.properties !== undefined) {
    if (!isObject(def.properties)) problems.push(`${at}.properties: expected object`);
    else {
      for (const [name, nested] of Object.entries(def.properties)) {
        problems.push(...fieldProblems(nested, `${at}.properties.${name}`, declared));
      }
    }
  }
  if (def.items !== undefined) problems.push(...fieldProblems(def.items, `${at}.items`, declared));
  return problems;
}

function bucketProblems(name: string, config: unknown): string[] {
  const at = `buckets.${name}`;
  const issues = validators['store.defineBucket']!.request({ name, config });
  const problems = issues ? describe(issues, 'config', at) : [];
  if (!isObject(config) || !isObject(config.schema)) return problems;
  const schema = config.schema;
  for (const [field, def] of Object.entries(schema)) {
    problems.push(...fieldProblems(def, `${at}.schema.${field}`, false, false));
  }
  // The server accepts these and fails later (INTERNAL_ERROR on define, or a bucket without its key).
  const { key, indexes } = config;
  if (typeof key === 'string' && !(key in schema)) {
    problems.push(`${at}.key: "${key}" is not a field of its schema`);
  }
  for (const index of Array.isArray(indexes) ? indexes : []) {
    if (!(index in schema)) problems.push(`${at}.indexes: "${index}" is not a field of its schema`);
  }
  return problems;
}

function queryProblems(name: string, config: unknown): string[] {
  const issues = validators['store.defineQuery']!.request({ name, config });
  return issues ? describe(issues, 'config', `queries.${name}`) : [];
}

function procedureProblems(name: string, config: unknown): string[] {
  const at = `procedures.${name}`;
  if (!isObject(config)) return [`${at}: expected a procedure object`];
  const procedure = { ...config, name: config.name ?? name };
  const issues = validators['procedures.register']!.request({ procedure });
  if (issues) return describe(issues, 'procedure', at);
  return procedure.name === name
    ? []
    : [`${at}.name: "${String(procedure.name)}" differs from its key "${name}"`];
}

function declaredProblems(declared: unknown): string[] {
  if (!isObject(declared)) return ['declared: expected object'];
  const problems: string[] = [];
  for (const key of Object.keys(declared)) {
    if (key !== 'queries' && key !== 'procedures') {
      problems.push(`declared.${key}: unknown section (expected queries or procedures)`);
    }
  }
  for (const section of ['queries', 'procedures'] as const) {
    const entries = declared[section];
    if (entries === undefined) continue;
    if (!isObject(entries)) {
      problems.push(`declared.${section}: expected object`);
      continue;
    }
    const allowed = section === 'queries' ? ['params', 'result'] : ['result'];
    for (const [name, entry] of Object.entries(entries)) {
      const at = `declared.${section}.${name}`;
      if (!isObject(entry)) {
        problems.push(`${at}: expected object`);
        continue;
      }
      for (const [key, spec] of Object.entries(entry)) {
        if (!allowed.includes(key)) problems.push(`${at}.${key}: expected ${allowed.join(' or ')}`);
        else problems.push(...fieldProblems(spec, `${at}.${key}`, true));
      }
    }
  }
  return problems;
}

/** Checks a parsed schema file and returns it typed; throws {@link SchemaFileError} naming every problem. */
export function parseSchema(value: unknown, source: string): SchemaFile {
  if (!isObject(value)) throw new SchemaFileError(source, ['expected a JSON object']);
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!SECTIONS.has(key)) {
      problems.push(`${key}: unknown section (expected buckets, queries, procedures, declared)`);
    }
  }
  const section = (key: 'buckets' | 'queries' | 'procedures') => {
    const entries = value[key] ?? {};
    if (isObject(entries)) return entries;
    problems.push(`${key}: expected an object of definitions by name`);
    return {};
  };
  const buckets = section('buckets');
  const queries = section('queries');
  const procedures = section('procedures');
  for (const [name, config] of Object.entries(buckets))
    problems.push(...bucketProblems(name, config));
  for (const [name, config] of Object.entries(queries))
    problems.push(...queryProblems(name, config));
  for (const [name, config] of Object.entries(procedures)) {
    problems.push(...procedureProblems(name, config));
  }
  if (value.declared !== undefined) problems.push(...declaredProblems(value.declared));
  const declared = value.declared as Declared | undefined;
  for (const name of Object.keys(declared?.queries ?? {})) {
    if (name in queries) {
      problems.push(
        `declared.queries.${name}: "${name}" is a declarative query; declared types are for programmatic queries`,
      );
    }
  }
  for (const name of Object.keys(declared?.procedures ?? {})) {
    if (!(name in procedures)) problems.push(`declared.procedures.${name}: no such procedure`);
  }
  if (problems.length) throw new SchemaFileError(source, problems);
  return {
    buckets: buckets as SchemaFile['buckets'],
    queries: queries as SchemaFile['queries'],
    procedures: Object.fromEntries(
      Object.entries(procedures).map(([name, config]) => [
        name,
        { name, ...(config as object) } as ProcedureConfig,
      ]),
    ),
    ...(declared ? { declared } : {}),
  };
}

/** Reads a schema file's text; JSON errors and shape problems name the file. */
export function readSchema(text: string, source: string): SchemaFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SchemaFileError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseSchema(value, source);
}

const byName = <T>(entries: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The schema with every section's entries sorted by name: the same schema always reads and prints alike. */
export function sortSchema(schema: SchemaFile): SchemaFile {
  const declared = schema.declared;
  const sortedDeclared: Declared | undefined = declared && {
    ...(declared.queries ? { queries: byName(declared.queries) } : {}),
    ...(declared.procedures ? { procedures: byName(declared.procedures) } : {}),
  };
  return {
    buckets: byName(schema.buckets),
    queries: byName(schema.queries),
    procedures: byName(schema.procedures),
    ...(sortedDeclared && Object.keys(sortedDeclared).length ? { declared: sortedDeclared } : {}),
  };
}

/** The schema file's text: sorted by name, two-space JSON, a final newline. */
export function printSchema(schema: SchemaFile): string {
  return `${JSON.stringify(sortSchema(schema), null, 2)}\n`;
}

/** A URL as a header or message may show it: without credentials, query or fragment. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
