import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

describe('examples', () => {
  it('the quick start runs against the embedded stand-in', async () => {
    const env = { ...process.env };
    delete env.NOEX_URL;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/quick-start.ts'],
      {
        cwd: root,
        env,
        timeout: 20_000,
      },
    );
    expect(stdout).toMatch(/^Using the embedded stand-in at ws:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain("Updated: [ 'Alice' ]");
    expect(stdout).toContain("Updated: [ 'Alice', 'Bob' ]");
    expect(stdout).toMatch(/Event user\.created: \{ userId: '[0-9a-f-]{36}' \}/);
    expect(stdout.trim().endsWith('Done.')).toBe(true);
  }, 30_000);

  it.each([
    [
      'auth-and-reconnect',
      [
        'Disconnected: connection closed (1006)',
        'Reconnecting... attempt 1',
        'Reconnected! Subscriptions restored.',
        'Users: 1',
      ],
    ],
    [
      'typed-buckets',
      [
        'Updated to age 31, version 2',
        'Refused before sending: data.name expected non-empty string; data.age expected integer ≥ 0',
        'Paged: Carol',
      ],
    ],
    ['watch', ['Users: 3', "Event order.created: { orderId: 'o-1' }"]],
  ])(
    '%s runs against the embedded stand-in',
    async (name, lines) => {
      const env = { ...process.env };
      delete env.NOEX_URL;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', `examples/${name}.ts`],
        {
          cwd: root,
          env,
          timeout: 20_000,
        },
      );
      for (const line of lines) expect(stdout).toContain(line);
      expect(stdout.trim().endsWith('Done.')).toBe(true);
    },
    30_000,
  );
});
