import { Project, VariableDeclarationKind, type SourceFile } from 'ts-morph';
import { runtimeImport } from './client.js';
import { children, type Schema, type Spec } from './schema.js';

/** The effects an operation declares, in the order generated/effects.ts lists them. */
const declared = [
  'session',
  'autoLogin',
  'sends',
  'returns',
  'unsubscribe',
  'endsSubscriptions',
] as const;

/** The names of the fields marked secret anywhere in a schema, each once. */
function secretFields(schema: Schema, into = new Set<string>()): Set<string> {
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (field.secret) into.add(name);
  }
  for (const child of children(schema)) secretFields(child, into);
  return into;
}

/** An operation's effects as a table entry; empty when it has none. */
export function effectsOf(spec: Spec, name: string): Record<string, unknown> {
  const op = spec[name]!;
  const entry: Record<string, unknown> = {};
  for (const key of declared) if (op[key] !== undefined) entry[key] = op[key];
  if ((op.kind === 'subscribe') !== (op.unsubscribe !== undefined)) {
    throw new Error(`${name}: a subscribe operation, and only one, names its unsubscribe`);
  }
  if (op.unsubscribe !== undefined && spec[op.unsubscribe]?.kind !== 'unsubscribe') {
    throw new Error(`${name}: "${op.unsubscribe}" is not an unsubscribe operation of the spec`);
  }
  const ends = op.endsSubscriptions;
  if (ends && spec[ends.of]?.kind !== 'subscribe') {
    throw new Error(`${name}: "${ends.of}" is not a subscribe operation of the spec`);
  }
  const secret = [
    ...secretFields(op.request as Schema),
    ...secretFields(op.result as Schema),
  ].filter((field, i, all) => all.indexOf(field) === i);
  if (secret.length) entry.secret = secret;
  if (op.safeRetry) entry.safeRetry = true;
  return entry;
}

/** generated/effects.ts: what each operation does besides answering, for the runtime to read. */
export function emitEffects(project: Project, spec: Spec): SourceFile {
  const file = project.createSourceFile('effects.ts');
  const rows = Object.keys(spec)
    .map((name) => [name, effectsOf(spec, name)] as const)
    .filter(([, entry]) => Object.keys(entry).length > 0)
    .map(([name, entry]) => `${JSON.stringify(name)}: ${JSON.stringify(entry)}`);
  file.addImportDeclaration({
    moduleSpecifier: runtimeImport,
    isTypeOnly: true,
    namedImports: ['EffectsTable'],
  });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: [
      'What operations do besides answering (sessions, records, subscriptions, secrets, safe retries), from the spec.',
    ],
    declarations: [
      { name: 'effects', type: 'EffectsTable', initializer: `{ ${rows.join(',\n')} }` },
    ],
  });
  return file;
}
