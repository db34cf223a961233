import { describe, expect, it } from 'vitest';
import * as client from '../../generated/client.js';
import { operationNames } from '../../generated/types.js';
import { apis, operations, type OperationSpec } from '../../protocol/index.js';

/** The 84 request types noex-server 0.1.4 routes (shared/protocol/operations.md). */
const serverOperations = {
  store:
    'insert get update delete all where findOne count first last paginate clear sum avg min max buckets stats subscribe unsubscribe transaction defineBucket dropBucket updateBucket getBucketSchema defineQuery undefineQuery listQueries',
  rules:
    'emit setFact getFact deleteFact queryFacts getAllFacts stats subscribe unsubscribe registerRule unregisterRule updateRule enableRule disableRule getRule getRules validateRule',
  auth: 'login logout whoami',
  identity:
    'login loginWithSecret logout whoami refreshSession createUser getUser updateUser deleteUser listUsers enableUser disableUser changePassword resetPassword createRole updateRole deleteRole listRoles assignRole removeRole getUserRoles grant revoke getAcl myAccess getOwner transferOwner',
  procedures: 'register unregister update get list call',
  audit: 'query',
  server: 'stats connections',
};
const expected = Object.entries(serverOperations).flatMap(([ns, ops]) =>
  ops.split(' ').map((op) => `${ns}.${op}`),
);

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
  it('declares exactly the 84 operations the server routes', () => {
    expect(expected).toHaveLength(84);
    expect(Object.keys(operations).sort()).toEqual([...expected].sort());
    expect([...operationNames].sort()).toEqual([...expected].sort());
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
