// Fails when `npm install` would change package-lock.json: package.json and
// the lockfile are resolved again in a temporary folder (lockfile only, no
// node_modules, no scripts) and the result must be the committed lockfile.
//
//   npm run check:lockfile
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './pack.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'noex-lockfile-'));
try {
  for (const file of ['package.json', 'package-lock.json'])
    copyFileSync(join(root, file), join(scratch, file));
  execFileSync(
    'npm',
    [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel',
      'error',
    ],
    { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const committed = readFileSync(join(root, 'package-lock.json'), 'utf8');
  const resolved = readFileSync(join(scratch, 'package-lock.json'), 'utf8');
  if (committed !== resolved) {
    console.error(
      'check:lockfile: package-lock.json is out of date with package.json; `npm install` would change it:',
    );
    try {
      execFileSync(
        'diff',
        ['-u', join(root, 'package-lock.json'), join(scratch, 'package-lock.json')],
        {
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      );
    } catch {
      // diff exits 1 when the files differ, which is the case here.
    }
    console.error('Run `npm install` and commit package-lock.json.');
    process.exit(1);
  }
  console.log(
    'check:lockfile: ok — package-lock.json is what npm install resolves from package.json',
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
