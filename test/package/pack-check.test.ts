import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without declarations
import { packageProblems } from '../../scripts/check-pack.mjs';
// @ts-expect-error: a plain .mjs script, without declarations
import { importAsEsm } from '../../scripts/cjs-declarations.mjs';

const pkg = {
  main: './dist/cjs/index.js',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' },
    },
    './package.json': './package.json',
  },
  bin: { noex: './dist/cli/main.js' },
};
const sources = [
  'index.ts',
  'cli/main.ts',
  'codegen/generate.ts',
  'codegen/app/model.ts',
  'runtime/client.ts',
  'test/helpers.ts',
  'README.md',
];
const map = JSON.stringify({
  version: 3,
  sources: ['../index.ts'],
  sourcesContent: ['export {};'],
});

/** A tarball as check:pack sees it: path → [content, mode]. */
function tarball(files: Record<string, string | [string, number]>) {
  const entries = Object.entries(files).map(([path, value]) => {
    const [content, mode] = typeof value === 'string' ? [value, 0o644] : value;
    return { path, mode, content };
  });
  const read = (path: string) => entries.find((entry) => entry.path === path)!.content;
  return { files: entries, pkg, sources, read };
}

const good = {
  'package.json': JSON.stringify(pkg),
  'README.md': '# readme',
  LICENSE: 'MIT',
  'dist/index.js': 'export const esm = 1;\n//# sourceMappingURL=index.js.map',
  'dist/index.js.map': map,
  'dist/index.d.ts': 'export declare const x: 1;',
  'dist/cjs/index.js': 'exports.cjs = 1;',
  'dist/cjs/index.d.ts': 'export declare const x: 1;',
  'dist/cjs/package.json': '{"type":"commonjs"}',
  'dist/cli/main.js': ['#!/usr/bin/env node\nconsole.log(1);', 0o755] as [string, number],
};

describe('check:pack', () => {
  it('passes a tarball with its entry points, bin, maps and one declaration pair', () => {
    expect(packageProblems(tarball(good))).toEqual([]);
  });

  it('names a missing entry point, LICENSE and a bin that cannot run', () => {
    const { LICENSE: _, 'dist/cjs/index.js': __, ...rest } = good;
    const problems = packageProblems(
      tarball({ ...rest, 'dist/cli/main.js': ['console.log(1);', 0o644] }),
    );
    expect(problems).toEqual([
      'LICENSE is missing',
      'package.json names dist/cjs/index.js, which is not in the tarball',
      'the noex bin dist/cli/main.js is not executable',
      'the noex bin dist/cli/main.js does not start with #!/usr/bin/env node',
    ]);
  });

  it('names tests, stray files (the client generator included), CLI declarations and CJS copies of the CLI', () => {
    const problems = packageProblems(
      tarball({
        ...good,
        'dist/test/helpers.js': 'export const helper = 1;',
        'dist/notes.txt': 'notes',
        'dist/cli/main.d.ts': 'export {};',
        'dist/cjs/cli/main.js': 'require("../index.js");',
        'dist/codegen/generate.js': 'export const generate = 1;',
        'dist/codegen/app/model.js': 'export const model = 1;',
        'dist/codegen/app/model.d.ts': 'export declare const model: 1;',
      }),
    );
    expect(problems).toEqual([
      'dist/test/helpers.js is not the build of a shipped source (a stray file)',
      'dist/notes.txt is not the build of a shipped source (a stray file)',
      'dist/cli/main.d.ts: nothing imports the CLI, so its declarations need not ship',
      'dist/cjs/cli/main.js: the CLI ships once, as ESM',
      'dist/codegen/generate.js is not the build of a shipped source (a stray file)',
      'dist/codegen/app/model.d.ts: nothing imports the CLI, so its declarations need not ship',
    ]);
  });

  it('names a map without its sources, a missing map and a file shipped twice', () => {
    const problems = packageProblems(
      tarball({
        ...good,
        'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../index.ts'] }),
        'dist/runtime/client.js': 'x\n//# sourceMappingURL=client.js.map',
        'dist/cjs/runtime/client.js': 'x\n//# sourceMappingURL=client.js.map',
      }),
    );
    expect(problems).toEqual([
      'dist/runtime/client.js points at a missing map client.js.map',
      'dist/cjs/runtime/client.js points at a missing map client.js.map',
      'dist/index.js.map does not carry its sources (sourcesContent)',
      'the same file ships twice: dist/runtime/client.js, dist/cjs/runtime/client.js',
    ]);
  });
});

describe('CommonJS declarations', () => {
  it('import an ESM-only dependency with resolution-mode import, splitting default and named imports', () => {
    const text = [
      "import Type, { type TSchema } from 'typebox';",
      "import type { Static } from 'typebox';",
      "import { WebSocket } from 'ws';",
      'export declare const a: import("typebox").TObject<{ b: import("typebox/type").TString }>;',
    ].join('\n');
    expect(importAsEsm(text, ['typebox']).split('\n')).toEqual([
      "import type Type from 'typebox' with { 'resolution-mode': 'import' };",
      "import type { TSchema } from 'typebox' with { 'resolution-mode': 'import' };",
      "import type { Static } from 'typebox' with { 'resolution-mode': 'import' };",
      "import { WebSocket } from 'ws';",
      "export declare const a: import(\"typebox\", { with: { 'resolution-mode': 'import' } }).TObject<{ b: import(\"typebox/type\", { with: { 'resolution-mode': 'import' } }).TString }>;",
    ]);
  });
});
