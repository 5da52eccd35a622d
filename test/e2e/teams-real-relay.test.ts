/**
 * A team on one fingerprint browser per store, end to end on the real relay (local workerd, D1)
 * and the sandbox Amazon: two North America stores the team names "A03-美国" and "B07-北美" while
 * Amazon's Sellers API calls them "Lumora Home" and "Birch Goods LLC". One enrolment code pairs two
 * Chromium profiles as one member; the first profile meets a Seller Central page whose account
 * switcher names Birch, and the relay learns that page's merchant id; the second profile then
 * knows Birch from an address that carries nothing but that merchant id.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack.ts';
import { control } from '../sandbox/client.ts';
import { type ExtensionBrowser, launchExtension, pair } from './support/browser.ts';
import { clickInShadow, waitForShadowText } from './support/shadow.ts';

const CA = 'A2EUQ1WTGCTBG2';
const US = 'ATVPDKIKX0DER';
const BIRCH_MERCHANT = 'A3BIRCHMERCH1';

let stack: LocalStack;
let code: string;
let birchId: string;
const profiles: ExtensionBrowser[] = [];

/** A Seller Central page reduced to its navigation bar: the account switcher's two labels, or none. */
function sellerCentral(store: string | null, marketplace: string | null): string {
  const label = store
    ? `<div class="dropdown-account-switcher-header-label"><span class="dropdown-account-switcher-header-label-global">${store}</span><span class="dropdown-account-switcher-header-label-regional">${marketplace}</span></div>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Seller Central</title></head><body><div id="navbar">${label}</div><main><h1>Seller Central</h1></main></body></html>`;
}

async function profile(): Promise<ExtensionBrowser> {
  const browser = await launchExtension('zh-CN');
  profiles.push(browser);
  await browser.context.route('https://sellercentral.amazon.com/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: new URL(route.request().url()).pathname === '/orders-v3' ? sellerCentral('Birch Goods LLC', 'Canada') : sellerCentral(null, null),
    }),
  );
  const options = await pair(browser, stack.relayUrl, code);
  await options.getByText('B07-北美').first().waitFor({ timeout: 15_000 });
  await options.close();
  return browser;
}

async function panelOn(browser: ExtensionBrowser, url: string, marketplace: string): Promise<{ page: Page; panel: string }> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForShadowText(page, 'storewatch-badge', new RegExp(`^${marketplace} · `));
  await clickInShadow(page, 'storewatch-badge', marketplace);
  return { page, panel: await waitForShadowText(page, 'storewatch-panel', /B07-北美|A03-美国|哪个店铺/) };
}

async function birchMerchantIds(): Promise<string[]> {
  const { stores } = (await stack.owner.call('GET', '/v1/overview')) as { stores: Array<{ id: string; merchantIds?: string[] }> };
  return stores.find((s) => s.id === birchId)?.merchantIds ?? [];
}

beforeAll(async () => {
  stack = await startLocalStack({ reportProcessingMs: 1500 });
  const added = await stack.sandbox.handle(
    control('POST', 'sellers', { sellerId: BIRCH_MERCHANT, region: 'na', refreshToken: 'Atzr|sandbox-birch', marketplaceIds: [US, CA], storeName: 'Birch Goods LLC' }),
  );
  if (added.status !== 201) throw new Error(`sandbox seller: ${added.status} ${await added.text()}`);
  await stack.owner.call('POST', '/v1/stores', { name: 'A03-美国', region: 'na', refreshToken: 'Atzr|sandbox-na' });
  birchId = String((await stack.owner.call('POST', '/v1/stores', { name: 'B07-北美', region: 'na', refreshToken: 'Atzr|sandbox-birch' })).id);
  code = String((await stack.owner.call('POST', '/v1/invites', { devices: 2, name: '运营 小王' })).code);
}, 120_000);

afterAll(async () => {
  for (const p of profiles) await p.close();
  await stack?.close();
});

describe('one member on two store profiles, on the real relay', () => {
  it("resolves the store by Amazon's name on the page, and the relay records the page's merchant id", async () => {
    const first = await profile();
    const { page, panel } = await panelOn(first, `https://sellercentral.amazon.com/orders-v3?mons_sel_mkid=amzn1.mp.o.${CA}&mons_sel_mcid=amzn1.merchant.o.${BIRCH_MERCHANT}&stck=NA`, 'CA');
    expect(panel).toContain('B07-北美');
    expect(panel).not.toContain('当前页面是哪个店铺');
    await page.close();
    let ids: string[] = [];
    for (let i = 0; i < 60 && ids.length === 0; i++) {
      ids = await birchMerchantIds();
      if (ids.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ids).toEqual([BIRCH_MERCHANT]);
  });

  it('finds the same store in a second profile enrolled with the same code, from the merchant id alone', async () => {
    const second = await profile();
    const { members } = (await stack.owner.call('GET', '/v1/members')) as { members: Array<{ name: string; devices: unknown[] }> };
    expect(members.find((m) => m.name === '运营 小王')?.devices).toHaveLength(2);
    const { panel } = await panelOn(second, `https://sellercentral.amazon.com/performance/dashboard?mons_sel_mcid=amzn1.merchant.o.${BIRCH_MERCHANT}`, 'US');
    expect(panel).toContain('B07-北美');
    expect(panel).not.toContain('当前页面是哪个店铺');
  });
});
