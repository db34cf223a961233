import { runCli, type CliIo } from '../../cli/run.js';

/** runCli with stdout and stderr captured (no environment unless given in `io`). */
export function runCaptured(argv: string[], io: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const done = runCli(argv, {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    ...io,
  });
  return { done, stdout: () => out.join(''), stderr: () => err.join('') };
}
