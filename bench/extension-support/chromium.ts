/**
 * The system Chromium for the benchmark, with or without the built extension, headless (new) in a
 * throw-away profile. The flags are the end-to-end tests' (test/e2e/support/browser.ts), which
 * cannot be imported from here: it reads `__dirname`, which only exists under Vitest, and Node runs
 * the benchmark as plain ES modules.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

export interface BenchBrowser {
  context: BrowserContext;
  /** Empty without an extension. */
  extensionId: string;
  url(path: string): string;
  close(): Promise<void>;
}

export async function launchChromium(extensionDir: string | null): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'storewatch-bench-'));
  const extension = extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: false,
    locale: 'en-US',
    env: { ...process.env, LANGUAGE: 'en_US' },
    viewport: { width: 1200, height: 800 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=en-US',
      ...extension,
    ],
  });
  let extensionId = '';
  if (extensionDir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    extensionId = new URL(worker.url()).host;
  }
  return {
    context,
    extensionId,
    url: (path) => `chrome-extension://${extensionId}/${path}`,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Pairs through the options page as a person would, and waits for the stores list there. */
export async function pairInOptions(browser: BenchBrowser, relayUrl: string, code: string, lastStoreName: string): Promise<void> {
  const page: Page = await browser.context.newPage();
  await page.goto(browser.url('options.html'));
  await page.locator('#relay-url').fill(relayUrl);
  await page.locator('#pairing-code').fill(code);
  await page.locator('form button[type=submit]').first().click();
  await page.locator('.sw-connected').waitFor({ timeout: 15_000 });
  await page.getByText(lastStoreName, { exact: true }).first().waitFor({ timeout: 15_000 });
  await page.close();
}
