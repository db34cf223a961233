import { Project, VariableDeclarationKind } from 'ts-morph';
import prettier from 'prettier';
import type { BucketDefinition, FieldDefinition } from '../../generated/types.js';
import { SchemaFileError, sortSchema, type SchemaFile, type TypeSpec } from './model.js';
import { paramsType, resultType, type QueryBucket } from './queries.js';
import { bucketProperties, fieldType, procedureInputType, propertyName } from './types.js';

/**
 * Generates the typed client of an application: one TypeScript file exporting
 * `type App` (its buckets, queries and procedures by name) and
 * `createClient(url, options?)`. The output depends only on the schema and the
 * source named in the header, so regenerating an unchanged schema gives the
 * same bytes. Loaded by the `noex generate` command only (it needs ts-morph and prettier).
 */
export interface GenerateOptions {
  /** Where the schema came from, for the header: a URL without credentials, or a file. */
  source: string;
}

/** `users` → `Users`, `order-items` → `OrderItems`; a name that starts with a digit gets a prefix. */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Bucket${joined}`;
}

/** A name for each bucket's types, unique even where two bucket names spell alike. */
function typeNames(buckets: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const bucket of buckets) {
    const base = pascal(bucket);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    names.set(bucket, name);
  }
  return names;
}

const doc = (text: string) => text.replace(/\*\//g, '*\\/');

/** The field definitions a record check needs: each bucket's key and schema. */
function runtimeSchema(schema: SchemaFile): string {
  const buckets = Object.entries(schema.buckets).map(
    ([name, { key, schema: fields }]: [string, BucketDefinition]) =>
      `${propertyName(name)}: ${JSON.stringify({ key, schema: fields })}`,
  );
  return `{ buckets: { ${buckets.join(', ')} } }`;
}

/** Generates the app file's text from a schema. */
export async function generateApp(input: SchemaFile, options: GenerateOptions): Promise<string> {
  const schema = sortSchema(input);
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('app.ts');
  const bucketNames = Object.keys(schema.buckets);
  const names = typeNames(bucketNames);
  const problems: string[] = [];

  const recordOf = (bucket: string, where: string) => {
    const name = names.get(bucket);
    if (name) return `${name}Record & RecordMeta`;
    problems.push(`${where}: bucket "${bucket}" is not in the schema`);
    return 'unknown';
  };
  const declaredType = (spec: TypeSpec | undefined, where: string) =>
    spec === undefined ? 'unknown' : fieldType(spec as FieldDefinition, recordOf, where);

  for (const [bucket, definition] of Object.entries(schema.buckets)) {
    const name = names.get(bucket)!;
    const roles = [
      [
        'Record',
        'record',
        `A record of bucket \`${bucket}\` as stored (key \`${definition.key}\`), without the server's metadata.`,
      ],
      [
        'Insert',
        'insert',
        `What \`insert\` takes for bucket \`${bucket}\`: fields with a default or a generated value may be left out.`,
      ],
      [
        'Update',
        'update',
        `What \`update\` takes for bucket \`${bucket}\`: any of its fields but the key and generated ones; null clears an optional field.`,
      ],
    ] as const;
    for (const [suffix, role, text] of roles) {
      file.addInterface({
        name: `${name}${suffix}`,
        isExported: true,
        docs: [doc(text)],
        properties: bucketProperties(definition, role).map((p) => ({
          name: propertyName(p.name),
          type: p.type,
          hasQuestionToken: p.optional,
          ...(p.doc ? { docs: [p.doc] } : {}),
        })),
      });
    }
  }

  const bucketEntries = bucketNames.map((bucket) => {
    const name = names.get(bucket)!;
    return `${propertyName(bucket)}: AppBucket<${name}Record, ${name}Insert, ${name}Update>;`;
  });
  const queryEntries: [string, string][] = [];
  for (const [query, config] of Object.entries(schema.queries)) {
    const definition = schema.buckets[config.bucket];
    const bucket: QueryBucket | undefined = definition && {
      definition,
      recordType: `${names.get(config.bucket)!}Record`,
    };
    const note = definition ? '' : ` Its bucket \`${config.bucket}\` is not in the schema.`;
    queryEntries.push([
      query,
      `/** ${doc(`Declarative, on bucket \`${config.bucket}\`: ${JSON.stringify(config)}.${note}`)} */\n` +
        `${propertyName(query)}: { params: ${paramsType(config, bucket)}; result: ${resultType(config, bucket)} };`,
    ]);
  }
  for (const [query, declared] of Object.entries(schema.declared?.queries ?? {})) {
    const at = `declared.queries.${query}`;
    const params = declared.params ? declaredType(declared.params, `${at}.params`) : 'unknown';
    queryEntries.push([
      query,
      `/** Programmatic${declared.params || declared.result ? ', types declared in the schema file' : ''}. */\n` +
        `${propertyName(query)}: { params: ${params}; result: ${declaredType(declared.result, `${at}.result`)} };`,
    ]);
  }
  const procedureEntries = Object.entries(schema.procedures).map(([procedure, config]) => {
    const declared = schema.declared?.procedures?.[procedure]?.result;
    const result = declaredType(declared, `declared.procedures.${procedure}.result`);
    const comment = config.description ? `/** ${doc(config.description)} */\n` : '';
    return `${comment}${propertyName(procedure)}: { input: ${procedureInputType(config.input)}; result: ${result} };`;
  });
  if (problems.length) throw new SchemaFileError(options.source, problems);

  file.addTypeAlias({
    name: 'App',
    isExported: true,
    docs: [
      `The application's buckets, queries and procedures by name: \`new NoexClient<App>(url)\` or {@link createClient}.`,
    ],
    type: `{\nbuckets: {\n${bucketEntries.join('\n')}\n};\nqueries: {\n${queryEntries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry)
      .join('\n')}\n};\nprocedures: {\n${procedureEntries.join('\n')}\n};\n}`,
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      "The buckets' field definitions: {@link createClient} checks records against them before they are sent.",
    ],
    declarations: [{ name: 'schema', type: 'AppSchema', initializer: runtimeSchema(schema) }],
  });
  file.addFunction({
    name: 'createClient',
    isExported: true,
    docs: [
      'A client typed by {@link App}. Records sent to a bucket of the schema are checked against its field definitions first (`validateRecords: false` turns that off). Makes no connection until `connect()`.',
    ],
    parameters: [
      { name: 'url', type: 'string' },
      { name: 'options', type: 'AppClientOptions', hasQuestionToken: true },
    ],
    returnType: 'NoexClient<App>',
    statements: 'return new NoexClient<App>(url, { ...options, app: schema });',
  });
  // Only what the file uses: an unused import fails projects that check for them.
  const text = file.getFullText();
  const types = ['AppBucket', 'AppClientOptions', 'AppSchema', 'RecordMeta'].filter((name) =>
    new RegExp(`\\b${name}\\b`).test(text),
  );
  file.insertImportDeclaration(0, {
    moduleSpecifier: 'noex-client',
    namedImports: ['NoexClient', ...types.map((name) => ({ name, isTypeOnly: true }))],
  });
  const header = `// @generated by noex generate from ${options.source}. Do not edit.\n`;
  return prettier.format(`${header}\n${file.getFullText()}`, {
    parser: 'typescript',
    printWidth: 100,
    singleQuote: true,
  });
}
