import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { browserBundle, root, wsMarkers } from '../browser/bundle.js';

/** An entry bundled with every package left as an import: its own modules and the packages it imports. */
async function modulesOf(entry: string, platform: 'browser' | 'node') {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform,
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return {
    inputs: Object.keys(result.metafile.inputs),
    packages: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort(),
    bytes: output.bytes,
    code: result.outputFiles[0]!.text,
  };
}

describe('noex-client/react stays out of the core', () => {
  it.each([
    ['index.ts', 'browser'],
    ['testing.ts', 'node'],
  ] as const)('%s imports neither react nor the bindings', async (entry, platform) => {
    const { inputs, packages } = await modulesOf(entry, platform);
    expect(inputs).toContain(entry);
    expect(inputs.filter((input) => input.startsWith('react/'))).toEqual([]);
    expect(packages.filter((name) => /^react(-dom)?(\/|$)/.test(name))).toEqual([]);
  });

  it('the browser bundle of the core takes no module of react or of the bindings', async () => {
    const { metafile } = await browserBundle();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => /(^|\/)react(-dom)?\//.test(input))).toEqual([]);
  });

  it('the bindings import react and no module of the core: they work with the client they are given', async () => {
    const { inputs, packages, code } = await modulesOf('react/index.ts', 'browser');
    expect(packages).toEqual(['react']);
    expect(inputs.sort()).toEqual([
      'react/index.ts',
      'react/live.ts',
      'react/provider.ts',
      'react/use-connection-state.ts',
      'react/use-query.ts',
      'react/use-rules-events.ts',
    ]);
    for (const marker of wsMarkers) expect(code).not.toContain(marker);
  });
});
