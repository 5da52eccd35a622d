/**
 * Chromium with the built extension on a profile that outlives the browser, so a test can close
 * the browser in the middle of something and open it again on the same profile - as a person
 * closing Chrome during a refresh does. Launched like support/browser.ts, minus the throw-away dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { findSystemBrowser } from '../../support/find-browser.ts';
import { EXTENSION_DIR } from './browser.ts';

export interface KeptProfile {
  dir: string;
  open(): Promise<{ context: BrowserContext; url(path: string): string }>;
  remove(): void;
}

export function keptProfile(locale: 'zh-CN' | 'en-US'): KeptProfile {
  const dir = mkdtempSync(join(tmpdir(), 'storewatch-e2e-kept-'));
  return {
    dir,
    async open() {
      const browser = findSystemBrowser();
      if ('problem' in browser) throw new Error(browser.problem);
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: browser.path,
        headless: false,
        locale,
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
          `--disable-extensions-except=${EXTENSION_DIR}`,
          `--load-extension=${EXTENSION_DIR}`,
        ],
      });
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
      const id = new URL(worker.url()).host;
      return { context, url: (path: string) => `chrome-extension://${id}/${path}` };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
