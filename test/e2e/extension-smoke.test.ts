/**
 * A smoke run of the built extension in real Chromium: pair in options against a small relay on
 * 127.0.0.1, see the stores in the popup, refresh one and watch it finish, and see the panel on a
 * Seller Central and an ERP page (served from fixtures at their real URLs through Playwright's
 * routing - nothing leaves the machine). Build first (`npx wxt build`; `npm test` does).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, alert, threeStores } from '../extension/helpers/overview-fixtures.ts';
import { PAIRING_CODE, type SmokeRelay, startSmokeRelay } from './smoke-relay.ts';
import { shadowText } from './support/shadow.ts';

const root = process.cwd();
const extensionDir = join(root, '.output/chrome-mv3');
const shots = join(root, 'test-results');
const fixture = (name: string) => readFileSync(join(root, 'test/extension/fixtures', name), 'utf8');
const ERP_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>店小秘</title></head><body><h1>店小秘 订单</h1><p>ERP page</p></body></html>';
const WAIT = { timeout: 15_000 };

let relay: SmokeRelay;
let context: BrowserContext;
let profile: string;
let extensionId: string;

beforeAll(async () => {
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error('build the extension first: npx wxt build');
  mkdirSync(shots, { recursive: true });
  relay = await startSmokeRelay(threeStores(), [alert('a-1', NOW - 600_000)], NOW);
  profile = mkdtempSync(join(tmpdir(), 'storewatch-smoke-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: false,
    locale: 'en-US',
    viewport: { width: 1100, height: 800 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=en-US',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  await context.route('https://sellercentral.amazon.com/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixture('seller-central-us.html') }));
  await context.route('https://www.dianxiaomi.com/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: ERP_PAGE }));
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', WAIT));
  extensionId = new URL(worker.url()).host;
});

afterAll(async () => {
  await context?.close();
  await relay?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `smoke-${name}.png`), fullPage: true });
}

/**
 * The computed background of the first button inside `tag`'s closed shadow root, through the
 * DevTools protocol (page scripts - and Playwright locators - cannot enter a closed root).
 */
async function firstShadowButtonBackground(page: Page, tag: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    type Node = { nodeId: number; nodeName: string; children?: Node[]; shadowRoots?: Node[] };
    const { root: tree } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
    const find = (n: Node, name: string, inside: boolean): Node | null => {
      if (inside && n.nodeName === name) return n;
      for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) {
        const hit = find(c, name, inside || n.nodeName === tag.toUpperCase());
        if (hit) return hit;
      }
      return null;
    };
    const button = find(tree, 'BUTTON', false);
    if (!button) throw new Error(`no button inside <${tag}>`);
    const { object } = (await cdp.send('DOM.resolveNode', { nodeId: button.nodeId })) as { object: { objectId: string } };
    const { result } = (await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: 'function () { return getComputedStyle(this).backgroundColor; }',
      returnByValue: true,
    })) as { result: { value: string } };
    return result.value;
  } finally {
    await cdp.detach();
  }
}

describe('the built extension in Chromium (smoke)', () => {
  it('tells a new person to connect, then pairs in options with the relay URL and pairing code', async () => {
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 440, height: 600 });
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await popup.getByText('Connect to your relay').waitFor(WAIT);
    await shot(popup, 'popup-not-paired');
    await popup.close();

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.getByLabel('Relay URL').fill(relay.url);
    await options.getByLabel('Pairing code').fill(PAIRING_CODE.toLowerCase());
    await options.getByRole('button', { name: 'Connect', exact: true }).click();
    await options.getByText('Connected to Demo workspace as Lin (owner)').waitFor(WAIT);
    await shot(options, 'options-paired');
    expect(relay.requests).toContain('POST /v1/pair');
    await options.close();
  });

  it('shows every store worst first in the popup, opens a marketplace, and refreshes a store to done', async () => {
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 440, height: 600 });
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect.poll(() => popup.locator('.sw-store-name').allTextContents(), WAIT).toEqual(['Cedar Outdoor', 'Birch Kitchen', 'Alpha Home']);
    await popup.locator('[data-store-id="s-breach"] .sw-chip').first().click();
    await popup.locator('.sw-metric svg').first().waitFor(WAIT);
    await shot(popup, 'popup-stores');

    await popup.getByRole('button', { name: 'Refresh Birch Kitchen' }).click();
    await popup.locator('[data-store-id="s-warn"]').getByText('Done').waitFor({ timeout: 30_000 });
    await shot(popup, 'popup-refresh-done');
    expect(relay.requests.filter((r) => r === 'GET /v1/jobs/job-1').length).toBeGreaterThanOrEqual(5);
    await popup.close();
  });

  it('puts a badge on a Seller Central page that opens into the panel for the marketplace shown', async () => {
    const page = await context.newPage();
    await page.goto('https://sellercentral.amazon.com/performance/dashboard');
    const badge = page.locator('storewatch-badge');
    await badge.waitFor(WAIT);
    await shot(page, 'seller-central-badge');
    await badge.click();
    await page.locator('storewatch-panel').waitFor({ state: 'attached', ...WAIT });
    await expect.poll(async () => (await shadowText(page, 'storewatch-panel')) ?? '', WAIT).toContain('Order defect rate');
    const text = (await shadowText(page, 'storewatch-panel')) ?? '';
    expect(text).toContain('Alpha Home');
    expect(text).toContain('US');
    await shot(page, 'seller-central-panel');
    // The fixture page styles every button hot pink with !important; the shadow root keeps it out.
    expect(await firstShadowButtonBackground(page, 'storewatch-panel')).not.toBe('rgb(255, 105, 180)');
    await page.close();
  });

  it('puts the all-stores summary on an ERP page', async () => {
    const page = await context.newPage();
    await page.goto('https://www.dianxiaomi.com/order/index.htm');
    const badge = page.locator('storewatch-badge');
    await badge.waitFor(WAIT);
    await badge.click();
    await page.locator('storewatch-panel').waitFor({ state: 'attached', ...WAIT });
    await expect.poll(async () => (await shadowText(page, 'storewatch-panel')) ?? '', WAIT).toContain('Cedar Outdoor');
    await shot(page, 'erp-panel');
    await page.close();
  });
});
