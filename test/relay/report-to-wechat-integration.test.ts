/**
 * The whole chain in workerd: a store added through the API, a WeCom robot channel, the report
 * pipeline polling a scripted Amazon, and alerting delivering to the simulated WeCom (issue 5,
 * "Done when": one message on a breach, none on a repeat, one on the recovery).
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

  const figures: Record<string, Omit<MarketplaceFigures, 'marketplaceId'>> = { [US]: { odrMfn: { defects: 0, orders: 2000 } }, [CA]: { odrMfn: { defects: 0, orders: 2000 } } };
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
  return { figures, poll, messages: () => wechat.messagesTo('wecom') };
}

describe('from an Amazon report to a WeCom message', () => {
  it('sends exactly one markdown message when ODR breaks its target, naming store, marketplace, metric, values, target and window', async () => {
    const world = await chain();
    await world.poll();
    expect(world.messages()).toEqual([]);
    world.figures[US] = { odrMfn: { defects: 3, orders: 252 } };
    await world.poll();
    const messages = world.messages();
    expect(messages).toHaveLength(1);
    const text = messages[0]!.text;
    expect(text).toContain('旗舰店');
    expect(text).toContain('美国');
    expect(text).toContain('订单缺陷率');
    expect(text).toMatch(/1\.19\s?%/);
    expect(text).toMatch(/1(\.0+)?\s?%/);
    expect(text).toContain('2026-09-24');
    expect(messages[0]!.request).toMatchObject({ msgtype: 'markdown' });
  });

  it('sends nothing when a later report changes nothing, and one message on the recovery', async () => {
    const world = await chain();
    world.figures[US] = { odrMfn: { defects: 3, orders: 252 } };
    await world.poll();
    await world.poll();
    expect(world.messages()).toHaveLength(1);
    world.figures[US] = { odrMfn: { defects: 0, orders: 2000 } };
    await world.poll();
    expect(world.messages()).toHaveLength(2);
  });

  it('sends one message per channel when many metrics change at once across marketplaces', async () => {
    const world = await chain();
    world.figures[US] = { odrMfn: { defects: 3, orders: 252 }, late: { late: 30, orders: 300 }, cancel: { cancelled: 10, orders: 100 }, violations: 2 };
    world.figures[CA] = { odrMfn: { defects: 4, orders: 252 }, late: { late: 30, orders: 300 }, violations: 1 };
    await world.poll();
    expect(world.messages()).toHaveLength(1);
  });
});
