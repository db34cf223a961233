import type { NoexClient } from '../../index.js';
import type { ProcedureConfig, QueryDefinition } from '../../generated/types.js';
import { sortSchema, type Declared, type SchemaFile } from './model.js';

/**
 * Reads an application's schema from a live server: `store.buckets` and
 * `store.getBucketSchema` for each bucket, `store.listQueries`, and
 * `procedures.list` and `procedures.get` for each procedure. Programmatic
 * queries are listed under `declared.queries` with no types (the server cannot
 * describe them); `keep` carries over the types a previous schema file declared.
 */
export async function introspect(client: NoexClient, keep?: Declared): Promise<SchemaFile> {
  const [bucketNames, { queries }, { procedures }] = await Promise.all([
    client.store.buckets(),
    client.store.listQueries(),
    client.procedures.list(),
  ]);
  const [bucketConfigs, procedureConfigs] = await Promise.all([
    Promise.all(bucketNames.names.map((name) => client.store.getBucketSchema(name))),
    Promise.all(procedures.map(({ name }) => client.procedures.get(name))),
  ]);
  const declarative: Record<string, QueryDefinition> = {};
  const programmatic: NonNullable<Declared['queries']> = {};
  for (const query of queries) {
    if (query.type === 'declarative' && query.config) declarative[query.name] = query.config;
    else programmatic[query.name] = keep?.queries?.[query.name] ?? {};
  }
  const procedureResults = Object.fromEntries(
    Object.entries(keep?.procedures ?? {}).filter(([name]) =>
      procedures.some((p) => p.name === name),
    ),
  );
  const declared: Declared = {
    ...(Object.keys(programmatic).length ? { queries: programmatic } : {}),
    ...(Object.keys(procedureResults).length ? { procedures: procedureResults } : {}),
  };
  return sortSchema({
    buckets: Object.fromEntries(bucketConfigs.map(({ name, config }) => [name, config])),
    queries: declarative,
    procedures: Object.fromEntries(
      procedureConfigs.map((config: ProcedureConfig) => [config.name, config]),
    ),
    ...(Object.keys(declared).length ? { declared } : {}),
  });
}
