// Type-checks code that uses the package as an application would, in a fresh
// project that installed the packed tarball (scripts/pack.mjs) and nothing else
// but @types/node for the Node settings and React's types for the component
// that uses noex-client/react: `skipLibCheck: false`, so every
// declaration file the package ships is checked too, under each module
// resolution (bundler, node16, nodenext), each lib (browser: ES2022 + DOM, no
// @types/node; Node: ES2022 + @types/node; ESNext + DOM), on TypeScript 5 and
// the TypeScript the project builds with.
//
//   npm run check:consumer [-- --keep]   (--keep leaves the project for a look)
import { execFileSync, spawn } from 'node:child_process';
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
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['app.ts', 'react-app.tsx'] },
  node16: {
    module: 'node16',
    moduleResolution: 'node16',
    files: ['app.ts', 'app.cts', 'react-app.tsx'],
  },
  nodenext: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    files: ['app.ts', 'app.cts', 'react-app.tsx'],
  },
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
  return new Promise((resolve) => {
    const run = spawn(process.execPath, [compiler.tsc, '-p', project], { cwd: dir });
    let output = '';
    run.stdout.on('data', (chunk) => (output += chunk));
    run.stderr.on('data', (chunk) => (output += chunk));
    run.on('close', (code) => resolve(code === 0 ? undefined : output.trim() || `exit ${code}`));
  });
}

const compilerOptions = {
  target: 'ES2022',
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  jsx: 'react-jsx',
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const keep = process.argv.includes('--keep');
  const packed = packFromCleanCheckout();
  const dir = consumerProject(
    packed.tarball,
    ['@types/node', 'react', '@types/react'].map(
      (name) => `${name}@${rootPackage.devDependencies[name]}`,
    ),
  );
  for (const file of ['app.ts', 'app.cts', 'react-app.tsx', 'client-only.ts', 'client-only.cts'])
    copyFileSync(join(root, 'scripts', 'consumer', file), join(dir, file));
  const checks = [];
  for (const compiler of compilers) {
    for (const [resolution, { files, ...module }] of Object.entries(resolutions)) {
      for (const [environment, lib] of Object.entries(environments)) {
        const project = `tsconfig.${checks.length}.json`;
        const config = { compilerOptions: { ...compilerOptions, ...module, ...lib }, files };
        writeFileSync(join(dir, project), JSON.stringify(config, null, 2));
        const label = `${compiler.name}, moduleResolution ${resolution}, ${environment}`;
        checks.push({ compiler, project, label });
      }
    }
  }
  // noex-client alone, in programs of its own, under a lib without `esnext.disposable`, with DOM
  // and with neither DOM nor @types/node (a runtime-agnostic library: no AbortSignal in its lib).
  for (const compiler of compilers) {
    for (const [resolution, files] of [
      ['bundler', ['client-only.ts']],
      ['node16', ['client-only.ts', 'client-only.cts']],
    ]) {
      for (const [environment, lib] of [
        ['ES2022 + DOM', environments['browser (ES2022 + DOM, no @types/node)']],
        ['ES2022 alone', { lib: ['ES2022'], types: [] }],
      ]) {
        const { files: _, ...module } = resolutions[resolution];
        const project = `tsconfig.${checks.length}.json`;
        const config = { compilerOptions: { ...compilerOptions, ...module, ...lib }, files };
        writeFileSync(join(dir, project), JSON.stringify(config, null, 2));
        const label = `${compiler.name}, noex-client alone, moduleResolution ${resolution}, ${environment}`;
        checks.push({ compiler, project, label });
      }
    }
  }
  // Two compilers at a time: one per core of a CI machine.
  const failures = [];
  const queue = [...checks];
  const worker = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const output = await typeCheck(check.compiler, dir, check.project);
      if (output) failures.push(`${check.label} (${check.project}):\n${output}`);
      else console.log(`  ok  ${check.label}`);
    }
  };
  await Promise.all([worker(), worker()]);
  const runs = checks.length;
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
    `check:consumer: ok — noex-client, noex-client/testing and noex-client/react type-check under all ${runs} settings`,
  );
}
