import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The modules an entry point loads, as esbuild bundles it for Node. */
async function modulesOf(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'bundle',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('TypeBox stays in the spec', () => {
  it.each(['index.ts', 'runtime/index.ts', 'cli/help.ts', 'cli/main.ts'])(
    '%s loads no TypeBox module',
    async (entry) => {
      const modules = await modulesOf(entry);
      expect(modules.length).toBeGreaterThan(1);
      expect(modules.filter((m) => m.includes('node_modules/typebox/'))).toEqual([]);
    },
  );
});
