// Type-checks code that uses the package as an application would, in a fresh
// project that installed the packed tarball (scripts/pack.mjs) and nothing else
// but @types/node for the Node settings: `skipLibCheck: false`, so every
// declaration file the package ships is checked too, under each module
// resolution (bundler, node16, nodenext), each lib (browser: ES2022 + DOM, no
// @types/node; Node: ES2022 + @types/node; ESNext + DOM), on TypeScript 5 and
// the TypeScript the project builds with.
//
//   npm run check:consumer [-- --keep]   (--keep leaves the project for a look)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packFromCleanCheckout, root } from './pack.mjs';

const require = createRequire(import.meta.url);
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The compilers: TypeScript 5 (the npm alias `typescript5`) and the project's own. */
export const compilers = ['typescript5', 'typescript'].map((name) => {
  const dir = dirname(require.resolve(`${name}/package.json`));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { name: `TypeScript ${version}`, tsc: join(dir, 'bin', 'tsc') };
});

const resolutions = {
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['app.ts'] },
  node16: { module: 'node16', moduleResolution: 'node16', files: ['app.ts', 'app.cts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['app.ts', 'app.cts'] },
};
const environments = {
  'browser (ES2022 + DOM, no @types/node)': { lib: ['ES2022', 'DOM'], types: [] },
  'Node (ES2022 + @types/node, no DOM)': { lib: ['ES2022'], types: ['node'] },
  'ESNext + DOM': { lib: ['ESNext', 'DOM'], types: [] },
};

/**
 * A fresh project in a temporary folder with the tarball installed, plus the
 * given packages (name@range); `type: module`, like most new projects.
 */
export function consumerProject(tarball, extraPackages = []) {
  const dir = mkdtempSync(join(tmpdir(), 'noex-consumer-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'noex-consumer', private: true, type: 'module' }, null, 2),
  );
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel',
      'error',
      tarball,
      ...extraPackages,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return dir;
}

/** Runs one compiler over one tsconfig of the project; resolves to its output when it fails. */
export function typeCheck(compiler, dir, project) {
  const run = spawnSync(process.execPath, [compiler.tsc, '-p', project], {
    cwd: dir,
    encoding: 'utf8',
  });
  return run.status === 0 ? undefined : (run.stdout + run.stderr).trim() || `exit ${run.status}`;
}

const compilerOptions = {
  target: 'ES2022',
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const keep = process.argv.includes('--keep');
  const packed = packFromCleanCheckout();
  const types = `@types/node@${rootPackage.devDependencies['@types/node']}`;
  const dir = consumerProject(packed.tarball, [types]);
  for (const file of ['app.ts', 'app.cts'])
    copyFileSync(join(root, 'scripts', 'consumer', file), join(dir, file));
  const failures = [];
  let runs = 0;
  for (const compiler of compilers) {
    for (const [resolution, { files, ...module }] of Object.entries(resolutions)) {
      for (const [environment, lib] of Object.entries(environments)) {
        const project = `tsconfig.${runs++}.json`;
        const config = { compilerOptions: { ...compilerOptions, ...module, ...lib }, files };
        writeFileSync(join(dir, project), JSON.stringify(config, null, 2));
        const label = `${compiler.name}, moduleResolution ${resolution}, ${environment}`;
        const output = typeCheck(compiler, dir, project);
        if (output) failures.push(`${label} (${project}):\n${output}`);
        else console.log(`  ok  ${label}`);
      }
    }
  }
  if (keep) console.log(`check:consumer: the project is in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(packed.tarball), { recursive: true, force: true });
  if (failures.length) {
    for (const failure of failures) console.error(`FAIL ${failure}\n`);
    console.error(
      `check:consumer: ${failures.length} of ${runs} settings fail to type-check the package`,
    );
    process.exit(1);
  }
  console.log(
    `check:consumer: ok — noex-client and noex-client/testing type-check under all ${runs} settings`,
  );
}
