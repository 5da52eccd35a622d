/**
 * The screens an operator reads at a glance, checked in real Chromium as a person checks them:
 * a Chinese browser, a store whose US ODR is over its target, and each refresh state - cooldown,
 * a partial failure, a browser closed mid-refresh, offline - showing a true Chinese line. Every
 * screen is saved under test-results/ (zh-CN and en), and the visible text of the zh-CN popup,
 * detail and options carries no English word and no raw error code.
 */
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, SCREENSHOTS, screenshot } from './support/browser.ts';
import { rate } from './support/demo-data.ts';
import { createFakeRelay } from './support/fake-relay.ts';
import { type KeptProfile, keptProfile } from './support/kept-profile.ts';
import { SELLER_CENTRAL_US, servePage } from './support/pages.ts';
import { type RelayServer, serveRelay } from './support/relay-server.ts';
import { clickInShadow, waitForShadowText } from './support/shadow.ts';

const NOW = Date.UTC(2025, 2, 14, 9, 30);
const role: { now: () => number; role: 'owner' | 'member' } = { now: () => NOW, role: 'owner' };
const relay = createFakeRelay(role);
// Acme's US ODR over its target: 14 defective of 1,000 orders against < 1 % (9 allowed).
const acmeUs = relay.state.stores[0]!.marketplaces[0]!;
acmeUs.level = 'breach';
acmeUs.metrics.odrMfn = rate(0.014, 0.01, 'breach', null, { total: 1000, defects: 14 }, NOW);
relay.state.stores[0]!.level = 'breach';

let server: RelayServer;
let profile: KeptProfile;
let session: Awaited<ReturnType<KeptProfile['open']>>;

/**
 * ASCII words a Chinese screen may show: sellers' abbreviations and country codes, product and
 * brand names, addresses, and what the team named itself (stores, workspace, member).
 */
// Seller Central's abbreviations operators use beside the Chinese names (docs/levels.md#7-messages).
const ALLOWED = new Set(['ODR', 'MFN', 'FBM', 'FBA', 'LSR', 'CR', 'VTR', 'OTDR', 'IDR', 'US', 'CA', 'DE', 'FR', 'JP', 'ERP', 'Amazon', 'WeCom', 'Server', 'PushPlus', 'Webhook', 'English']);
/** Addresses are not words: the relay URL, the example in the hint, the ERP hosts. */
const ADDRESSES = /https?:\/\/\S+|\b[\w-]+(?:\.[\w-]+)+\b/g;
const USER_NAMES = /Acme Home US|Lumen Europe|Sakura JP|Demo Sellers|\bLin\b/g;
const REGIONAL_INDICATOR = /[\u{1F1E6}-\u{1F1FF}]/u;

