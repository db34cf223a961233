import type { AppField, AppSchema } from './app-schema.js';
import type { BucketSchema } from './bucket-schema.js';
import type { ObjectSchema } from './schema-check.js';

/**
 * From a generated app's field definitions to the record schemas its buckets
 * are checked with. Loaded by the client only when it is given an app, so that
 * apps without one do not carry this code; it imports nothing of the core, so
 * that its chunk shares no module with it.
 */

/** JSON Schema formats with the same meaning as the store's; `iso-date` is left to the server. */
const FORMATS: Record<string, string> = { email: 'email', url: 'uri' };

/** The store's pattern as a check can use it (Unicode mode); undefined when that mode refuses it. */
function usablePattern(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return pattern;
  } catch {
    return undefined; // the server still checks it
  }
}

/** A present value's schema: the field's type and the rules the store checks for it. */
function valueSchema(field: AppField): Record<string, unknown> {
  if (Array.isArray(field.enum) && field.enum.length > 0) return { enum: [...field.enum] };
  switch (field.type) {
    case 'string': {
      const pattern = field.pattern === undefined ? undefined : usablePattern(field.pattern);
      const format = field.format === undefined ? undefined : FORMATS[field.format];
      return {
        type: 'string',
        ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
        ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
        ...(pattern !== undefined ? { pattern } : {}),
        ...(format !== undefined ? { format } : {}),
      };
    }
    case 'number':
      return {
        type: 'number',
        ...(field.min !== undefined ? { minimum: field.min } : {}),
        ...(field.max !== undefined ? { maximum: field.max } : {}),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      // The store takes a number (ms) or any string.
      return { anyOf: [{ type: 'string' }, { type: 'number' }] };
    case 'object':
      return field.properties ? objectSchema(field.properties, false) : { type: 'object' };
    case 'array':
      return field.items ? { type: 'array', items: valueSchema(field.items) } : { type: 'array' };
    default:
      return {};
  }
}

/** Null passes where the store lets a field be empty (it is not required). */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(schema.enum)) return { enum: [...schema.enum, null] };
  if (Array.isArray(schema.anyOf)) return { anyOf: [...schema.anyOf, { type: 'null' }] };
  if (typeof schema.type === 'string') return { anyOf: [schema, { type: 'null' }] };
  return schema;
}

function objectSchema(fields: { [field: string]: AppField }, insert: boolean): ObjectSchema {
  const required: string[] = [];
  const properties: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const mustBeGiven =
      field.required === true && !(insert && (field.default !== undefined || field.generated));
    if (mustBeGiven) required.push(name);
    properties[name] = field.required === true ? valueSchema(field) : nullable(valueSchema(field));
  }
  return { type: 'object', properties, required };
}

/**
 * The JSON Schema of what a bucket's records may hold, for the typed-bucket
 * checks: the rules the store enforces (required, type, enum, min/max,
 * minLength/maxLength, pattern, the email and url formats), with null allowed
 * where a field is not required. Fields the store fills on insert (`default`,
 * `generated`) need not be given.
 */
export function recordSchemaOf(fields: { [field: string]: AppField }): ObjectSchema {
  return objectSchema(fields, true);
}

/**
 * The checks of each bucket of an app, by name. `Schema` is the core's
 * BucketSchema, handed over so that this chunk does not import it.
 */
export function appChecks(
  app: AppSchema,
  Schema: new (schema: ObjectSchema) => BucketSchema,
): Map<string, BucketSchema> {
  return new Map(
    Object.entries(app.buckets).map(([name, { schema }]) => [
      name,
      new Schema(recordSchemaOf(schema)),
    ]),
  );
}
