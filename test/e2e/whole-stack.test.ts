/**
 * The whole product on one machine, as a new user meets it after `npm start`: the relay on local
 * workerd with D1 and Queues (scripts/local-stack.ts, as npm start runs it), the sandbox Amazon
 * and WeChat behind Miniflare's outbound routing, and the built extension in Chromium with a
 * Chinese UI. Nothing is faked between them: the extension pairs with a code the relay issued,
 * its refresh runs the real report job against the sandbox's Reports API, the panel reads what the
 * relay computed, and the WeCom robot message is the one the relay sent.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack.ts';
import { type ExtensionBrowser, launchExtension, pair, screenshot } from './support/browser.ts';
import { SELLER_CENTRAL_US, servePage } from './support/pages.ts';
import { clickInShadow, waitForShadowText } from './support/shadow.ts';

const STORE = 'Acme Home US'; // the name the Seller Central fixture page shows in its account switcher
const ROBOT_KEY = '5b0c6a1e-2f4d-4e8a-9c3b-7d1e0f2a4b6c';

let stack: LocalStack;
let browser: ExtensionBrowser;
let popup: Page;

beforeAll(async () => {
  stack = await startLocalStack({ reportProcessingMs: 1500 });
  // The sandbox's North America demo seller: US over its ODR target, CA and MX fine.
  await stack.owner.call('POST', '/v1/stores', { name: STORE, region: 'na', refreshToken: 'Atzr|sandbox-na' });
  await stack.owner.call('POST', '/v1/channels', { type: 'wecom', name: '运营群', secret: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${ROBOT_KEY}` });
  browser = await launchExtension('zh-CN');
  await servePage(browser.context, 'https://sellercentral.amazon.com/**', SELLER_CENTRAL_US);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the extension on the real relay and the sandbox Amazon', () => {
  it('pairs with a code the relay issued and lists the store, not yet checked', async () => {
    const unpaired = await browser.context.newPage();
    await unpaired.goto(browser.url('popup.html'));
    await unpaired.getByText('连接你们团队的服务地址').waitFor({ timeout: 15_000 });
    await unpaired.close();
    const { code } = (await stack.owner.call('POST', '/v1/invites', {})) as { code: string };
    const options = await pair(browser, stack.relayUrl, code);
    await options.getByText(STORE).first().waitFor({ timeout: 15_000 });
    await options.close();
    popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 900 });
    await popup.goto(browser.url('popup.html'));
    await popup.locator('.sw-store-name', { hasText: STORE }).waitFor({ timeout: 15_000 });
    expect(await popup.locator('.sw-store').count()).toBe(1);
  });

  it('refreshes through createReport, getReport and the document, showing each stage, until done', async () => {
    const card = popup.locator('.sw-store', { hasText: STORE });
    await card.getByRole('button', { name: `刷新 ${STORE}` }).click();
    const seen = new Set<string>();
    for (let i = 0; i < 300 && !seen.has('已完成'); i++) {
      seen.add((await card.locator('.sw-job-text').textContent().catch(() => null)) ?? '');
      await popup.waitForTimeout(100);
    }
    expect(seen).toContain('已完成');
    expect(seen.size, `stages seen: ${[...seen].join(' / ')}`).toBeGreaterThan(2);
    // The new numbers reach the popup: the US marketplace breaches (the demo seller's ODR).
    await card.locator('.sw-chip', { hasText: 'US' }).waitFor({ timeout: 15_000 });
    await popup.getByText(/1 个店铺中有 1 个需要关注/).waitFor({ timeout: 15_000 });
    await screenshot(popup, 'whole-stack-popup-refreshed');
  });

  it('shows the panel for the US marketplace on a Seller Central page, from the relay’s numbers', async () => {
    const page = await browser.context.newPage();
    await page.goto('https://sellercentral.amazon.com/performance/dashboard');
    await waitForShadowText(page, 'storewatch-badge', /US · /);
    await clickInShadow(page, 'storewatch-badge', 'US');
    const panel = await waitForShadowText(page, 'storewatch-panel', /订单缺陷率/);
    expect(panel).toContain(STORE);
    expect(panel).toMatch(/超标|再有/);
    await screenshot(page, 'whole-stack-panel');
    await page.close();
  });

  it('sent the team robot one markdown message naming the store and the breach', async () => {
    let messages = stack.sandbox.wechat.messagesTo('wecom');
    for (let i = 0; i < 100 && messages.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      messages = stack.sandbox.wechat.messagesTo('wecom');
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to).toBe(ROBOT_KEY);
    expect(messages[0]!.format).toBe('markdown');
    expect(messages[0]!.text).toContain(STORE);
    expect(messages[0]!.text).toContain('订单缺陷率');
  });
});
