/**
 * The panels inside pages, in real Chromium with a Chinese UI: fixture pages served at the real
 * Seller Central and ERP addresses (Playwright request routing), the badge for the marketplace the
 * page shows, the full panel on click, the picker when the page does not say, remembered per host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, chooseLanguage, launchExtension, pair, screenshot } from './support/browser.ts';
import { createFakeRelay } from './support/fake-relay.ts';
import { ERP, SELLER_CENTRAL_EU, SELLER_CENTRAL_US, servePage } from './support/pages.ts';
import { type RelayServer, serveRelay } from './support/relay-server.ts';
import { clickInShadow, shadowText, waitForShadowText } from './support/shadow.ts';

const relay = createFakeRelay({ now: () => Date.UTC(2025, 2, 14, 9, 30) });
let server: RelayServer;
let browser: ExtensionBrowser;
const pageErrors: string[] = [];

async function open(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${url}: ${error.message}`));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  server = await serveRelay(relay);
  browser = await launchExtension('zh-CN');
  await servePage(browser.context, 'https://sellercentral.amazon.com/**', SELLER_CENTRAL_US);
  await servePage(browser.context, 'https://sellercentral-europe.amazon.com/**', SELLER_CENTRAL_EU);
  await servePage(browser.context, 'https://www.dianxiaomi.com/**', ERP);
  const options = await pair(browser, server.url, 'ABCD2345');
  // No language chosen: the extension follows the browser's (Chinese; .ci/run installs
  // Debian's chromium-l10n, without which Chromium falls back to English).
  await options.getByText('店铺哨兵设置').waitFor();
  await options.getByText('Acme Home US').first().waitFor({ timeout: 15_000 });
  await screenshot(options, 'options-zh-paired');
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the popup on a Chinese browser', () => {
  it('reads in Chinese without any setting', async () => {
    const popup = await open(browser.url('popup.html'));
    await popup.getByText('3 个店铺中有 2 个需要关注').waitFor({ timeout: 15_000 });
    expect(await popup.locator('html').getAttribute('lang')).toBe('zh-CN');
    await screenshot(popup, 'popup-zh-stores');
    await popup.close();
  });
});

describe('panels in pages (zh-CN)', () => {
  it('shows a collapsed badge for the marketplace a Seller Central page shows', async () => {
    const page = await open('https://sellercentral.amazon.com/performance/dashboard');
    expect(await waitForShadowText(page, 'storewatch-badge', /US · 预警/)).toMatch(/^US · 预警$/);
    // Collapsed by default: the full panel is not in the page until the person opens it.
    expect(await shadowText(page, 'storewatch-panel')).toBeNull();
    await screenshot(page, 'panel-zh-sc-badge');
    await page.close();
  });

  it('opens into the panel of that store and marketplace, in Chinese, with headroom in words', async () => {
    const page = await open('https://sellercentral.amazon.com/performance/dashboard');
    await waitForShadowText(page, 'storewatch-badge', /US · 预警/);
    await clickInShadow(page, 'storewatch-badge', 'US');
    const panel = await waitForShadowText(page, 'storewatch-panel', /再有 2 笔缺陷订单将超标/);
    expect(panel).toContain('Acme Home US');
    expect(panel).toContain('订单缺陷率 ODR（FBM）');
    expect(panel).toContain('账户状况评级');
    // The page's own `button { background: hotpink }` must not reach the panel: checked by eye in the screenshot.
    await screenshot(page, 'panel-zh-sc-open');
    await page.close();
  });

  it('asks which marketplace an undecidable page shows, and remembers the answer for the host', async () => {
    const page = await open('https://sellercentral-europe.amazon.com/performance/dashboard');
    await waitForShadowText(page, 'storewatch-badge', /店铺哨兵/);
    await clickInShadow(page, 'storewatch-badge', '店铺哨兵');
    const picker = await waitForShadowText(page, 'storewatch-panel', /当前页面是哪个站点/);
    expect(picker).toContain('德国');
    expect(picker).toContain('法国');
    await screenshot(page, 'panel-zh-eu-picker');
    await clickInShadow(page, 'storewatch-panel', '德国');
    const chosen = await waitForShadowText(page, 'storewatch-panel', /Lumen Europe/);
    expect(chosen).toContain('迟发率');
    await page.reload();
    await waitForShadowText(page, 'storewatch-badge', /DE · 超标/);
    await screenshot(page, 'panel-zh-eu-remembered');
    await page.close();
  });

  it('follows the page to another marketplace when its address changes without a load', async () => {
    const page = await open('https://sellercentral-europe.amazon.com/performance/dashboard');
    await waitForShadowText(page, 'storewatch-badge', /DE · /);
    // Seller Central's single-page parts switch marketplace with the History API.
    await page.evaluate(() => history.pushState(null, '', '?mons_sel_mkid=A13V1IB3VIYZZH'));
    expect(await waitForShadowText(page, 'storewatch-badge', /FR · /)).toMatch(/^FR · /);
    expect(await page.locator('storewatch-badge').count()).toBe(1);
    await page.close();
  });

  it('sums up every store on an ERP page and lists them when opened', async () => {
    const page = await open('https://www.dianxiaomi.com/order/index.htm');
    await waitForShadowText(page, 'storewatch-badge', /3 个店铺中有 2 个需要关注/);
    await clickInShadow(page, 'storewatch-badge', '需要关注');
    const panel = await waitForShadowText(page, 'storewatch-panel', /全部店铺/);
    expect(panel.indexOf('Lumen Europe')).toBeLessThan(panel.indexOf('Sakura JP'));
    await screenshot(page, 'panel-zh-erp-open');
    await page.close();
  });

  it('never throws into the pages it runs on', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('choosing a language other than the browser\'s', () => {
  it('switches the popup and panels to English when a person picks it in options', async () => {
    const options = await open(browser.url('options.html'));
    await chooseLanguage(options, 'en');
    await options.getByText('Storewatch options').waitFor();
    await options.close();
    const popup = await open(browser.url('popup.html'));
    await popup.getByText('2 of 3 stores need attention').waitFor({ timeout: 15_000 });
    const text = await popup.locator('body').innerText();
    expect(text).toContain('Refresh all');
    expect(text).not.toContain('需要关注');
    await popup.close();
    const page = await open('https://www.dianxiaomi.com/order/index.htm');
    expect(await waitForShadowText(page, 'storewatch-badge', /2 of 3 stores need attention/)).not.toContain('需要关注');
    await page.close();
  });
});

describe('with the relay stopped', () => {
  it('keeps the cached store in the Seller Central badge and panel, marked offline', async () => {
    await server.close();
    // The next sync fails: a refresh from the popup asks for one at once.
    const popup = await open(browser.url('popup.html'));
    await popup.getByRole('button', { name: 'Refresh Acme Home US' }).click();
    await popup.getByText(/Relay unreachable/).waitFor({ timeout: 15_000 });
    await popup.close();
    const page = await open('https://sellercentral.amazon.com/performance/dashboard');
    expect(await waitForShadowText(page, 'storewatch-badge', /US · .* · offline/)).toMatch(/^US · .+ · offline$/);
    await clickInShadow(page, 'storewatch-badge', 'US');
    const panel = await waitForShadowText(page, 'storewatch-panel', /Relay unreachable - showing cached data · last sync \d\d:\d\d/);
    expect(panel).toContain('Acme Home US');
    expect(panel).toContain('ODR');
    await screenshot(page, 'panel-en-offline');
    await page.close();
  });
});
