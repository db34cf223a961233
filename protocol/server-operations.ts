/**
 * What the real server routes, as data: the one list the spec is checked
 * against (test/codegen/coverage.test.ts) and the versions the live suite runs
 * (scripts/protocol-coverage.ts). When the server gains or drops an operation,
 * this list changes with the server version; everything else follows the spec.
 * Source: the server's operations reference (shared/protocol/operations.md).
 */
export const serverRelease = {
  server: 'noex-server 0.1.4',
  with: 'noex-store 0.2.0, noex-rules 0.2.0, noex 0.1.1',
} as const;

/** The request types the server routes, by namespace. */
const routed = {
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

/** Every wire name the server routes. */
export const serverOperations: readonly string[] = Object.entries(routed).flatMap(([ns, ops]) =>
  ops.split(' ').map((op) => `${ns}.${op}`),
);
