import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NoexClient } from '../../index.js';
import type { MockConnection } from '../../testing/mock-server.js';
import { bundleApp, pageHtml } from '../../examples/react/serve.js';
import {
  describeInChromium,
  launchChromium,
  servePage,
  type Browser,
  type Site,
} from '../browser/chromium.js';
import { startTodoServer, type TodoServer } from './server.js';

/**
 * The React example (examples/react/app.tsx, bundled by esbuild with React)
 * in Debian's chromium, driven by playwright-core, against an in-process mock
 * server on 127.0.0.1 that a second client writes to from Node.
 */
describeInChromium('the React todo list in chromium', () => {
  let todos: TodoServer;
  let other: NoexClient;
  let site: Site;
  let browser: Browser;
  let page: Page;
  let pageConnection: MockConnection;

  beforeAll(async () => {
    todos = await startTodoServer();
    todos.add('Buy milk');
    const { code, warnings } = await bundleApp();
    expect(warnings).toEqual([]);
    site = await servePage(pageHtml(todos.server.url), '/app.js', code);
    browser = await launchChromium('noex-chromium-react-');
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await other?.disconnect();
    await browser?.close();
    await todos?.server.close();
    await site?.close();
  });

  const items = () => page.locator('section li').allTextContents();
  const badge = () => page.locator('.badge').textContent();
  const status = () => page.locator('.status').getAttribute('data-status');
  /** Waits until `read()` gives `expected`; a failure shows what the page logged. */
  const until = async <T>(read: () => Promise<T>, expected: T) => {
    try {
      await expect.poll(read, { timeout: 10_000 }).toEqual(expected);
    } catch (error) {
      throw new Error(`${(error as Error).message}\npage log:\n${browser.log.join('\n')}`);
    }
  };

  it('shows the live list', async () => {
    await page.goto(`${site.origin}/`);
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
    expect(browser.log.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  });
});
