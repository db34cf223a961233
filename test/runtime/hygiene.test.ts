import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MockError, MockServer } from '../../testing/mock-server.js';

const root = new URL('../../', import.meta.url).pathname;

/** Runs a script in a fresh Node process; resolves its exit code, or 'hung' if it outlives `ms`. */
function runScript(
  source: string,
  env: Record<string, string>,
  ms = 8_000,
): Promise<number | 'hung'> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('hung');
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

describe('process hygiene', () => {
  it('leaves nothing that keeps Node alive after disconnect()', async () => {
    await using server = await MockServer.start();
    server.handle('store.subscribe', () => ({ subscriptionId: 'sub-1', data: [] }));
    const script = `
      import { NoexClient } from './index.ts';
      const client = new NoexClient(process.env.URL, { requestTimeoutMs: 60_000, reconnect: { initialDelayMs: 60_000 } });
      await client.connect();
      await client.store.subscribe('q', () => {});
      const pending = client.store.bucket('b').all().catch(() => {});
      await client.disconnect();
      await pending;
    `;
    expect(await runScript(script, { URL: server.url })).toBe(0);
  }, 20_000);

  it('leaves nothing behind after a refused connect', async () => {
    const script = `
      import { NoexClient } from './index.ts';
      const client = new NoexClient('ws://127.0.0.1:9', { connectTimeoutMs: 60_000 });
      await client.connect().catch(() => {});
    `;
    expect(await runScript(script, {})).toBe(0);
  }, 20_000);

  it('leaves nothing behind when disconnect() interrupts a reconnect loop', async () => {
    await using server = await MockServer.start();
    const script = `
      import { NoexClient } from './index.ts';
      const client = new NoexClient(process.env.URL, { reconnect: { initialDelayMs: 60_000 } });
      await client.connect();
      await new Promise((resolve) => { client.on('reconnecting', resolve); fetch(process.env.KILL).catch(() => {}); });
      await client.disconnect();
    `;
    const { createServer } = await import('node:http');
    const killer = createServer((_, res) => {
      server.connection.terminate();
      res.end();
    });
    await new Promise<void>((resolve) => killer.listen(0, '127.0.0.1', resolve));
    const kill = `http://127.0.0.1:${(killer.address() as { port: number }).port}/`;
    try {
      expect(await runScript(script, { URL: server.url, KILL: kill })).toBe(0);
    } finally {
      killer.closeAllConnections();
      await new Promise((resolve) => killer.close(resolve));
    }
  }, 20_000);

  it('leaves nothing behind when disconnect() interrupts a retry’s wait, and a lazy client does not connect again for it', async () => {
    await using server = await MockServer.start();
    server.handle('store.get', () => {
      throw new MockError('RATE_LIMITED', 'Rate limit exceeded', { retryAfterMs: 60_000 });
    });
    const script = `
      import { NoexClient } from './index.ts';
      const client = new NoexClient(process.env.URL, {
        lazy: true,
        retry: { maxRetries: 3 },
        requestTimeoutMs: 60_000,
      });
      const connected = new Promise((resolve) => client.on('connected', resolve));
      const retried = client.store.bucket('b').get('k').catch((e) => e.code);
      await connected;
      // Refused at once: the call now waits a minute for its retry.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.disconnect();
      if ((await retried) !== 'DISCONNECTED') process.exit(3);
    `;
    expect(await runScript(script, { URL: server.url })).toBe(0);
  }, 20_000);
});
