import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Spec } from '../../codegen/generate.js';
import type { EffectsTable, OperationValidators } from '../../runtime/index.js';
import { root, typecheck } from './typecheck.js';

/**
 * The contributor's drill, as CONTRIBUTING.md tells it: add an operation to a
 * copy of the spec, generate, and use the new method. If this fails, the
 * workflow for a protocol change has rotted.
 */

const newOperation = `
  'store.ping': {
    request: payload({ bucket, echo: Type.String({ minLength: 1, pattern: '^[a-z]+$' }) }),
    result: Type.Object({ echo: Type.String(), at: Type.Number() }),
    api: 'bucket',
    safeRetry: true,
    doc: 'Answer with the echo and the server time.',
  },`;

const program = `
import { NoexClient } from './generated/client.js';

const client = new NoexClient('ws://localhost:1');
export const answer: Promise<{ echo: string; at: number }> = client.store.bucket('b').ping('hi');
// @ts-expect-error the echo is a string
void client.store.bucket('b').ping(1);
`;

describe('adding an operation (the drill)', () => {
  let temp: string;
  let files: Map<string, string>;

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'noex-drill-'));
    await cp(join(root, 'protocol'), join(temp, 'protocol'), { recursive: true });
    await symlink(join(root, 'runtime'), join(temp, 'runtime'));
    await symlink(join(root, 'node_modules'), join(temp, 'node_modules'));
    const storeFile = join(temp, 'protocol', 'store.ts');
    const store = await readFile(storeFile, 'utf8');
    const opening = 'export const store = defineOperations({';
    expect(store).toContain(opening);
    await writeFile(
      storeFile,
      store.replace(opening, () => `${opening}${newOperation}`),
    );
    const spec = (await import(pathToFileURL(join(temp, 'protocol', 'index.ts')).href)) as {
      operations: Spec;
    };
    files = await generate(spec.operations);
    await cp(join(root, 'generated'), join(temp, 'generated'), { recursive: true });
    for (const [name, text] of files) await writeFile(join(temp, 'generated', name), text);
  }, 60_000);

  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('generates a typed method that a program can call', async () => {
    expect(files.get('client.ts')).toContain(`ping(echo: string, options?: CallOptions)`);
    expect(await typecheck(temp, program)).toBe('');
  }, 120_000);

  it('validates the new operation’s request and declares its effects', async () => {
    const generated = (path: string) => import(pathToFileURL(join(temp, 'generated', path)).href);
    const { validators } = (await generated('validators.ts')) as {
      validators: OperationValidators;
    };
    const { effects } = (await generated('effects.ts')) as { effects: EffectsTable };
    const check = validators['store.ping']!.request;
    expect(check({ bucket: 'b', echo: 'hi' })).toBeUndefined();
    expect(check({ bucket: 'b', echo: 'Hi!' })).toEqual([
      { path: 'echo', message: 'expected to match ^[a-z]+$' },
    ]);
    expect(check({ bucket: 'b' })).toEqual([{ path: 'echo', message: 'is required' }]);
    expect(effects['store.ping']).toEqual({ safeRetry: true });
  });
});
