import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';

/**
 * Debian's chromium (installed by .ci/run), driven by playwright-core, and the
 * page it loads from 127.0.0.1, for the tests that run the client in a browser.
 */
const CHROMIUM = '/usr/bin/chromium';

/** `describe` where chromium is installed; elsewhere skipped, saying why in the name and on the console. */
export function describeInChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  console.info(
    `browser test "${name}" skipped: ${CHROMIUM} is missing (bash .ci/run installs it: apt-get install chromium)`,
  );
  describe.skip(`${name} — skipped: ${CHROMIUM} is missing (apt-get install chromium)`, body);
}

export interface Site {
  /** `http://127.0.0.1:<port>`; the page is at `/`. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `html` at `/` and `code` at `scriptPath` on 127.0.0.1 (a free port); anything else is 404. */
export async function servePage(
  html: string,
  scriptPath: string,
  code: string,
  /** More scripts by path, such as the chunks of a split bundle. */
  scripts: Record<string, string> = {},
): Promise<Site> {
  const files: Record<string, string> = { ...scripts, [scriptPath]: code };
  const http = createServer((request, response) => {
    const script = files[request.url ?? ''];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

export interface Browser {
  readonly context: BrowserContext;
  /** The browser's first page. */
  readonly page: Page;
  /** What the page logged (`console.<type>: ...`) and threw (`pageerror: ...`), in order. */
  readonly log: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A headless chromium on a fresh profile (a temporary folder named from `profilePrefix`). */
export async function launchChromium(profilePrefix: string): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), profilePrefix));
  const removeProfile = () => rm(profile, { recursive: true, force: true });
  const context = await chromium
    .launchPersistentContext(profile, {
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
    })
    .catch(async (error: unknown) => {
      await removeProfile();
      throw error;
    });
  const page = context.pages()[0] ?? (await context.newPage());
  const log: string[] = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    log,
    close: async () => {
      await context.close();
      await removeProfile();
    },
  };
}
