/**
 * What the report says beside the levels, through the whole relay in workerd: a new A-to-z claim
 * while the order defect rate stays under its target (and Amazon says GOOD) is an alert in
 * `GET /v1/alerts` and a WeCom message, with the default rules (issue 13, "Done when"); a breach
 * reaches `GET /v1/overview` with how far over it is and the way back.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { fanOutEvents } from '../../relay/alerts/fan-out.ts';
import { keyringFromEnv } from '../../relay/crypto/secrets.ts';
import type { Env } from '../../relay/env.ts';
import { accessTokenFor } from '../../relay/pipeline/access-token.ts';
import { type PipelineDeps, advanceJob, pollStore } from '../../relay/pipeline/consumer.ts';
import { platformDeps } from '../../relay/platform-deps.ts';
import type { JobMessage } from '../../relay/pipeline/messages.ts';
import { buildReport, type MarketplaceFigures } from '../support/report-documents.ts';
import { createWechatSide } from '../sandbox/wechat.ts';
import { addStore, call, setupWorkspace } from './helpers/relay-client.ts';
import { ScriptedAmazon } from './helpers/scripted-amazon.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const KEY = '6d3c1a52-8e0f-4b7a-9c21-5f4e3d2c1b0a';

async function chain() {
  const owner = await setupWorkspace('跨境团队');
  const refreshToken = `Atzr|good-chain-${crypto.randomUUID()}`;
  const store = await addStore(owner, refreshToken, 'na', '旗舰店');
  const channel = await call('POST', '/v1/channels', { token: owner.token, body: { type: 'wecom', name: '运营群', secret: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}` } });
  expect(channel.status).toBe(201);

  const figures: Record<string, Omit<MarketplaceFigures, 'marketplaceId'>> = { [US]: { odrMfn: { defects: 2, orders: 640 } }, [CA]: { odrMfn: { defects: 0, orders: 2000 } } };
  const amazon = new ScriptedAmazon({ sellers: { [refreshToken]: { documents: { [US]: () => buildReport({ marketplaceId: US, ...figures[US] }), [CA]: () => buildReport({ marketplaceId: CA, ...figures[CA] }) } } } });
  const clock = { now: Date.UTC(2026, 10, 23, 3, 0, 0) };
  const wechat = createWechatSide(() => clock.now);
  const sent: Array<{ body: JobMessage; delaySeconds: number }> = [];
  const jobs = { send: async (body: JobMessage, o?: { delaySeconds?: number }) => void sent.push({ body, delaySeconds: o?.delaySeconds ?? 0 }) } as unknown as Queue;
  const deliveries = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
  const testEnv = { ...env, JOBS: jobs, DELIVERIES: deliveries } as Env;
  const keyring = await keyringFromEnv(testEnv);
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const deps: PipelineDeps = {
    now: () => clock.now,
    newId: (prefix) => `${prefix}_${crypto.randomUUID()}`,
    fetch: amazon.fetch,
    accessToken: (e, s) => accessTokenFor(e, keyring, s.id, amazon.fetch, clock.now),
    async fanOut(e, events, c) {
      await fanOutEvents(e, events, clock.now, { ctx: c, deps: platformDeps(e, { now: () => clock.now, fetch: wechat.fetch, newId: () => crypto.randomUUID() }) });
    },
  };

  async function poll(): Promise<void> {
    clock.now += 3_600_000;
    await pollStore(testEnv, deps, ctx, store.id, 'schedule');
    for (let i = 0; i < 40 && sent.length > 0; i++) {
      const m = sent.shift()!;
      clock.now += m.delaySeconds * 1000;
      if (m.body.kind === 'step') await advanceJob(testEnv, deps, ctx, m.body.jobId);
    }
    await Promise.all(pending.splice(0));
  }
  return { owner, figures, poll, messages: () => wechat.messagesTo('wecom') };
}

describe('a new A-to-z claim under target', () => {
  it('appears in GET /v1/alerts and reaches WeCom while the order defect rate stays under target', async () => {
    const world = await chain();
    await world.poll();
    expect(world.messages()).toEqual([]);
    // 2 defective of 640 (negative feedback) -> 3 of 652 with one A-to-z claim: 0.46 %, under 1 %.
    world.figures[US] = { odrMfn: { defects: 3, orders: 652, claims: 1 } };
    await world.poll();

    const feed = await call('GET', '/v1/alerts', { token: world.owner.token });
    expect(feed.status).toBe(200);
    const alerts = (feed.body as { alerts: Array<Record<string, unknown>> }).alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'odr_defects_rose', category: 'problem', severity: 'warning', marketplaceId: US, metric: 'odrMfn', from: '0', to: '1', detail: { part: 'claims' } });

    const messages = world.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain('新增 1 笔A-to-z 索赔');
    expect(messages[0]!.text).toContain('A-to-z 索赔 0 → 1');
  });

  it('says nothing of claims already there at the first report, nor when the next brings no new one', async () => {
    const world = await chain();
    world.figures[US] = { odrMfn: { defects: 3, orders: 652, claims: 1 } };
    await world.poll();
    await world.poll();
    const feed = await call('GET', '/v1/alerts', { token: world.owner.token });
    expect((feed.body as { alerts: unknown[] }).alerts).toEqual([]);
    expect(world.messages()).toEqual([]);
  });
});

describe('a breach in the overview', () => {
  it('shows in GET /v1/overview with how far over it is and the way back', async () => {
    const world = await chain();
    world.figures[US] = { odrMfn: { defects: 3, orders: 252 } };
    await world.poll();
    const overview = await call('GET', '/v1/overview', { token: world.owner.token });
    expect(overview.status).toBe(200);
    const body = overview.body as { stores: Array<{ marketplaces: Array<{ marketplaceId: string; level: string; metrics: Record<string, unknown> }> }> };
    const us = body.stores[0]!.marketplaces.find((m) => m.marketplaceId === US)!;
    // 3 defective of 252 against < 1 %: 1 over the 2 that fit; 49 defect-free orders make 3 of 301.
    expect(us).toMatchObject({ level: 'breach', metrics: { odrMfn: { level: 'breach', amazonStatus: 'BAD', headroom: null, over: 1, wayBack: 49 } } });
    expect(us.metrics.lateShipmentRate).not.toHaveProperty('over');
  });
});
