import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../index.js';

const root = new URL('../../', import.meta.url).pathname;

describe('examples/react', () => {
  it('one command bundles and serves the todo list with a stand-in, printing the URL', async () => {
    // what `npm run example:react` runs
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.NOEX_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/react/serve.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = once(child, 'exit');
    try {
      await vi.waitFor(() => expect(stdout, stderr).toMatch(/Live todo list at http:\/\//), {
        timeout: 20_000,
        interval: 50,
      });
      const url = /Live todo list at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)![1]!;
      expect(stdout).toContain('with an in-process stand-in for noex-server');

      const html = await (await fetch(url)).text();
      const noexUrl = /<meta name="noex-url" content="(ws:\/\/127\.0\.0\.1:\d+)">/.exec(html)?.[1];
      expect(noexUrl).toBeDefined();
      const app = await fetch(`${url}app.js`);
      expect(app.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await app.text()).length).toBeGreaterThan(10_000);

      // the stand-in answers what the page asks for: the todos query, with a push per change
      await using client = new NoexClient(noexUrl!, {
        reconnect: false,
        validateResults: 'strict',
      });
      await client.connect();
      const seen: unknown[] = [];
      await client.store.subscribe('todos', (todos) => seen.push(todos));
      await client.store.bucket('todos').insert({ title: 'Try it', done: false });
      await vi.waitFor(() => expect(seen).toMatchObject([[], [{ title: 'Try it', done: false }]]));
    } finally {
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code, stderr).toBe(0);
    }
  }, 40_000);
});
