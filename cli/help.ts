import { catalog, type CatalogEntry } from '../generated/catalog.js';
import { shapeOf, type Schema } from '../runtime/json-schema.js';

/** The spec as generated data: a new operation in protocol/ shows up here with no CLI change. */
export const specs: Readonly<Record<string, CatalogEntry>> = catalog;

/** A one-line rendering of a schema's type: `string (min length 1)`, `"user" | "role"`, `array of X`. */
export function typeOf(schema: Schema): string {
  const shape = shapeOf(schema);
  const named = (text: string) => (schema.$id ? `${schema.$id} (${text})` : text);
  switch (shape.kind) {
    case 'enum':
      return shape.values.map((value) => JSON.stringify(value)).join(' | ');
    case 'tagged':
      return named(
        `object with ${shape.tag}: ${shape.members.map((m) => typeOf(m.properties![shape.tag]!)).join(' | ')}`,
      );
    case 'union':
      return named([...new Set(shape.members.map(typeOf))].join(' | '));
    case 'array': {
      const item = schema.items ? typeOf(shape.items) : 'any';
      const wrap = item.includes(' | ') && !item.includes('(');
      return `array of ${wrap ? `(${item})` : item}${limits(schema)}`;
    }
    case 'object':
    case 'record':
      return schema.$id ? `object (${schema.$id})` : 'object';
    case 'any':
      return 'any JSON';
    default:
      return `${shape.kind}${limits(schema)}`;
  }
}

function limits(schema: Schema): string {
  const parts: string[] = [];
  if (schema.minLength === 1) parts.push('non-empty');
  else if (schema.minLength !== undefined) parts.push(`min length ${String(schema.minLength)}`);
  if (schema.minItems !== undefined) parts.push(`at least ${String(schema.minItems)}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${String(schema.minimum)}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${String(schema.maximum)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The fields of an object schema, one per line, nested objects indented below their field. */
export function fieldLines(schema: Schema, indent = '  ', depth = 0): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const width = Math.max(0, ...Object.keys(properties).map((name) => name.length));
  const lines: string[] = [];
  for (const [name, field] of Object.entries(properties)) {
    const need = required.has(name) ? 'required' : 'optional';
    const about = field.description && !field.$id ? ` — ${field.description}` : '';
    lines.push(`${indent}${name.padEnd(width)}  ${typeOf(field)}, ${need}${about}`);
    if (field.type === 'object' && field.properties && depth < 2) {
      lines.push(...fieldLines(field, `${indent}    `, depth + 1));
    }
  }
  return lines;
}

/** How the operation is called through the SDK: `client.store.bucket(bucket).insert(data)`. */
export function sdkMethod(name: string): string {
  const spec = specs[name]!;
  const request = spec.request as Schema;
  const properties = Object.keys((request.properties ?? {}) as object);
  const required = new Set((request.required ?? []) as string[]);
  const named = spec.params.filter((p) => !p.startsWith('...'));
  const args = spec.params.map((param) => {
    if (!param.startsWith('...')) return required.has(param) ? param : `${param}?`;
    const rest = properties.filter(
      (f) => !named.includes(f) && (spec.api !== 'bucket' || f !== 'bucket'),
    );
    return rest.some((f) => required.has(f)) ? param.slice(3) : `${param.slice(3)}?`;
  });
  if (spec.kind === 'subscribe') {
    const callback = `(${(spec.callback ?? []).join(', ')}) => …`;
    args.splice(1, 0, callback);
  }
  const target = spec.api === 'bucket' ? 'store.bucket(bucket)' : spec.api;
  const unwrap = spec.unwrap ? `  (resolves the result's \`${spec.unwrap}\`)` : '';
  return `client.${target}.${spec.method}(${args.join(', ')})${unwrap}`;
}

/** A sample value of a schema for the usage example. */
function placeholder(schema: Schema): unknown {
  const shape = shapeOf(schema);
  if (shape.kind === 'enum') return shape.values[0];
  if (shape.kind === 'tagged' || shape.kind === 'union') return placeholder(shape.members[0]!);
  switch (schema.type) {
    case 'string':
      return '…';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}

/** The help of one operation: doc, fields, SDK method and a usage line. */
export function operationHelp(name: string): string {
  const spec = specs[name]!;
  const fields = fieldLines(spec.request as Schema);
  const required = ((spec.request as Schema).required ?? []) as string[];
  const properties = ((spec.request as Schema).properties ?? {}) as Record<string, Schema>;
  const sample = Object.fromEntries(required.map((f) => [f, placeholder(properties[f] ?? {})]));
  const example = required.length ? ` '${JSON.stringify(sample)}'` : '';
  const watch: Record<string, string> = {
    'store.subscribe': 'noex <url> watch <query> [params-json] prints every result until Ctrl-C',
    'rules.subscribe': 'noex <url> watch-events <pattern> prints every event until Ctrl-C',
  };
  return [
    `${name} — ${spec.doc}`,
    '',
    `Usage: noex <url> ${name}${required.length ? ' <payload-json>' : ' [payload-json]'}`,
    `       e.g. noex ws://localhost:8080 ${name}${example}`,
    ...(watch[name] ? [`       or ${watch[name]}`] : []),
    '',
    'Request fields:',
    ...(fields.length ? fields : ['  (none)']),
    '',
    `SDK: ${sdkMethod(name)}`,
    `     or client.request('${name}', payload)`,
    '',
  ].join('\n');
}

/** The general help: usage, options and every operation grouped by namespace. */
export function generalHelp(): string {
  const names = Object.keys(specs);
  const width = Math.max(...names.map((n) => n.length));
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const namespace = name.split('.')[0]!;
    const lines = groups.get(namespace) ?? [];
    lines.push(`    ${name.padEnd(width)}  ${specs[name]!.doc}`);
    groups.set(namespace, lines);
  }
  const listing = [...groups].flatMap(([namespace, lines]) => [`  ${namespace}`, ...lines, '']);
  return [
    `noex — command-line client for noex-server (${names.length} operations, read from the protocol spec)`,
    '',
    'Usage:',
    '  noex <url> <operation> [payload-json]    call an operation; prints its result as JSON',
    "  noex <url> watch <query> [params-json]   print a reactive query's result, one JSON line per change",
    '  noex <url> watch-events <pattern>        print {topic, event} per matching rules event',
    "  noex <operation> --help                  the operation's request fields and SDK method",
    '',
    'Options:',
    '  --token T                  log in with a token            (env NOEX_TOKEN)',
    '  --user U --password P      log in with identity credentials (env NOEX_USER, NOEX_PASSWORD)',
    '  --timeout MS               request and connect timeout',
    "  -h, --help                 this help, or an operation's",
    'The <url> (ws:// or wss://) may be left out when NOEX_URL is set. Ctrl-C ends a watch.',
    'Exit status: 0 success, 1 error (refused by the server, invalid request or usage), 2 connection failure.',
    '',
    'Operations:',
    ...listing,
  ].join('\n');
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Operations whose name is close to `input`, or whose method part matches it, best first. */
export function nearMatches(input: string, limit = 5): string[] {
  const wanted = input.toLowerCase();
  const method = wanted.split('.').pop()!;
  return Object.keys(specs)
    .map((name) => {
      const lower = name.toLowerCase();
      const part = lower.split('.').pop()!;
      let score = distance(wanted, lower);
      if (part === method) score = Math.min(score, 1);
      else if (method.length >= 3 && (part.includes(method) || method.includes(part))) {
        score = Math.min(score, 2);
      }
      return { name, score };
    })
    .filter(({ score }) => score <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}
