/**
 * Seller Central as it really is, in real Chromium: addresses that carry prefixed ids
 * (`mons_sel_mkid=amzn1.mp.o.<ID>`, `mons_sel_mcid=amzn1.merchant.o.<ID>`) and the account
 * switcher's split labels (`.dropdown-account-switcher-header-label-global` for the store,
 * `-regional` for the marketplace, as public scrapers of Seller Central read them). Two stores sell
 * in the US and Canada under team names that are not Amazon's; a second browser profile paired with
 * the same code finds the store from the merchant id in the address alone, once the first profile
 * recorded it; each profile then badges and notifies its own store only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { StoreOverview } from '../../shared/api/index.ts';
import { type ExtensionBrowser, launchExtension, pair, screenshot } from './support/browser.ts';
import { demoAlert, rate } from './support/demo-data.ts';
import { createFakeRelay } from './support/fake-relay.ts';
import { type RelayServer, serveRelay } from './support/relay-server.ts';
import { clickInShadow, waitForShadowText } from './support/shadow.ts';

/** The extension API inside a profile's service worker, as far as these tests call it there. */
declare const chrome: {
  action: { getBadgeText(details: object): Promise<string> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
  alarms: { create(name: string, info: { when: number }): Promise<void> };
};

const NOW = Date.UTC(2025, 2, 14, 9, 30);
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const DE = 'A1PA6795UKMFR9';
const ACME_MERCHANT = 'AAGBKF49IVH4X';
const BIRCH_MERCHANT = 'A3BIRCHMERCH1';

const relay = createFakeRelay({ now: () => NOW });
let server: RelayServer;
let first: ExtensionBrowser;
let second: ExtensionBrowser;
const pageErrors: string[] = [];

/** The second North America store: a team name ("B07-北美") that is not Amazon's ("Birch Goods LLC"). */
function birch(now: number): StoreOverview {
  return {
    id: 'st-birch',
    name: 'B07-北美',
    amazonStoreName: 'Birch Goods LLC',
    region: 'na',
    level: 'ok',
    auth: 'ok',
    lastCheckedAt: now,
    marketplaces: [US, CA].map((marketplaceId) => ({
      marketplaceId,
      countryCode: marketplaceId === US ? 'US' : 'CA',
      level: 'ok' as const,
      accountStatus: 'NORMAL' as const,
      ahr: { status: 'GREAT', score: 300 },
      fetchedAt: now,
      metrics: { odrMfn: rate(0.001, 0.01, 'ok', 9, { total: 1000, defects: 1 }, now) },
      storeName: 'Birch Goods LLC',
    })),
  };
}

/** A Seller Central page reduced to its navigation bar: the switcher's two labels, or none. */
function sellerCentral(store: string | null, marketplace: string | null): string {
  const label = store
    ? `<div class="dropdown-account-switcher-header-label"><span class="dropdown-account-switcher-header-label-global">${store}</span><span class="dropdown-account-switcher-header-label-regional">${marketplace}</span></div>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Seller Central</title></head>
<body><div id="navbar">${label}</div><main><h1>Seller Central</h1></main></body></html>`;
}

/** What the fixture host serves per path: the store the page's switcher names. */
async function serveSellerCentral(context: BrowserContext): Promise<void> {
  const byPath: Record<string, string> = {
    '/home': sellerCentral('Acme Direct', 'Canada'),
    '/orders-v3': sellerCentral('Birch Goods LLC', 'Canada'),
  };
  for (const host of ['sellercentral.amazon.com', 'sellercentral-europe.amazon.com']) {
    await context.route(`https://${host}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: byPath[new URL(route.request().url()).pathname] ?? sellerCentral(null, null) }),
    );
  }
}

async function open(browser: ExtensionBrowser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${url}: ${error.message}`));
  await page.goto(url);
  return page;
}

/** The toolbar badge of a profile, as its service worker set it. */
async function toolbarBadge(browser: ExtensionBrowser): Promise<string> {
  const worker = browser.context.serviceWorkers()[0]!;
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  let last = await read();
  for (let waited = 0; !ok(last) && waited < timeoutMs; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

async function enrol(browser: ExtensionBrowser): Promise<void> {
  await serveSellerCentral(browser.context);
  const options = await pair(browser, server.url, 'ABCD2345');
  await options.getByText('B07-北美').first().waitFor({ timeout: 15_000 });
  await options.close();
}

beforeAll(async () => {
  const acme = relay.state.stores.find((s) => s.id === 'st-acme')!;
  acme.amazonStoreName = 'Acme Direct';
  acme.merchantIds = [ACME_MERCHANT];
  relay.state.stores.push(birch(NOW));
  // An alert older than the pairing: the first sync takes it as the watermark, later ones are new.
  relay.state.alerts.push(demoAlert('al-old', NOW - 3_600_000, { acknowledgedAt: NOW - 1_800_000 }));
  server = await serveRelay(relay);
  first = await launchExtension('zh-CN');
  await enrol(first);
});

afterAll(async () => {
  await second?.close();
  await first?.close();
  await server?.close();
});

describe('Seller Central addresses and markup as they really are', () => {
  it('shows Canada for Canada on the unified North America host', async () => {
    const page = await open(first, `https://sellercentral.amazon.com/home?mons_sel_mkid=amzn1.mp.o.${CA}&mons_sel_mcid=amzn1.merchant.o.${ACME_MERCHANT}&mons_sel_persist=true&stck=NA`);
    expect(await waitForShadowText(page, 'storewatch-badge', /^CA · /)).toMatch(/^CA · 正常$/);
    await page.close();
  });

  it('names the German marketplace of a Europe address without asking', async () => {
    const page = await open(first, `https://sellercentral-europe.amazon.com/performance/dashboard?mons_sel_mkid=amzn1.mp.o.${DE}&mons_sel_persist=true&stck=EU`);
    expect(await waitForShadowText(page, 'storewatch-badge', /^DE · /)).toMatch(/^DE · 超标$/);
    await clickInShadow(page, 'storewatch-badge', 'DE');
    const panel = await waitForShadowText(page, 'storewatch-panel', /Lumen Europe/);
    expect(panel).not.toContain('当前页面是哪个站点');
    await page.close();
  });

  it("shows the second of two US/CA stores, without a question, on a page naming Amazon's name of it", async () => {
    // The first page made this profile Acme's as a guess; the person confirms it in options, so a
    // page of another store no longer widens it to every store.
    const options = await first.context.newPage();
    await options.goto(first.url('options.html'));
    await options.locator('#profile-store').selectOption('st-acme');
    await options.close();
    const page = await open(first, `https://sellercentral.amazon.com/orders-v3?mons_sel_mkid=amzn1.mp.o.${CA}&mons_sel_mcid=amzn1.merchant.o.${BIRCH_MERCHANT}&stck=NA`);
    await waitForShadowText(page, 'storewatch-badge', /^CA · /);
    await clickInShadow(page, 'storewatch-badge', 'CA');
    const panel = await waitForShadowText(page, 'storewatch-panel', /B07-北美/);
    expect(panel).toContain('亚马逊店铺名：Birch Goods LLC');
    expect(panel).not.toContain('当前页面是哪个店铺');
    // This profile became Acme's on its first page: Birch's Account Health is not linked here.
    expect(panel).toContain('在该店铺的浏览器环境中打开');
    await screenshot(page, 'panel-zh-sc-amazon-store-name');
    await page.close();
    // The page proved the store: its merchant id is now the relay's, for every other profile.
    await waitFor(async () => relay.state.requests.filter((r) => r === 'POST /v1/stores/st-birch/merchant-ids').length, (n) => n > 0);
    expect(relay.state.stores.find((s) => s.id === 'st-birch')?.merchantIds).toEqual([BIRCH_MERCHANT]);
  });

  it('finds the same store in a second profile, paired with the same code, from the merchant id in the address alone', async () => {
    second = await launchExtension('zh-CN');
    await enrol(second);
    const page = await open(second, `https://sellercentral.amazon.com/performance/dashboard?mons_sel_mcid=amzn1.merchant.o.${BIRCH_MERCHANT}`);
    await waitForShadowText(page, 'storewatch-badge', /^US · /);
    await clickInShadow(page, 'storewatch-badge', 'US');
    const panel = await waitForShadowText(page, 'storewatch-panel', /B07-北美/);
    expect(panel).not.toContain('当前页面是哪个店铺');
    await page.close();
  });

  it("badges each store-scoped profile with its own store's count, not the workspace's", async () => {
    // The first profile was proved Acme's (warn) by its first page, the second Birch's (ok); two
    // of the four stores need attention in the workspace.
    expect(await waitFor(() => toolbarBadge(first), (text) => text === '1')).toBe('1');
    expect(await waitFor(() => toolbarBadge(second), (text) => text === '')).toBe('');
  });

  it("notifies each store-scoped profile of its own store's alerts only", async () => {
    relay.state.alerts.push(
      demoAlert('al-lumen', NOW),
      demoAlert('al-birch', NOW, { storeId: 'st-birch', marketplaceId: CA, metric: 'odrMfn' }),
      demoAlert('al-acme', NOW, { storeId: 'st-acme', marketplaceId: US, metric: 'odrMfn' }),
    );
    relay.touch();
    const shown = async (browser: ExtensionBrowser) => {
      const worker = browser.context.serviceWorkers()[0]!;
      return worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()).sort());
    };
    for (const browser of [first, second]) {
      const worker = browser.context.serviceWorkers()[0]!;
      // The sync alarm, due now: the same path as a scheduled sync.
      await worker.evaluate(() => chrome.alarms.create('sync', { when: Date.now() }));
    }
    // Both profiles fetch the workspace's three new alerts; each announces its own store's.
    expect(await waitFor(() => shown(first), (ids) => ids.length > 0)).toEqual(['alert:al-acme']);
    expect(await waitFor(() => shown(second), (ids) => ids.length > 0)).toEqual(['alert:al-birch']);
    expect(await shown(first)).toEqual(['alert:al-acme']);
  });

  it('never throws into the pages it runs on', () => {
    expect(pageErrors).toEqual([]);
  });
});
