/**
 * Chromium (or Chrome or Edge: test/support/find-browser.ts) with the built extension loaded (the `npm test` script builds .output/chrome-mv3 first;
 * run `npx wxt build` before these tests on their own), headless, in a throw-away profile.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { findSystemBrowser } from '../../support/find-browser.ts';

// From the module's URL, not __dirname: the benchmarks load this file in Node's own ESM too.
export const EXTENSION_DIR = fileURLToPath(new URL('../../../.output/chrome-mv3', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results', import.meta.url));

/** Chrome names an unpacked extension after its path: sha256, first 32 hex digits spelled a-p. */
export function unpackedExtensionId(path: string): string {
  return createHash('sha256')
    .update(path)
    .digest('hex')
    .slice(0, 32)
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + Number.parseInt(c, 16)));
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  url(path: string): string;
  close(): Promise<void>;
}

/** Chromium with the extension in `extensionDir` (none: the same browser without it, a baseline). */
export async function launchExtension(locale: 'en-US' | 'zh-CN', extensionDir: string | null = EXTENSION_DIR): Promise<ExtensionBrowser> {
  const browser = findSystemBrowser();
  if ('problem' in browser) throw new Error(browser.problem);
  const userDataDir = mkdtempSync(join(tmpdir(), 'storewatch-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: browser.path,
    headless: false,
    locale,
    // Chromium on Linux takes its UI language - which picks the extension's _locales - from the
    // environment, and only if that language pack is installed (Debian: chromium-l10n).
    env: { ...process.env, LANGUAGE: locale.replace('-', '_') },
    viewport: { width: 1200, height: 800 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--lang=${locale}`,
      ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    ],
  });
  let extensionId = '';
  if (extensionDir) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }).catch(() => null));
    extensionId = worker ? new URL(worker.url()).host : unpackedExtensionId(extensionDir);
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

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Chooses the extension's own language in options ("This browser"), whatever Chromium's is. */
export async function chooseLanguage(options: Page, value: 'zh-CN' | 'en' | 'auto'): Promise<void> {
  await options.locator('#extension-language').selectOption(value);
}

/** Pairs through the options page as a person would; returns the options page. */
export async function pair(browser: ExtensionBrowser, relayUrl: string, code: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.url('options.html'));
  await page.locator('#relay-url').fill(relayUrl);
  await page.locator('#pairing-code').fill(code);
  await page.locator('form button[type=submit]').first().click();
  await page.locator('.sw-connected').waitFor({ timeout: 15_000 });
  return page;
}