function englishWords(text: string): string[] {
  return (text.replace(USER_NAMES, '').replace(ADDRESSES, '').match(/[A-Za-z_]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

async function open(path: string): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(path.startsWith('http') ? path : session.url(path));
  return page;
}

async function popup(): Promise<Page> {
  const page = await open('popup.html');
  await page.setViewportSize({ width: 420, height: 900 });
  await page.locator('.sw-store').first().waitFor({ timeout: 15_000 });
  // Once a Seller Central page has taught this profile its store, the popup leads with that one.
  if (await page.locator('.sw-show-all').count()) await page.locator('.sw-show-all').click();
  await page.locator('.sw-store').nth(2).waitFor({ timeout: 15_000 });
  return page;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await serveRelay(relay);
  profile = keptProfile('zh-CN');
  session = await profile.open();
  await servePage(session.context, 'https://sellercentral.amazon.com/**', SELLER_CENTRAL_US);
  const options = await open('options.html');
  await options.locator('#relay-url').fill(server.url);
  await options.locator('#pairing-code').fill('ABCD2345');
  await options.locator('form button[type=submit]').first().click();
  await options.locator('.sw-connected').waitFor({ timeout: 15_000 });
  await options.getByText('Acme Home US').first().waitFor({ timeout: 15_000 });
  await options.close();
});

afterAll(async () => {
  await session?.context.close();
  profile?.remove();
  await server?.close();
});

describe('the popup leads with what needs action (zh-CN)', () => {
  it('shows the worst metric, its value and how far over on the card, worst store first', async () => {
    const page = await popup();
    expect(await page.locator('.sw-store-name').allTextContents()).toEqual(['Acme Home US', 'Lumen Europe', 'Sakura JP']);
    expect(await page.locator('.sw-store').first().locator('.sw-urgent').textContent()).toBe('US · ODR (FBM) 1.4%（超出目标 0.4 个百分点 / 超出 5 笔）');
    expect(await page.locator('.sw-store').first().locator('.sw-chip').allTextContents()).toEqual(['US', 'CA']);
    const text = await visibleText(page);
    expect(text).not.toMatch(REGIONAL_INDICATOR);
    expect(englishWords(text)).toEqual([]);
    await screenshot(page, 'glance-zh-popup');
    await page.close();
  });

  it('opens the detail on that metric first and folds the healthy ones', async () => {
    const page = await popup();
    await page.getByRole('button', { name: '美国: 超标' }).click();
    const detail = page.locator('.sw-market');
    expect(await detail.locator('.sw-problems .sw-metric-label').first().textContent()).toBe('订单缺陷率 ODR（FBM）');
    await detail.getByText('其余 2 项正常').waitFor();
    await detail.getByText('412 / 1000 · 健康').waitFor();
    await detail.locator('.sw-policy').getByText('1 项均为 0 次').waitFor();
    expect(englishWords(await visibleText(page))).toEqual([]);
    await screenshot(page, 'glance-zh-detail');
    await page.close();
  });

  it('shows every store by marketplace in a table, coloured by level, the number in each cell', async () => {
    const page = await popup();
    await page.getByRole('button', { name: '表格' }).click();
    await page.locator('.sw-grid').waitFor();
    expect(await page.locator('.sw-grid tbody tr:first-child td.sw-breach').textContent()).toBe('ODR (FBM) 1.4%');
    await screenshot(page, 'glance-zh-grid');
    await page.close();
  });
});

describe('refresh states that are true (zh-CN)', () => {
  it('says a refresh inside the cooldown was not run again, and when the last one ran', async () => {
    relay.state.cooldown = true;
    const page = await popup();
    const card = page.locator('.sw-store', { hasText: 'Sakura JP' });
    const jobsBefore = relay.state.jobs.size;
    await card.getByRole('button', { name: '刷新 Sakura JP' }).click();
    const line = card.locator('.sw-job-text');
    const said = /^两分钟内已刷新过，未重新请求；上次刷新 .*\d\d:\d\d：已完成$/;
    await line.getByText(said).waitFor({ timeout: 15_000 });
    expect(await line.textContent()).toMatch(said);
    // The relay answered with the earlier job: at most the one it ran before, none started now.
    expect(relay.state.jobs.size - jobsBefore).toBeLessThanOrEqual(1);
    await screenshot(page, 'glance-zh-cooldown');
    relay.state.cooldown = false;
    await page.close();
  });

  it('names the marketplace that did not update and why when a refresh partly fails', async () => {
    relay.state.partialNextJob = 'Amazon gave no data for A13V1IB3VIYZZH (FATAL)';
    const page = await popup();
    const card = page.locator('.sw-store', { hasText: 'Lumen Europe' });
    await card.getByRole('button', { name: '刷新 Lumen Europe' }).click();
    await card.locator('.sw-job-text').getByText('部分完成：法国站未更新，亚马逊生成报告失败').waitFor({ timeout: 30_000 });
    expect(englishWords(await visibleText(page))).toEqual([]);
    await screenshot(page, 'glance-zh-partial');
    await page.close();
  });

  it('resumes a refresh from the relay after the browser closed during it, so the button never sticks', async () => {
    relay.state.holdJobs = true;
    let page = await popup();
    let card = page.locator('.sw-store', { hasText: 'Acme Home US' });
    await card.getByRole('button', { name: '刷新 Acme Home US' }).click();
    await card.locator('.sw-job-text').getByText('亚马逊正在生成报告').waitFor({ timeout: 30_000 });
    expect(await card.getByRole('button', { name: '刷新 Acme Home US' }).isDisabled()).toBe(true);
    await session.context.close();
    // Amazon finishes while the browser is closed.
    relay.state.holdJobs = false;
    session = await profile.open();
    await servePage(session.context, 'https://sellercentral.amazon.com/**', SELLER_CENTRAL_US);
    page = await popup();
    card = page.locator('.sw-store', { hasText: 'Acme Home US' });
    await card.locator('.sw-job-text').getByText('已完成').waitFor({ timeout: 30_000 });
    expect(await card.getByRole('button', { name: '刷新 Acme Home US' }).isEnabled()).toBe(true);
    await screenshot(page, 'glance-zh-resumed');
    await page.close();
  });
});

describe('options by role (zh-CN)', () => {
  it('lets an owner add a store and a WeCom robot', async () => {
    const page = await open('options.html');
    await page.getByText('Acme Home US').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.sw-owners-only').count()).toBe(0);
    expect(await page.getByRole('button', { name: '添加店铺' }).isEnabled()).toBe(true);
    expect(await page.locator('#channel-type option[value="wecom"]').isDisabled()).toBe(false);
    const text = await visibleText(page);
    expect(englishWords(text), text).toEqual([]);
    expect(text).not.toMatch(REGIONAL_INDICATOR);
    await screenshot(page, 'glance-zh-options-owner');
    await page.close();
  });

  it('shows a member the same controls disabled, with who can change them', async () => {
    role.role = 'member';
    const page = await open('options.html');
    await page.getByText('仅团队所有者可以添加店铺或修改店铺设置，请联系所有者。').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: '添加店铺' }).isDisabled()).toBe(true);
    expect(await page.locator('#channel-type option[value="wecom"]').isDisabled()).toBe(true);
    await page.getByText(/仅团队所有者可以添加企业微信群机器人/).waitFor();
    expect(englishWords(await visibleText(page))).toEqual([]);
    await screenshot(page, 'glance-zh-options-member');
    role.role = 'owner';
    await page.close();
  });
});

