import { describe, expect, it } from 'vitest';
import * as client from '../../generated/client.js';
import { operationNames } from '../../generated/types.js';
import { apis, operations, type OperationSpec } from '../../protocol/index.js';
import { serverOperations } from '../../protocol/server-operations.js';

const capitalized = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;
const classes: Record<string, { prototype: object }> = Object.fromEntries(
  Object.keys(apis).map((api) => [
    api,
    (client as Record<string, { prototype: object }>)[`${capitalized(api)}API`]!,
  ]),
);

/** How a parent opens a bound object (`store.openBucket`): protected, no operation of its own. */
const openers = new Set(
  Object.entries(apis).flatMap(([api, spec]) =>
    'boundIn' in spec ? [`${spec.boundIn}.open${capitalized(api)}`] : [],
  ),
);

describe('spec coverage', () => {
  it('declares exactly the operations the server routes', () => {
    expect(Object.keys(operations).sort()).toEqual([...serverOperations].sort());
    expect([...operationNames].sort()).toEqual([...serverOperations].sort());
  });

  it('generates each operation into exactly one public method', () => {
    const methods = new Map<string, string>();
    for (const [name, op] of Object.entries(operations) as [string, OperationSpec][]) {
      const key = `${op.api}.${op.method}`;
      expect(methods.has(key), `${name} and ${methods.get(key)} both become ${key}`).toBe(false);
      methods.set(key, name);
      expect(typeof (classes[op.api]!.prototype as Record<string, unknown>)[op.method], key).toBe(
        'function',
      );
    }
    const generated = Object.entries(classes).flatMap(([api, cls]) =>
      Object.getOwnPropertyNames(cls.prototype)
        .filter((m) => m !== 'constructor' && !openers.has(`${api}.${m}`))
        .map((m) => `${api}.${m}`),
    );
    expect(generated.sort()).toEqual([...methods.keys()].sort());
  });

  it('names methods as the API contract does: the namespace’s own name for each operation', () => {
    for (const [name, op] of Object.entries(operations) as [string, OperationSpec][]) {
      expect(op.method, name).toBe(name.split('.')[1]);
    }
  });
});
