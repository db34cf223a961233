import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MockServer } from '../../testing/mock-server.js';
import { splitBrowserBundle } from './bundle.js';
import {
  describeInChromium,
  launchChromium,
  servePage,
  type Browser,
  type Site,
} from './chromium.js';

/**
 * A real browser: Debian's chromium (installed by .ci/run) driven by
 * playwright-core loads the ESM bundle of index.ts (split: its chunks load as used) from a page on 127.0.0.1 and
 * talks to an in-process MockServer with the browser's own WebSocket.
 */

/** What the page reports on `window.noex`. */
interface PageState {
  ready: boolean;
  error: string | null;
  events: string[];
  pushes: unknown[];
  inserted: unknown;
  nativeWebSocket: boolean;
}
declare global {
  interface Window {
    noex: PageState;
    noexClient: import('../../index.js').NoexClient;
  }
}

const page_html = (wsUrl: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>noex-client</title></head><body>
<script type="module">
import { NoexClient } from '/noex-client.js';
const state = (window.noex = { ready: false, error: null, events: [], pushes: [], inserted: null,
  nativeWebSocket: /\\[native code\\]/.test(String(window.WebSocket)) });
try {
  const client = new NoexClient(${JSON.stringify(wsUrl)}, {
    reconnect: { initialDelayMs: 50, jitterMs: 0 },
    validateResults: 'strict',
  });
  window.noexClient = client;
  for (const name of ['connected', 'disconnected', 'reconnecting', 'reconnected']) {
    client.on(name, (...args) => state.events.push([name, ...args].join(' ')));
  }
  client.on('error', (error) => state.events.push('error ' + error.message));
  await client.connect();
  state.inserted = await client.store.bucket('users').insert({ name: 'Alice' });
  await client.store.subscribe('all-users', (data) => state.pushes.push(data));
  state.ready = true;
} catch (error) {
  state.error = String((error && error.stack) || error);
}
</script></body></html>`;

const record = (id: string, name: string) => ({
  id,
  name,
  _version: 1,
  _createdAt: 1,
  _updatedAt: 1,
});

describeInChromium('in chromium', () => {
  let mock: MockServer;
  let site: Site;
  let browser: Browser;
  let page: Page;
  const users: Array<ReturnType<typeof record>> = [];

  beforeAll(async () => {
    mock = await MockServer.start();
    mock.handle('store.insert', ({ data }) => {
      const added = record(`u${users.length + 1}`, String(data.name));
      users.push(added);
      return added;
    });
    mock.handle('store.subscribe', () => ({
      subscriptionId: mock.nextSubscriptionId(),
      data: [...users],
    }));
    mock.handle('store.unsubscribe', () => ({ unsubscribed: true }));

    // Split as a bundler serves an app: the engine and the validators load as chunks of their own.
    const { entry, chunks } = await splitBrowserBundle();
    expect(Object.keys(chunks).length).toBeGreaterThan(1);
    site = await servePage(page_html(mock.url), '/noex-client.js', entry, chunks);
    browser = await launchChromium('noex-chromium-');
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await page?.evaluate(() => window.noexClient?.disconnect()).catch(() => {});
    await browser?.close();
    await mock?.close();
    await site?.close();
  });

  const state = () => page.evaluate(() => window.noex);
  const until = async (predicate: (s: PageState) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const s = await state();
      if (s?.error) throw new Error(`page failed: ${s.error}\n${browser.log.join('\n')}`);
      if (s && predicate(s)) return s;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}: ${JSON.stringify(s)}\n${browser.log.join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('loads the bundle, connects with the browser WebSocket, inserts and subscribes', async () => {
    await page.goto(`${site.origin}/`);
    const s = await until((s) => s.ready, 'the page to connect, insert and subscribe');
    expect(s.nativeWebSocket).toBe(true);
    expect(s.inserted).toEqual(record('u1', 'Alice'));
    expect(s.pushes).toEqual([[record('u1', 'Alice')]]);
    expect(s.events).toEqual(['connected']);
    expect(mock.requests('store.insert')).toHaveLength(1);
    expect(mock.requests('store.subscribe')).toMatchObject([{ query: 'all-users' }]);
  });

  it('receives a push', async () => {
    mock.connection.push('sub-1', [record('u1', 'Alice'), record('u9', 'Zed')]);
    const s = await until((s) => s.pushes.length === 2, 'the push');
    expect(s.pushes[1]).toEqual([record('u1', 'Alice'), record('u9', 'Zed')]);
  });

  it('reconnects after the server drops the socket and restores the subscription', async () => {
    const first = mock.connection;
    first.terminate();
    const s = await until((s) => s.events.includes('reconnected'), 'the reconnect');
    expect(s.events).toEqual([
      'connected',
      'disconnected connection closed (1006)',
      'reconnecting 1',
      'connected',
      'reconnected',
    ]);
    expect(mock.connection).not.toBe(first);
    expect(mock.requests('store.subscribe')).toHaveLength(2);
    // the restored subscription got fresh data, then pushes on its new id arrive
    expect(s.pushes).toHaveLength(3);
    mock.connection.push('sub-2', [record('u1', 'Alice'), record('u2', 'Bob')]);
    await until((s) => s.pushes.length === 4, 'a push after the reconnect');
    const bob = await page.evaluate(() =>
      window.noexClient.store.bucket('users').insert({ name: 'Bob' }),
    );
    expect(bob).toEqual(record('u2', 'Bob'));
  });

  it('comes back at once when the browser reports the network is back, not after its backoff', async () => {
    // A second client in the page with a minute of backoff (as a string: the test runner
    // would rewrite a dynamic import written here).
    await page.evaluate(`(async () => {
      const { NoexClient } = await import('/noex-client.js');
      const client = new NoexClient(${JSON.stringify(mock.url)}, {
        reconnect: { initialDelayMs: 60000, jitterMs: 0 },
      });
      const events = [];
      for (const name of ['reconnecting', 'reconnected'])
        client.on(name, (...args) => events.push([name, ...args].join(' ')));
      await client.connect();
      window.hinted = { client, events };
    })()`);
    const hinted = () =>
      page.evaluate(() => (window as unknown as { hinted: { events: string[] } }).hinted.events);
    mock.connection.terminate();
    await expect.poll(hinted).toEqual(['reconnecting 1']);
    // Nothing happens for the next minute of backoff, unless the network comes back.
    await browser.context.setOffline(true);
    await browser.context.setOffline(false);
    await expect.poll(hinted, { timeout: 5_000 }).toEqual(['reconnecting 1', 'reconnected']);
    await page.evaluate(() =>
      (
        window as unknown as { hinted: { client: { disconnect(): Promise<void> } } }
      ).hinted.client.disconnect(),
    );
  });
});
