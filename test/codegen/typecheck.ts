import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const root = new URL('../..', import.meta.url).pathname;

/** Type-checks `program.ts` in `dir` (strict, NodeNext) and resolves tsc's output: '' when it passes. */
export async function typecheck(dir: string, program: string): Promise<string> {
  await writeFile(join(dir, 'program.ts'), program);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'ESNext.Disposable', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
    files: ['program.ts'],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = await promisify(execFile)(process.execPath, [tsc, '-p', dir]).catch(
    (error: { stdout: string }) => error,
  );
  return run.stdout;
}
