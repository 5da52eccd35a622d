/**
 * Negative feedback order by order, in workerd against the sandbox Amazon (issue 13, "Done when":
 * a new 1-star feedback in the sandbox reaches WeCom with its order id). The cron's feedback
 * schedule sends the poll message, the JOBS consumer runs the feedback report job through the
 * sandbox's Reports API, the new feedback becomes an event, and alerting delivers it to the
 * simulated WeCom robot.
 */
import { createExecutionContext, createMessageBatch, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/api/limits.ts';
import { fanOutEvents } from '../../relay/alerts/fan-out.ts';
import { insertChannel } from '../../relay/alerts/channels-db.ts';
import { channelSecretBinding } from '../../relay/crypto/secrets.ts';
import { insertMemberStatements } from '../../relay/db/members.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { loadJob } from '../../relay/pipeline/jobs-db.ts';
import { isJobMessage } from '../../relay/pipeline/messages.ts';
import { FEEDBACK_INTERVAL_MS, scheduleDueFeedback } from '../../relay/pipeline/schedule.ts';
import { platformDeps } from '../../relay/platform-deps.ts';
import type { Env } from '../../relay/env.ts';
import { createWechatSide } from '../sandbox/wechat.ts';
import { count, sandboxWorld } from './helpers/sandbox-world.ts';

const US = 'ATVPDKIKX0DER';
const WECOM_KEY = '3f2e1d0c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const ORDER = '112-4839201-7730214';

async function feedbackWorld() {
  const w = await sandboxWorld('na');
  const wechat = createWechatSide(() => w.clock.now);
  const pending: Promise<unknown>[] = [];
  const deliveries = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
  const alertEnv = (e: Env) => ({ ...e, DELIVERIES: deliveries }) as Env;
  const alertDeps = platformDeps(alertEnv(w.env), { now: () => w.clock.now, fetch: wechat.fetch, newId: () => crypto.randomUUID() });
  // The world's consumer context keeps what alerting hands to waitUntil, so a test can await it.
  w.ctx.waitUntil = (p: Promise<unknown>) => void pending.push(p);
  // Alerting as production wires it, delivering to the simulated WeCom.
  w.deps.fanOut = async (e, events, ctx) => {
    await fanOutEvents(alertEnv(e), events, w.clock.now, { ctx, deps: alertDeps });
  };
  await env.DB.batch(insertMemberStatements(env.DB, { memberId: `m-${w.name}`, workspaceId: w.workspaceId, name: 'Lin', role: 'owner', tokenId: `t-${w.name}`, tokenHash: `h-${w.name}`, device: 'test' }, w.clock.now));
  await insertChannel(env.DB, {
    id: `ch-${w.name}`,
    workspace_id: w.workspaceId,
    member_id: null,
    type: 'wecom',
    name: '运营群',
    secret: await alertDeps.secrets.seal(WECOM_KEY, channelSecretBinding(`ch-${w.name}`)),
    secret_hint: '3f2e…4a5b',
    language: 'zh-CN',
    time_zone: 'Asia/Shanghai',
    state: 'ok',
    broken_reason: null,
    broken_at: null,
    next_send_at: 0,
    lease_token: null,
    lease_until: null,
    created_at: w.clock.now,
    updated_at: w.clock.now,
  }, LIMITS.teamChannelsPerWorkspace);

  /** One cron tick's feedback schedule, its poll message through the JOBS consumer, the job drained. */
  async function tick(): Promise<string[]> {
    const before = w.sent.length;
    await scheduleDueFeedback(w.env, w.clock.now);
    // The D1 of a test file is shared: other tests' stores are due too, and are not this world's to poll.
    const polls = w.sent.splice(before).map((m) => m.body).filter((m) => m.kind === 'poll' && m.storeId === w.storeId);
    const ctx = createExecutionContext();
    const messages = polls.map((body, i) => ({ id: `poll-${i}`, timestamp: new Date(w.clock.now), attempts: 1, body }));
    await handleJobQueue(createMessageBatch('storewatch-jobs', messages), w.env, { ...ctx, waitUntil: (p: Promise<unknown>) => void pending.push(p) }, w.deps);
    await w.drain();
    await Promise.all(pending.splice(0));
    return polls.map((p) => (p.kind === 'poll' ? (p.report ?? 'performance') : p.kind));
  }
  return { w, tick, wecom: () => wechat.messagesTo('wecom') };
}

describe('negative feedback from the sandbox to WeCom', () => {
  it('learns the old feedback first, then sends a new 1-star feedback to WeCom with its order id and order page', async () => {
    const { w, tick, wecom } = await feedbackWorld();
    expect(await tick()).toEqual(['feedback']);
    // The demo seller's US marketplace already had a 2-star feedback 20 days ago: learned, not announced.
    expect(wecom()).toEqual([]);
    expect(await count('SELECT window_count AS n FROM feedback_counts WHERE store_id = ? AND marketplace_id = ?', w.storeId, US)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM report_jobs WHERE store_id = ? AND report_type = 'feedback' AND state = 'done'", w.storeId)).toBe(1);

    await w.control('POST', '/_sandbox/feedback', { sellerId: w.seller.sellerId, marketplaceId: US, rating: 1, comment: 'Arrived broken, no reply to my messages', orderId: ORDER });
    // Not due again before its four hours are up.
    await w.advance(FEEDBACK_INTERVAL_MS / 2);
    expect(await tick()).toEqual([]);
    await w.advance(FEEDBACK_INTERVAL_MS / 2);
    expect(await tick()).toEqual(['feedback']);

    const messages = wecom();
    expect(messages).toHaveLength(1);
    const text = messages[0]!.text;
    expect(text).toContain('收到 1 星差评');
    expect(text).toContain(`订单：${ORDER}`);
    expect(text).toContain(`https://sellercentral.amazon.com/orders-v3/order/${ORDER}`);
    expect(text).toContain('Arrived broken, no reply to my messages');
    expect(text).toContain('Demo na');
    expect(await count('SELECT window_count AS n FROM feedback_counts WHERE store_id = ? AND marketplace_id = ?', w.storeId, US)).toBe(2);

    // The next report still lists it: nothing new, nothing sent.
    await w.advance(FEEDBACK_INTERVAL_MS);
    await tick();
    expect(wecom()).toHaveLength(1);
  });

  it('keeps the account-health job and the feedback job apart: one of each may run, and the store status is the health report’s', async () => {
    const { w, tick } = await feedbackWorld();
    await tick();
    expect(await count('SELECT poll_failures AS n FROM stores WHERE id = ?', w.storeId)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM stores WHERE id = ? AND last_checked_at IS NULL', w.storeId)).toBe(1);
    const jobId = await w.poll();
    expect((await loadJob(env.DB, jobId))?.job).toMatchObject({ state: 'done' });
    expect((await loadJob(env.DB, jobId))?.job.kind).toBeUndefined();
    expect(await count('SELECT COUNT(*) AS n FROM stores WHERE id = ? AND last_checked_at = ?', w.storeId, w.clock.now)).toBe(1);
  });

  it('is rule-switchable: with negative_feedback off, the event is recorded but nothing is sent', async () => {
    const { w, tick, wecom } = await feedbackWorld();
    await env.DB.prepare('INSERT INTO alert_rules (workspace_id, version, rules, updated_at, updated_by) VALUES (?, 1, ?, ?, NULL)')
      .bind(w.workspaceId, JSON.stringify({ kinds: { negative_feedback: false } }), w.clock.now)
      .run();
    await tick();
    await w.control('POST', '/_sandbox/feedback', { sellerId: w.seller.sellerId, marketplaceId: US, rating: 2, comment: 'meh' });
    await w.advance(FEEDBACK_INTERVAL_MS);
    await tick();
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE store_id = ? AND kind = 'negative_feedback'", w.storeId)).toBe(1);
    expect(wecom()).toEqual([]);
  });

  it('takes a poll message for the feedback report, and drops one naming a report it does not know', () => {
    expect(isJobMessage({ kind: 'poll', storeId: 's', workspaceId: 'w', report: 'feedback' })).toBe(true);
    expect(isJobMessage({ kind: 'poll', storeId: 's', workspaceId: 'w' })).toBe(true);
    expect(isJobMessage({ kind: 'poll', storeId: 's', workspaceId: 'w', report: 'settlement' })).toBe(false);
  });
});
