// Packs the package as a fresh clone would: the files git knows (tracked, or
// new and not ignored), copied to a temporary folder without dist/ or any other
// leftover, then `npm pack` there, whose `prepack` builds dist/. The checks
// that look at the tarball or install it in a consumer project start here.
//
//   node scripts/pack.mjs [destination]   prints the tarball's path
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The files a clone of the working tree would have: tracked or new, not ignored, not deleted. */
export function checkoutFiles() {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  return [...new Set(listed.split('\0').filter(Boolean))].filter((file) =>
    existsSync(join(root, file)),
  );
}

/**
 * Copies the checkout to a temporary folder (node_modules linked, not copied),
 * runs `npm pack` there and returns the tarball's path and npm's list of the
 * files in it. The copy is removed afterwards.
 */
export function packFromCleanCheckout(destination = mkdtempSync(join(tmpdir(), 'noex-pack-'))) {
  const checkout = mkdtempSync(join(tmpdir(), 'noex-checkout-'));
  try {
    for (const file of checkoutFiles()) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      copyFileSync(join(root, file), join(checkout, file));
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    mkdirSync(destination, { recursive: true });
    const output = execFileSync(
      'npm',
      ['pack', '--json', '--pack-destination', resolve(destination), '--loglevel', 'error'],
      {
        cwd: checkout,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 << 20,
      },
    );
    // prepack's build log comes first on stdout; npm's JSON is the last thing printed.
    const [report] = JSON.parse(output.slice(output.lastIndexOf('\n[') + 1));
    return {
      tarball: join(resolve(destination), report.filename),
      files: report.files.map((file) => ({ path: file.path, size: file.size, mode: file.mode })),
      size: report.size,
      unpackedSize: report.unpackedSize,
    };
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(packFromCleanCheckout(process.argv[2]).tarball);
}
