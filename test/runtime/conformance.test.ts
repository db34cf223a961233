import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { operations, type OperationSpec } from '../../protocol/index.js';
import { MockServer } from '../../testing/mock-server.js';
import { auditFixtures } from '../fixtures/audit.js';
import { authFixtures } from '../fixtures/auth.js';
import { identityAccessFixtures } from '../fixtures/identity-access.js';
import { identityFixtures } from '../fixtures/identity.js';
import { proceduresFixtures } from '../fixtures/procedures.js';
import { rulesFixtures } from '../fixtures/rules.js';
import { serverFixtures } from '../fixtures/server.js';
import { storeAdminFixtures } from '../fixtures/store-admin.js';
import { storeFixtures } from '../fixtures/store.js';
import type { OperationFixture } from '../fixtures/types.js';

export const allFixtures: OperationFixture[] = [
  ...storeFixtures,
  ...storeAdminFixtures,
  ...rulesFixtures,
  ...authFixtures,
  ...identityFixtures,
  ...identityAccessFixtures,
  ...proceduresFixtures,
  ...auditFixtures,
  ...serverFixtures,
];

function expectedOf(fixture: OperationFixture): unknown {
  if ('expected' in fixture) return fixture.expected;
  const unwrap = (operations[fixture.op as keyof typeof operations] as OperationSpec).unwrap;
  return unwrap ? (fixture.reply as Record<string, unknown>)[unwrap] : fixture.reply;
}

describe('every operation puts the server’s frame on the wire and resolves the real result', () => {
  let server: MockServer;
  let client: NoexClient;

  beforeAll(async () => {
    server = await MockServer.start();
    client = new NoexClient(server.url, { reconnect: false, validateResults: 'strict' });
    await client.connect();
  });
  afterAll(async () => {
    await client.disconnect();
    await server.close();
  });

  it.each(allFixtures.map((f) => [`${f.op}${f.name ? `: ${f.name}` : ''}`, f] as const))(
    '%s',
    async (_, fixture) => {
      server.handle(fixture.op as never, () => fixture.reply as never);
      const before = server.received.length;
      const result = await fixture.call(client);
      const sent = server.received.slice(before).map((r) => r.frame);
      expect(sent).toHaveLength(1);
      const { id, ...frame } = sent[0]!;
      expect(typeof id).toBe('number');
      expect(frame).toStrictEqual(fixture.frame);
      expect(result).toStrictEqual(expectedOf(fixture));
    },
  );
});

describe('fixtures', () => {
  it('cover every operation but the subscription ones, which have their own tests', () => {
    const covered = new Set(allFixtures.map((f) => f.op));
    const missing = Object.keys(operations).filter(
      (op) => !covered.has(op) && !/\.(un)?subscribe$/.test(op),
    );
    expect(missing).toEqual([]);
  });
});