describe('the Seller Central panel never hides the page', () => {
  it('opens as a side sheet the page is narrowed for, and docks to the other side on request', async () => {
    const page = await open('https://sellercentral.amazon.com/performance/dashboard');
    await waitForShadowText(page, 'storewatch-badge', /US · 超标/);
    await clickInShadow(page, 'storewatch-badge', 'US');
    await waitForShadowText(page, 'storewatch-panel', /超出目标 0.4 个百分点/);
    const width = page.viewportSize()?.width ?? 1200;
    const main = () => page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().toJSON() as { left: number; right: number });
    // The page's content ends where the sheet begins: nothing of it is under the panel.
    expect((await main()).right).toBeLessThanOrEqual(width - 400);
    await screenshot(page, 'glance-zh-panel-right');
    await clickInShadow(page, 'storewatch-panel', '停靠左侧');
    await page.waitForFunction(() => document.documentElement.style.marginLeft === '400px');
    expect((await main()).left).toBeGreaterThanOrEqual(400);
    await screenshot(page, 'glance-zh-panel-left');
    await page.reload();
    // Remembered for the host: the next page opens docked left.
    await waitForShadowText(page, 'storewatch-badge', /US · 超标/);
    await clickInShadow(page, 'storewatch-badge', 'US');
    await page.waitForFunction(() => document.documentElement.style.marginLeft === '400px');
    await clickInShadow(page, 'storewatch-panel', '收起');
    await page.waitForFunction(() => document.documentElement.style.marginLeft === '');
    await page.close();
  });
});

describe('offline (zh-CN)', () => {
  it('shows one banner with the last successful sync, and keeps the cached stores', async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    const page = await popup();
    await page.getByRole('button', { name: '刷新 Sakura JP' }).click();
    await page.getByText(/^无法连接服务地址，正在显示缓存数据 · 上次同步：\d\d:\d\d$/).waitFor({ timeout: 20_000 });
    expect(await page.locator('.sw-banner').count()).toBe(1);
    expect(await page.locator('.sw-store').count()).toBe(3);
    expect(englishWords(await visibleText(page))).toEqual([]);
    await screenshot(page, 'glance-zh-offline');
    await page.close();
    // Back on the same address: the extension is paired with it.
    server = await serveRelay(relay, port);
  });
});

describe('the same screens in English', () => {
  it('saves the popup, detail, panel and options in English', async () => {
    const options = await open('options.html');
    await options.locator('#extension-language').selectOption('en');
    await options.getByText('Storewatch options').waitFor();
    await screenshot(options, 'glance-en-options');
    await options.close();
    const page = await popup();
    // The relay is back: a refresh reaches it, and the sync after it clears the offline banner.
    await page.getByRole('button', { name: 'Refresh Sakura JP' }).click();
    await page.locator('.sw-banner-offline').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.locator('.sw-store').first().locator('.sw-urgent').textContent()).toBe('US · ODR (MFN) 1.4% (0.4 pts over target / 5 defective orders over)');
    await screenshot(page, 'glance-en-popup');
    await page.getByRole('button', { name: 'United States: Breach' }).click();
    await page.getByText('2 more metrics healthy').waitFor();
    await screenshot(page, 'glance-en-detail');
    await page.close();
    const sc = await open('https://sellercentral.amazon.com/performance/dashboard');
    await waitForShadowText(sc, 'storewatch-badge', /US · /);
    await clickInShadow(sc, 'storewatch-badge', 'US');
    await waitForShadowText(sc, 'storewatch-panel', /over target/);
    await screenshot(sc, 'glance-en-panel');
    await sc.close();
  });
});

describe('the built extension', () => {
  it('draws no emoji flag in its pages, styles or message catalogs', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.(html|css|json)$/.test(name) ? [path] : [];
      });
    const drawn = files(EXTENSION_DIR);
    expect(drawn.some((f) => f.endsWith('messages.json'))).toBe(true);
    for (const file of drawn) expect(readFileSync(file, 'utf8'), file).not.toMatch(REGIONAL_INDICATOR);
  });
});
