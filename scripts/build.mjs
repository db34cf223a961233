// Builds the publishable dist/: ESM (dist/*.js + .d.ts) and CommonJS
// (dist/cjs/*.js + .d.ts, marked "type": "commonjs" by dist/cjs/package.json
// so Node and TypeScript read both the code and the declarations as CJS).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esmOnlyDependencies, rewriteCjsDeclarations } from './cjs-declarations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

function compile(project) {
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`build: tsc -p ${project} failed`);
    process.exit(run.status ?? 1);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
compile('tsconfig.build.json');
compile('tsconfig.cjs.json');
rewriteCjsDeclarations(join(root, 'dist', 'cjs'), esmOnlyDependencies(root));
mkdirSync(join(root, 'dist', 'cjs'), { recursive: true });
writeFileSync(
  join(root, 'dist', 'cjs', 'package.json'),
  JSON.stringify({ type: 'commonjs' }, null, 2) + '\n',
);
chmodSync(join(root, 'dist', 'cli', 'main.js'), 0o755);
console.log('build: dist/ (ESM, with the noex CLI) and dist/cjs/ (CommonJS) written');
