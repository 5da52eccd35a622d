/**
 * The system Chromium (or Chrome or Edge, test/support/find-browser.ts) for the benchmark, with or without the built extension: the end-to-end
 * tests' launcher (test/e2e/support/browser.ts), so both measure the same browser.
 */
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, launchExtension } from '../../test/e2e/support/browser.ts';

export type BenchBrowser = ExtensionBrowser;

/** English Chromium with the build in `extensionDir`, or without any extension (the baseline). */
export function launchChromium(extensionDir: string | null): Promise<BenchBrowser> {
  return launchExtension('en-US', extensionDir);
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
