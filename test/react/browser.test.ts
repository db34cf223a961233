import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoexClient } from '../../index.js';
import type { MockConnection } from '../../testing/mock-server.js';
import { bundleApp, pageHtml } from '../../examples/react/serve.js';
import { startTodoServer, type TodoServer } from './server.js';

/**
 * The React example (examples/react/app.tsx, bundled by esbuild with React)
 * in Debian's chromium, driven by playwright-core, against an in-process mock
 * server on 127.0.0.1 that a second client writes to from Node.
 */
const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  console.info(
    `React browser test skipped: ${CHROMIUM} is missing (bash .ci/run installs it: apt-get install chromium)`,
  );
}
const suite = present ? describe : describe.skip;
const title = present
  ? 'the React todo list in chromium'
  : `the React todo list in chromium — skipped: ${CHROMIUM} is missing (apt-get install chromium)`;

suite(title, () => {
  let todos: TodoServer;
  let other: NoexClient;
  let http: Server;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let pageConnection: MockConnection;
  const pageLog: string[] = [];

  beforeAll(async () => {
    todos = await startTodoServer();
    todos.add('Buy milk');
    const { code, warnings } = await bundleApp();
    expect(warnings).toEqual([]);
    const html = pageHtml(todos.server.url);
    http = createServer((request, response) => {
      if (request.url === '/app.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
      } else if (request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    profile = await mkdtemp(join(tmpdir(), 'noex-chromium-react-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 20_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => pageLog.push(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => pageLog.push(`pageerror: ${error.message}`));
  }, 60_000);

  afterAll(async () => {
    await other?.disconnect();
    await context?.close();
    await todos?.server.close();
    await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const items = () => page.locator('section li').allTextContents();
  const badge = () => page.locator('.badge').textContent();
  const status = () => page.locator('.status').getAttribute('data-status');
  /** Waits until `read()` gives `expected`; a failure shows what the page logged. */
  const until = async <T>(read: () => Promise<T>, expected: T) => {
    try {
      await expect.poll(read, { timeout: 10_000 }).toEqual(expected);
    } catch (error) {
      throw new Error(`${(error as Error).message}\npage log:\n${pageLog.join('\n')}`);
    }
  };

  it('shows the live list', async () => {
    await page.goto(`http://127.0.0.1:${(http.address() as { port: number }).port}/`);
    await until(items, ['Buy milk']);
    expect(await badge()).toBe('connected');
    expect(await status()).toBe('live');
    pageConnection = todos.server.connection;
    expect(todos.subscriptions()).toMatchObject([{ query: 'todos', connection: pageConnection }]);
  });

  it('updates when another client inserts', async () => {
    other = todos.newClient();
    await other.connect();
    await other.store.bucket('todos').insert({ title: 'Walk the dog', done: false });
    await until(items, ['Buy milk', 'Walk the dog']);
  });

  it('adds a todo from its own form, and hears the rules event for it', async () => {
    await page.getByLabel('New todo').fill('Water plants');
    await page.getByRole('button', { name: 'Add' }).click();
    await until(items, ['Buy milk', 'Walk the dog', 'Water plants']);
    await until(() => page.getByLabel('Activity').textContent(), 'added “Water plants”');
  });

  it('keeps the list while the connection is restored, then catches up', async () => {
    const release = todos.hold();
    pageConnection.terminate();
    await until(status, 'restoring');
    expect(await badge()).toBe('reconnecting');
    expect(await items()).toEqual(['Buy milk', 'Walk the dog', 'Water plants']);
    // a change made while the page is away
    await other.store.bucket('todos').insert({ title: 'Call mum', done: false });
    release();
    await until(items, ['Buy milk', 'Walk the dog', 'Water plants', 'Call mum']);
    expect(await status()).toBe('live');
    await until(badge, 'connected');
    // pushes reach the restored subscription
    await other.store.bucket('todos').insert({ title: 'Pay rent', done: false });
    await until(items, ['Buy milk', 'Walk the dog', 'Water plants', 'Call mum', 'Pay rent']);
    const held = todos.subscriptions('todos').filter((s) => s.connection !== pageConnection);
    expect(held).toHaveLength(1);
    expect(pageLog.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  });
});
