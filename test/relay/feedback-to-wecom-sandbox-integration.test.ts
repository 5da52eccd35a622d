/**
 * Negative feedback order by order, in workerd against the sandbox Amazon (issue 13, "Done when":
 * a new 1-star feedback in the sandbox reaches WeCom with its order id). The cron's feedback
 * schedule sends the poll message, the JOBS consumer runs the feedback report job through the
 * sandbox's Reports API, the new feedback becomes an event, and alerting delivers it to the
 * simulated WeCom robot.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { loadJob } from '../../relay/pipeline/jobs-db.ts';
import { isJobMessage } from '../../relay/pipeline/messages.ts';
import { FEEDBACK_INTERVAL_MS } from '../../relay/pipeline/schedule.ts';
import { feedbackWorld } from './helpers/feedback-wecom-world.ts';
import { count } from './helpers/sandbox-world.ts';

const US = 'ATVPDKIKX0DER';
const ORDER = '112-4839201-7730214';

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
