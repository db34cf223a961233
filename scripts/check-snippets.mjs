// Type-checks every TypeScript code block of README.md and docs/guides/*.md
// against the built package, as a reader would paste it: in a fresh project
// that installed the packed tarball (scripts/pack.mjs). Each block is a module
// of its own; `client` (a NoexClient), `url` and `server` (a MockServer) are
// declared for the blocks that use them without setting them up. A block that
// imports './noex.generated.js' gets the file `noex generate` writes for the
// schema of scripts/snippets/noex.schema.json. A block fenced as ```ts ignore
// is not checked (for signatures that are not code).
//
//   npm run check:snippets [-- --keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { compilers, consumerProject, typeCheck } from './check-consumer.mjs';
import { packFromCleanCheckout, root } from './pack.mjs';

/** The markdown files whose code blocks are checked. */
export function documents() {
  const guides = join(root, 'docs', 'guides');
  return [
    join(root, 'README.md'),
    ...readdirSync(guides)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(guides, name)),
  ];
}

/**
 * The TypeScript blocks of a markdown text: fenced with ```ts, ```typescript or
 * ```tsx (not ```ts ignore), each with the line its code starts on (1-based).
 */
export function extractSnippets(markdown) {
  const snippets = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|tsx)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language, rest] = open;
    const end = lines.findIndex((line, j) => j > i && line.trim().startsWith(fence));
    const last = end === -1 ? lines.length : end;
    if (!/\bignore\b/.test(rest)) {
      snippets.push({
        line: i + 2,
        tsx: language === 'tsx',
        code: lines
          .slice(i + 1, last)
          .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
          .join('\n'),
      });
    }
    i = last;
  }
  return snippets;
}

/** Bare package names a piece of code imports (`typebox`, `@scope/name`), noex-client excluded. */
export function importedPackages(code) {
  const names = new Set();
  for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g)) {
    const name = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : specifier.split('/')[0];
    if (name !== 'noex-client' && !name.startsWith('node:')) names.add(name);
  }
  return [...names];
}

const PRELUDE = `// What the documentation's code blocks may use without setting it up.
import type { NoexClient } from 'noex-client';
import type { MockServer } from 'noex-client/testing';

declare global {
  /** A client, connected by an earlier block. */
  const client: NoexClient;
  /** The server's URL. */
  const url: string;
  /** A mock server, started by an earlier block. */
  const server: MockServer;
}
`;

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const keep = process.argv.includes('--keep');
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const devRanges = { ...rootPackage.devDependencies, ...rootPackage.peerDependencies };
  const files = [];
  for (const document of documents()) {
    const stem = basename(document, '.md');
    for (const [index, snippet] of extractSnippets(readFileSync(document, 'utf8')).entries()) {
      files.push({
        ...snippet,
        document,
        name: `snippets/${stem}-${index + 1}.${snippet.tsx ? 'tsx' : 'ts'}`,
      });
    }
  }
  // Packages the blocks import are installed at the project's own ranges, with their @types.
  const packages = new Set(['@types/node']);
  const imported = files.flatMap((file) => importedPackages(file.code));
  // JSX compiles to imports of react/jsx-runtime.
  if (files.some((file) => file.tsx)) imported.push('react');
  for (const name of imported) {
    for (const candidate of [name, `@types/${name.replace(/^@(.*)\/(.*)$/, '$1__$2')}`]) {
      if (devRanges[candidate]) packages.add(candidate);
    }
  }
  const packed = packFromCleanCheckout();
  const dir = consumerProject(
    packed.tarball,
    [...packages].map((name) => `${name}@${devRanges[name]}`),
  );
  mkdirSync(join(dir, 'snippets'));
  writeFileSync(join(dir, 'snippets', 'prelude.d.ts'), PRELUDE);
  for (const file of files) writeFileSync(join(dir, file.name), `${file.code}\nexport {};\n`);
  if (files.some((file) => file.code.includes("from './noex.generated.js'"))) {
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'cli/main.ts',
        'generate',
        '--from',
        'scripts/snippets/noex.schema.json',
      ].concat(['--out', join(dir, 'snippets', 'noex.generated.ts')]),
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        jsx: 'react-jsx',
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['snippets'],
    }),
  );
  const compiler = compilers.at(-1);
  const output = await typeCheck(compiler, dir, 'tsconfig.json');
  if (keep) console.log(`check:snippets: the project is in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(packed.tarball), { recursive: true, force: true });
  if (output) {
    // Point each error at the markdown line it comes from.
    const located = output.replace(
      /^snippets\/([^(]+)\((\d+),(\d+)\)/gm,
      (whole, name, line, column) => {
        const file = files.find((f) => f.name === `snippets/${name}`);
        if (!file) return whole;
        return `${relative(root, file.document)}:${file.line + Number(line) - 1}:${column}`;
      },
    );
    console.error(located);
    console.error(
      `check:snippets: code blocks of the docs fail to type-check against the package (${compiler.name})`,
    );
    process.exit(1);
  }
  const documentsChecked = new Set(files.map((file) => file.document)).size;
  console.log(
    `check:snippets: ok — ${files.length} TypeScript blocks of ${documentsChecked} documents type-check against the packed package (${compiler.name})`,
  );
}
