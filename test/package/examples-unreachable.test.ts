import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(example: string, url: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `examples/${example}.ts`],
      { cwd: root, env: { ...process.env, NOEX_URL: url }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('examples against a NOEX_URL nobody listens on', () => {
  it.each(['quick-start', 'auth-and-reconnect', 'typed-buckets', 'watch'])(
    '%s says so in one line, without a stack trace, and exits 1',
    async (example) => {
      const url = `ws://127.0.0.1:${await closedPort()}`;
      const { code, stdout, stderr } = await run(example, url);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `cannot connect to ${url}: connect ECONNREFUSED ${url.slice(5)}. Is noex-server running there? Or unset NOEX_URL to run against the embedded stand-in.`,
      ]);
      expect(stdout).not.toMatch(/\n\s+at /);
    },
    30_000,
  );
});
