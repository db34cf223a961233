import type { OperationSpec } from '../protocol/define.js';

/** A protocol spec: operation wire name → its declaration. */
export type Spec = Readonly<Record<string, OperationSpec>>;

/**
 * The JSON Schema subset the protocol spec is written in, as TypeBox emits it.
 * Both emitters (types and validators) walk schemas through these helpers.
 */
export interface Schema {
  readonly $id?: string;
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  readonly const?: string | number | boolean | null;
  readonly anyOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly description?: string;
  /** The field carries a credential (protocol/shapes.ts `Secret`). */
  readonly secret?: boolean;
  /** In a bucket's methods, the runtime type of this name for its records (protocol/shapes.ts). */
  readonly typedAs?: string;
}

const supported = new Set([
  '$id',
  'type',
  'const',
  'anyOf',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'minItems',
  'minLength',
  'maxLength',
  'minimum',
  'description',
  'secret',
  'typedAs',
]);

/** Fails generation on a schema keyword the emitters would silently ignore. */
export function assertSupported(schema: Schema, where: string): void {
  for (const key of Object.keys(schema)) {
    if (!supported.has(key)) throw new Error(`${where}: unsupported schema keyword "${key}"`);
  }
  const children = [
    ...(schema.anyOf ?? []),
    ...Object.values(schema.properties ?? {}),
    ...Object.values(schema.patternProperties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ];
  for (const child of children) assertSupported(child, where);
}

/** The value schema of a `Type.Record(Type.String(), X)`, if this is one. */
export function recordValues(schema: Schema): Schema | undefined {
  const patterns = schema.patternProperties;
  if (!patterns) return undefined;
  const values = Object.values(patterns);
  if (values.length !== 1) throw new Error('records must have exactly one key pattern');
  return values[0];
}

export function isRequired(schema: Schema, property: string): boolean {
  return schema.required?.includes(property) ?? false;
}

/** Every schema with an `$id` reachable from the roots, each once, in first-seen order. */
export function namedSchemas(roots: readonly Schema[]): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const visit = (schema: Schema): void => {
    if (schema.$id) {
      const seen = found.get(schema.$id);
      if (seen && seen !== schema && JSON.stringify(seen) !== JSON.stringify(schema)) {
        throw new Error(`two different schemas are named "${schema.$id}"`);
      }
      if (seen) return;
      found.set(schema.$id, schema);
    }
    schema.anyOf?.forEach(visit);
    Object.values(schema.properties ?? {}).forEach(visit);
    Object.values(schema.patternProperties ?? {}).forEach(visit);
    if (schema.items) visit(schema.items);
  };
  roots.forEach(visit);
  return found;
}
