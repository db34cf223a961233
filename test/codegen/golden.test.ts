import { describe, expect, it } from 'vitest';
import { generate } from '../../codegen/generate.js';
import { miniSpec } from './mini-spec.js';

describe('the generator on a small spec (update with vitest -u)', async () => {
  const files = await generate(miniSpec);

  it('writes types, validators, client, effects and the catalog', () => {
    expect([...files.keys()].sort()).toEqual([
      'catalog.ts',
      'client.ts',
      'effects.ts',
      'types.ts',
      'validators.ts',
    ]);
  });

  it.each(['types.ts', 'validators.ts', 'client.ts', 'effects.ts'])(
    '%s matches its golden copy',
    async (name) => {
      await expect(files.get(name)).toMatchFileSnapshot(`./golden/${name}.snap`);
    },
  );

  it('is deterministic', async () => {
    const again = await generate(miniSpec);
    expect([...again]).toEqual([...files]);
  });

  it('refuses schema keywords it cannot emit', async () => {
    const bad = { ...miniSpec['store.get'], request: { allOf: [{ type: 'string' }] } };
    await expect(generate({ 'store.get': bad as never })).rejects.toThrow(
      'store.get request: schema keyword "allOf" is not supported',
    );
  });
});
