import type { BucketDefinition, FieldDefinition, QueryDefinition } from '../../generated/types.js';
import { arrayOf, fieldType, isCompound, objectType, quote, type Property } from './types.js';

/**
 * The types of a declarative query: its params (from the filter values that are
 * exactly `"{{ params.x }}"`, typed from the field they filter) and the result
 * the server pushes (from its bucket, `fields` and `aggregate`).
 */

/** Matches a filter value the store replaces with a param (the store's own pattern). */
const PARAM = /^\{\{\s*params\.(\w+)\s*\}\}$/;

const META_FIELDS: Record<string, string> = {
  _version: 'number',
  _createdAt: 'number',
  _updatedAt: 'number',
  _expiresAt: 'number',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bucket a query reads, as the generator knows it. */
export interface QueryBucket {
  definition: BucketDefinition;
  /** The name of its stored-record type, e.g. `UsersRecord`. */
  recordType: string;
}

function fieldValueType(bucket: QueryBucket | undefined, field: string): string {
  const def: FieldDefinition | undefined = bucket?.definition.schema[field];
  if (def) return fieldType(def);
  return META_FIELDS[field] ?? 'unknown';
}

const elementOf = (bucket: QueryBucket | undefined, field: string): string => {
  const def = bucket?.definition.schema[field];
  return def?.type === 'array' && def.items ? fieldType(def.items as FieldDefinition) : 'unknown';
};

/** Every param a filter uses, each with the types of the places it fills. */
function collectParams(
  filter: Record<string, unknown>,
  bucket: QueryBucket | undefined,
  params: Map<string, Set<string>>,
): void {
  const use = (value: unknown, type: string) => {
    const match = typeof value === 'string' ? PARAM.exec(value) : null;
    if (!match) return false;
    const types = params.get(match[1]!) ?? new Set<string>();
    types.add(type);
    params.set(match[1]!, types);
    return true;
  };
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$or' || key === '$and') {
      if (Array.isArray(value)) {
        for (const branch of value) if (isObject(branch)) collectParams(branch, bucket, params);
      }
      continue;
    }
    const type = fieldValueType(bucket, key);
    if (use(value, type)) continue;
    if (Array.isArray(value)) {
      for (const item of value) use(item, elementOf(bucket, key));
      continue;
    }
    if (!isObject(value)) continue;
    for (const [operator, operand] of Object.entries(value)) {
      switch (operator) {
        case '$in':
        case '$nin':
        case '$between':
          if (!use(operand, operator === '$between' ? `[${type}, ${type}]` : `${arrayOf(type)}`)) {
            if (Array.isArray(operand)) for (const item of operand) use(item, type);
          }
          break;
        case '$contains':
        case '$startsWith':
        case '$endsWith':
          use(operand, 'string');
          break;
        case '$exists':
          use(operand, 'boolean');
          break;
        default:
          use(operand, type);
      }
    }
  }
}

/** The params type of a declarative query: an object of every param it uses, or `undefined` when it uses none. */
export function paramsType(config: QueryDefinition, bucket: QueryBucket | undefined): string {
  if (!config.filter) return 'undefined';
  const params = new Map<string, Set<string>>();
  collectParams(config.filter, bucket, params);
  if (params.size === 0) return 'undefined';
  const properties: Property[] = [...params]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, types]) => ({
      name,
      optional: false,
      type: [...types].map((t) => (types.size > 1 && isCompound(t) ? `(${t})` : t)).join(' & '),
    }));
  return objectType(properties);
}

/** The result type of a declarative query: records (projected), a number, or groups of numbers. */
export function resultType(config: QueryDefinition, bucket: QueryBucket | undefined): string {
  const { aggregate, fields } = config;
  if (aggregate) {
    if (aggregate.groupBy === undefined) {
      // min and max over no numeric values give undefined (and the push carries no data).
      const minMax = aggregate.function === 'min' || aggregate.function === 'max';
      return minMax ? 'number | undefined' : 'number';
    }
    // A group's value falls back to 0, so it is always a number.
    const groupBy = Array.isArray(aggregate.groupBy) ? aggregate.groupBy : [aggregate.groupBy];
    const key = bucket ? pickOf(bucket, groupBy, false) : 'Record<string, unknown>';
    return `{ key: ${key}; value: number }[]`;
  }
  if (!bucket) return 'unknown';
  const record = `${bucket.recordType} & RecordMeta`;
  if (fields && fields.length > 0) return arrayOf(pickOf(bucket, fields, true));
  return `(${record})[]`;
}

/** The named fields of a bucket's stored records (with metadata when `meta`), unknown names as optional unknowns. */
function pickOf(bucket: QueryBucket, names: readonly string[], meta: boolean): string {
  const unique = [...new Set(names)];
  const known = unique.filter((f) => f in bucket.definition.schema || (meta && f in META_FIELDS));
  const unknown = unique.filter((f) => !known.includes(f));
  const source = meta ? `${bucket.recordType} & RecordMeta` : bucket.recordType;
  const parts = [
    ...(known.length ? [`Pick<${source}, ${known.map(quote).join(' | ')}>`] : []),
    ...(unknown.length
      ? [objectType(unknown.map((name) => ({ name, optional: true, type: 'unknown' })))]
      : []),
  ];
  return parts.length ? parts.join(' & ') : 'Record<string, never>';
}
