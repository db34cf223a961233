// Packs from a clean checkout (scripts/pack.mjs) and checks what the tarball
// holds: every entry point the package.json names, the CLI bin (executable,
// with its shebang), nothing but the build of the package's own sources (no
// tests, benchmarks, examples or scripts, no stray files), source maps that
// carry their sources, and no file twice except the one pair that needs it.
//
//   npm run check:pack
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkoutFiles, packFromCleanCheckout } from './pack.mjs';

/** Source folders that never ship: their code is for developing the package. */
const UNSHIPPED = ['test/', 'bench/', 'examples/', 'scripts/', 'docs/'];
/**
 * Code only the noex CLI runs: ESM only, without declarations. Of codegen/,
 * only the app generator (`noex generate`) ships; the client's generator does not.
 */
const CLI_ONLY = ['cli/', 'codegen/app/'];
/** Files beside dist/ in the tarball. */
const TOP_LEVEL = ['package.json', 'README.md', 'LICENSE'];

/** Every file path package.json points at: main, module, types, exports, typesVersions, bin. */
export function entryPoints(pkg) {
  const paths = new Set();
  const walk = (value) => {
    if (typeof value === 'string') paths.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([pkg.main, pkg.module, pkg.types, pkg.exports, pkg.typesVersions, pkg.bin]);
  return [...paths].filter((path) => path !== 'package.json');
}

/**
 * What is wrong with a tarball, as a list of sentences (empty when nothing is).
 *
 * @param files - The tarball's files: `{ path, mode }`, paths relative to the package root.
 * @param pkg - Its package.json.
 * @param sources - The checkout's files, to tell built sources from strays.
 * @param read - Reads a file of the tarball as a string.
 */
export function packageProblems({ files, pkg, sources, read }) {
  const problems = [];
  const paths = new Set(files.map((file) => file.path));
  const shippedSources = new Set(
    sources.filter(
      (source) =>
        /\.tsx?$/.test(source) &&
        !UNSHIPPED.some((dir) => source.startsWith(dir)) &&
        (!source.startsWith('codegen/') || source.startsWith('codegen/app/')),
    ),
  );

  for (const path of TOP_LEVEL) if (!paths.has(path)) problems.push(`${path} is missing`);
  for (const entry of entryPoints(pkg)) {
    if (!paths.has(entry))
      problems.push(`package.json names ${entry}, which is not in the tarball`);
  }
  for (const [name, bin] of Object.entries(pkg.bin ?? {})) {
    const file = files.find((f) => f.path === bin.replace(/^\.\//, ''));
    if (!file) continue;
    if ((file.mode & 0o111) === 0) problems.push(`the ${name} bin ${file.path} is not executable`);
    if (!read(file.path).startsWith('#!/usr/bin/env node\n')) {
      problems.push(`the ${name} bin ${file.path} does not start with #!/usr/bin/env node`);
    }
  }

  for (const { path } of files) {
    if (TOP_LEVEL.includes(path) || path === 'dist/cjs/package.json') continue;
    const built = /^dist\/(cjs\/)?(.+?)(\.d\.ts|\.js|\.js\.map)$/.exec(path);
    const stem = built?.[2];
    if (!built || !(shippedSources.has(`${stem}.ts`) || shippedSources.has(`${stem}.tsx`))) {
      problems.push(`${path} is not the build of a shipped source (a stray file)`);
    } else if (built[1] && CLI_ONLY.some((dir) => stem.startsWith(dir))) {
      problems.push(`${path}: the CLI ships once, as ESM`);
    } else if (CLI_ONLY.some((dir) => stem.startsWith(dir)) && built[3] === '.d.ts') {
      problems.push(`${path}: nothing imports the CLI, so its declarations need not ship`);
    }
  }

  for (const { path } of files.filter((file) => file.path.endsWith('.js'))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(path))?.[1];
    if (url && !paths.has(join(path, '..', url)))
      problems.push(`${path} points at a missing map ${url}`);
  }
  for (const { path } of files.filter((file) => file.path.endsWith('.map'))) {
    const map = JSON.parse(read(path));
    const complete =
      Array.isArray(map.sourcesContent) &&
      map.sourcesContent.length === map.sources.length &&
      map.sourcesContent.every((content) => typeof content === 'string');
    if (!complete) problems.push(`${path} does not carry its sources (sourcesContent)`);
  }

  // The one file that ships twice on purpose: a declaration file in dist/ and
  // its copy in dist/cjs/, read as CommonJS there (dist/cjs/package.json), so
  // that `require` and `import` each get declarations of their own format.
  const byContent = new Map();
  for (const { path } of files) {
    const hash = createHash('sha256').update(read(path)).digest('hex');
    byContent.set(hash, [...(byContent.get(hash) ?? []), path]);
  }
  for (const same of byContent.values()) {
    const [first, second] = [...same].sort((a, b) => a.length - b.length);
    const declarationPair =
      same.length === 2 &&
      first.endsWith('.d.ts') &&
      second === first.replace(/^dist\//, 'dist/cjs/');
    if (same.length > 1 && !declarationPair)
      problems.push(`the same file ships twice: ${same.join(', ')}`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const packed = packFromCleanCheckout();
  const unpacked = mkdtempSync(join(tmpdir(), 'noex-unpacked-'));
  try {
    execFileSync('tar', ['xzf', packed.tarball, '-C', unpacked]);
    const read = (path) => readFileSync(join(unpacked, 'package', path), 'utf8');
    const problems = packageProblems({
      files: packed.files,
      pkg: JSON.parse(read('package.json')),
      sources: checkoutFiles(),
      read,
    });
    if (problems.length) {
      console.error(`check:pack: ${packed.tarball} has ${problems.length} problem(s):`);
      for (const problem of problems) console.error(`  - ${problem}`);
      process.exit(1);
    }
    console.log(
      `check:pack: ok — ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked; entry points, bin, maps and file list as expected`,
    );
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
    rmSync(join(packed.tarball, '..'), { recursive: true, force: true });
  }
}
