/**
 * The extension as a new user meets it, in real Chromium (English UI): pair in options against a
 * relay on 127.0.0.1, see the stores in the popup worst first, open a marketplace, refresh a store
 * and watch the job complete, acknowledge an alert, and keep the cached data when the relay stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, launchExtension, screenshot } from './support/browser.ts';
import { demoAlert } from './support/demo-data.ts';
import { createFakeRelay } from './support/fake-relay.ts';
import { type RelayServer, serveRelay } from './support/relay-server.ts';

/** The bit of the extension API this test reads inside an extension page. */
type ChromeStorage = { chrome: { storage: { local: { get(key: string | null): Promise<Record<string, unknown>> } } } };

// The extension's own clock is the browser's; the relay's "now" only stamps its data.
const relay = createFakeRelay({ now: () => Date.UTC(2025, 2, 14, 9, 30) });
let server: RelayServer;
let browser: ExtensionBrowser;
let popup: Page;

beforeAll(async () => {
  server = await serveRelay(relay);
  browser = await launchExtension('en-US');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('pairing and the popup (en)', () => {
  it('pairs with the relay URL and pairing code from the options page, labelled in English', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.url('options.html'));
    await options.getByLabel('Relay URL').waitFor();
    await options.getByLabel('Pairing code').waitFor();
    await options.getByLabel('Relay URL').fill(server.url);
    await options.getByLabel('Pairing code').fill('abcd-2345');
    await options.getByRole('button', { name: 'Connect', exact: true }).click();
    await options.getByText('Connected to Demo Sellers as Lin (owner)').waitFor({ timeout: 15_000 });
    await options.getByText('Acme Home US').first().waitFor();
    expect(await options.locator('.sw-connected').textContent()).toContain(server.url);
    // The token lives in the extension's own IndexedDB (our pages and the worker read it), not in
    // storage.local, which content scripts can read.
    const stored = await options.evaluate(() => (globalThis as unknown as ChromeStorage).chrome.storage.local.get(null));
    expect(JSON.stringify(stored)).not.toMatch(/tok-/);
    const vaulted = await options.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const open = indexedDB.open('storewatch-secrets');
          open.addEventListener('error', () => reject(open.error));
          open.addEventListener('success', () => {
            const get = open.result.transaction('secrets').objectStore('secrets').get('relayToken');
            get.addEventListener('success', () => resolve(get.result));
            get.addEventListener('error', () => reject(get.error));
          });
        }),
    );
    expect(vaulted).toMatch(/^tok-/);
    await screenshot(options, 'options-en-paired');
    await options.close();
  });

  it('shows every store in the popup, worst first, with marketplace chips', async () => {
    popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 900 });
    await popup.goto(browser.url('popup.html'));
    await popup.locator('.sw-store').nth(2).waitFor({ timeout: 15_000 });
    expect(await popup.locator('.sw-store-name').allTextContents()).toEqual(['Lumen Europe', 'Acme Home US', 'Sakura JP']);
    await popup.getByText('2 of 3 stores need attention').waitFor();
    expect(await popup.locator('.sw-store').first().locator('.sw-chip').allTextContents()).toEqual(['DE', 'FR']);
    await screenshot(popup, 'popup-en-stores');
  });

  it('opens a marketplace to its problems first, with value, target and headroom in words', async () => {
    await popup.getByRole('button', { name: 'United States: Warning' }).click();
    const detail = popup.locator('.sw-market');
    await detail.getByText('Order defect rate (seller-fulfilled)').waitFor();
    await detail.getByText('2 more defective orders and ODR (MFN) breaks').waitFor();
    await detail.getByText('0.8%', { exact: true }).waitFor();
    await detail.getByText('target < 1%', { exact: true }).waitFor();
    await detail.locator('svg.sw-spark').first().waitFor({ timeout: 10_000 });
    expect(await detail.locator('.sw-problems .sw-metric').count()).toBe(1);
    await detail.getByText('2 more metrics healthy').waitFor();
    await screenshot(popup, 'popup-en-marketplace');
  });

  it('refreshes a store with live progress until done', async () => {
    const card = popup.locator('.sw-store', { hasText: 'Sakura JP' });
    await card.getByRole('button', { name: 'Refresh Sakura JP' }).click();
    await card.locator('.sw-job').waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 120 && !seen.has('Done'); i++) {
      seen.add((await card.locator('.sw-job-text').textContent().catch(() => null)) ?? '');
      await popup.waitForTimeout(100);
    }
    expect(seen).toContain('Done');
    expect([...seen].some((s) => /Queued|Requesting|generating|Downloading/.test(s))).toBe(true);
    await screenshot(popup, 'popup-en-refreshed');
  });

  it('lists a new alert and acknowledges it', async () => {
    relay.state.alerts.push(demoAlert('al-1', Date.UTC(2025, 2, 14, 9, 0)));
    relay.touch();
    // Refresh all: the sync after the jobs finish brings the alert in.
    await popup.getByRole('button', { name: 'Refresh all' }).click();
    const alert = popup.locator('.sw-alert', { hasText: 'Late shipment rate (30 days) breached its target' });
    await alert.waitFor({ timeout: 30_000 });
    await popup.getByText('1 open').waitFor();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.getByText('Acknowledged').waitFor();
    expect(relay.state.alerts[0]!.acknowledgedAt).not.toBeNull();
    await screenshot(popup, 'popup-en-alert-acknowledged');
  });

  it('keeps the cached stores on screen under an offline banner when the relay stops', async () => {
    await server.close();
    await popup.getByRole('button', { name: 'Refresh Acme Home US' }).click();
    await popup.getByText(/Relay unreachable - showing cached data · last sync \d\d:\d\d/).waitFor({ timeout: 15_000 });
    expect(await popup.locator('.sw-store').count()).toBe(3);
    await popup.reload();
    await popup.locator('.sw-store').nth(2).waitFor();
    await popup.getByText(/Relay unreachable/).waitFor();
    await screenshot(popup, 'popup-en-offline');
  });
});
