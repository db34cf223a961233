import type {
  BucketDefinition,
  FieldDefinition,
  ProcedureInputField,
} from '../../generated/types.js';
import type { TypeSpec } from './model.js';

/**
 * TypeScript type text from the server's field definitions. One walker for the
 * field language: bucket fields, nested properties, array items and the types a
 * schema file declares all go through {@link fieldType}.
 */

/** Where a field sits: on a stored record, in what `insert` takes, or in what `update` takes. */
export type Role = 'record' | 'insert' | 'update';

/** A property of an object type: its name, whether it may be absent, its type and its doc. */
export interface Property {
  name: string;
  optional: boolean;
  type: string;
  doc?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A string literal as TypeScript source (prettier settles the quotes). */
export const quote = (text: string): string => JSON.stringify(text);

/** A property name as TypeScript source: bare when it is an identifier, quoted otherwise. */
export const propertyName = (name: string): string => (IDENTIFIER.test(name) ? name : quote(name));

/** The type of any JSON value as a literal type. */
function jsonLiteral(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? quote(value) : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `readonly [${value.map(jsonLiteral).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${propertyName(k)}: ${jsonLiteral(v)}`)
    .join('; ')} }`;
}

export function objectType(properties: readonly Property[]): string {
  if (properties.length === 0) return 'Record<string, never>';
  const lines = properties.map(
    (p) =>
      `${p.doc ? `/** ${p.doc} */\n` : ''}${propertyName(p.name)}${p.optional ? '?' : ''}: ${p.type};`,
  );
  return `{\n${lines.join('\n')}\n}`;
}

/** Whether a type has a `|` or `&` outside any brackets, so that `[]` after it needs parentheses. */
export function isCompound(type: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < type.length; i++) {
    const char = type[i]!;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if ('<({['.includes(char)) depth++;
    else if ('>)}]'.includes(char)) depth--;
    else if (depth === 0 && (char === '|' || char === '&')) return true;
  }
  return false;
}

const parenthesize = (type: string) => (isCompound(type) ? `(${type})` : type);

/** An array of a type. */
export const arrayOf = (type: string): string => `${parenthesize(type)}[]`;

/** Resolves a declared `{ record }` / `{ records }` to the stored record type of a bucket. */
export type RecordTypeOf = (bucket: string, where: string) => string;

/** A field's value type, without null: what a present value is. */
export function fieldType(
  def: FieldDefinition | TypeSpec,
  recordType?: RecordTypeOf,
  where = '',
): string {
  let type: string;
  if ('record' in def || 'records' in def) {
    const bucket = ('record' in def ? def.record : def.records) as string;
    const record = recordType ? recordType(bucket, where) : 'unknown';
    type = 'records' in def ? arrayOf(record) : record;
  } else if (Array.isArray(def.enum) && def.enum.length > 0) {
    type = [...new Set(def.enum.map(jsonLiteral))].join(' | ');
  } else {
    switch (def.type) {
      case 'string':
        type = 'string';
        break;
      case 'number':
        type = 'number';
        break;
      case 'boolean':
        type = 'boolean';
        break;
      case 'date':
        // The store accepts a number (ms) or a string and returns what it was given.
        type = 'string | number';
        break;
      case 'object': {
        const properties = def.properties as Record<string, FieldDefinition | TypeSpec> | undefined;
        type = properties
          ? objectType(
              Object.entries(properties).map(([name, nested]) =>
                nestedProperty(name, nested, recordType, `${where}.${name}`),
              ),
            )
          : 'Record<string, unknown>';
        break;
      }
      case 'array':
        type = def.items
          ? arrayOf(fieldType(def.items as FieldDefinition, recordType, `${where}[]`))
          : 'unknown[]';
        break;
      default:
        type = 'unknown';
    }
  }
  return (def as { nullable?: boolean }).nullable ? `${type} | null` : type;
}

/** A property of a nested object (or of a declared type): present when required, else optional or null, as the store checks it. */
function nestedProperty(
  name: string,
  def: FieldDefinition | TypeSpec,
  recordType: RecordTypeOf | undefined,
  where: string,
): Property {
  const type = fieldType(def, recordType, where);
  const required = (def as FieldDefinition).required === true;
  return {
    name,
    optional: !required,
    type: required || type.endsWith('| null') ? type : `${type} | null`,
    ...docOf(def as FieldDefinition),
  };
}

/** The constraints a type cannot express, for a field's doc comment. */
function docOf(def: FieldDefinition): { doc?: string } {
  const parts: string[] = [];
  if (def.generated) parts.push(`generated: ${def.generated}`);
  if (def.default !== undefined) parts.push(`default: ${JSON.stringify(def.default)}`);
  if (def.format) parts.push(`format: ${def.format}`);
  if (def.min !== undefined) parts.push(`min: ${def.min}`);
  if (def.max !== undefined) parts.push(`max: ${def.max}`);
  if (def.minLength !== undefined) parts.push(`minLength: ${def.minLength}`);
  if (def.maxLength !== undefined) parts.push(`maxLength: ${def.maxLength}`);
  if (def.pattern !== undefined) parts.push(`pattern: ${def.pattern}`);
  if (def.unique) parts.push('unique');
  if (def.ref) parts.push(`ref: ${def.ref}${def.onDelete ? ` (on delete: ${def.onDelete})` : ''}`);
  // Block comments end at */; a pattern may contain one.
  return parts.length ? { doc: parts.join(', ').replace(/\*\//g, '*\\/') } : {};
}

/**
 * The top-level properties of a bucket's records in one role. The store fills
 * `generated` and `default` fields on insert, so they are present on stored
 * records but optional on insert; `update` never takes the key or generated
 * fields (the server ignores them). A field that is not required may be absent
 * or null (null clears it on update).
 */
export function bucketProperties(definition: BucketDefinition, role: Role): Property[] {
  const properties: Property[] = [];
  for (const [name, def] of Object.entries(definition.schema)) {
    const isKey = name === definition.key;
    const filled = def.generated !== undefined || def.default !== undefined;
    if (role === 'update' && (isKey || def.generated !== undefined)) continue;
    const required = def.required === true;
    const base = fieldType(def, undefined, name);
    const nullable = !required && !filled && !isKey;
    const type = nullable && !base.endsWith('| null') ? `${base} | null` : base;
    const optional =
      role === 'record'
        ? !(required || filled || isKey)
        : role === 'insert'
          ? filled || !(required || isKey)
          : true;
    properties.push({ name, optional, type, ...(role === 'update' ? {} : docOf(def)) });
  }
  return properties;
}

/** What `procedures.call` takes for a procedure's input spec; `| undefined` where it may be left out. */
export function procedureInputType(input: Record<string, ProcedureInputField> | undefined): string {
  if (input === undefined) return 'Record<string, unknown> | undefined';
  const properties: Property[] = Object.entries(input).map(([name, def]) => ({
    name,
    // The server's default is required: true; a default fills a missing value.
    optional: def.required === false || def.default !== undefined,
    type:
      def.type === 'object'
        ? 'Record<string, unknown>'
        : def.type === 'array'
          ? 'unknown[]'
          : ['string', 'number', 'boolean'].includes(def.type)
            ? def.type
            : 'unknown',
    ...(def.default !== undefined
      ? { doc: `default: ${JSON.stringify(def.default).replace(/\*\//g, '*\\/')}` }
      : {}),
  }));
  if (properties.length === 0) return 'Record<string, never> | undefined';
  const type = objectType(properties);
  return properties.every((p) => p.optional) ? `${type} | undefined` : type;
}
