import type { OperationSpec } from '../protocol/define.js';
import { children, type Schema } from '../runtime/json-schema.js';

export {
  assertSupported,
  children,
  describe,
  isRequired,
  orNullOf,
  refinementsOf,
  shapeOf,
  type Schema,
} from '../runtime/json-schema.js';

/** A protocol spec: operation wire name → its declaration. */
export type Spec = Readonly<Record<string, OperationSpec>>;

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
    children(schema).forEach(visit);
  };
  roots.forEach(visit);
  return found;
}
