/**
 * One negative feedback, one message (issue 13 follow-up), in workerd against the sandbox Amazon
 * and the simulated WeCom robot: a new 1-2 star feedback is named by the feedback report
 * (`negative_feedback`, with its order) and counted by the account-health report (the ODR's
 * `negativeFeedback` count: `odr_defects_rose`). Whichever comes first, the team's phone gets one
 * message; without the feedback report the count still alerts, once; an A-to-z claim alerts as
 * always (shared/alerts/feedback-fold.ts).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { HOLD_MS } from '../../shared/alerts/feedback-fold.ts';
import { FEEDBACK_INTERVAL_MS } from '../../relay/pipeline/schedule.ts';
import { feedbackWorld } from './helpers/feedback-wecom-world.ts';
import { count } from './helpers/sandbox-world.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const ORDER = '702-1184736-2295017';

/** Messages about negative feedback: the per-order one (差评) or the ODR count's (负面反馈). */
const aboutFeedback = (texts: readonly string[]) => texts.filter((t) => t.includes('差评') || t.includes('负面反馈'));

/**
 * A world whose ODR counts move only when the test says: the demo US drift is stopped, CA has no
 * defect among 2,000 orders (so one or two stay far under target and change no level).
 */
async function foldWorld(options: { feedbackReport?: boolean } = {}) {
  const world = await feedbackWorld();
  const { w } = world;
  await w.control('POST', '/_sandbox/metrics', { sellerId: w.seller.sellerId, marketplaceId: US, metric: 'orderDefectRate', defects: 1 });
  await w.control('POST', '/_sandbox/metrics', { sellerId: w.seller.sellerId, marketplaceId: CA, metric: 'orderDefectRate', defects: 0, total: 2000 });
  if (options.feedbackReport !== false) await world.tick();
  await world.healthPoll();
  const texts = () => world.wecom().map((m) => m.text);
  const before = texts().length;
  /** Messages the phone got since the world was set up. */
  const since = () => texts().slice(before);
  /** The sandbox's defective CA orders: odd counts add a negative feedback, even ones an A-to-z claim (test/sandbox/report-document.ts). */
  const caDefects = (defects: number) => w.control('POST', '/_sandbox/metrics', { sellerId: w.seller.sellerId, marketplaceId: CA, metric: 'orderDefectRate', defects, total: 2000 });
  const leaveFeedback = (rating = 1) => w.control('POST', '/_sandbox/feedback', { sellerId: w.seller.sellerId, marketplaceId: CA, rating, comment: 'Never arrived', orderId: ORDER });
  return { ...world, since, caDefects, leaveFeedback };
}

describe('one negative feedback, one message', () => {
  it('sends only the per-order message when the feedback report names the order before the ODR count rises', async () => {
    const { w, tick, healthPoll, sweep, deliver, since, caDefects, leaveFeedback } = await foldWorld();
    await leaveFeedback();
    await w.advance(FEEDBACK_INTERVAL_MS);
    await tick();
    expect(since()).toHaveLength(1);
    expect(since()[0]).toContain(`订单：${ORDER}`);

    // A day later the account-health report counts it: recorded, not sent again.
    await caDefects(1);
    await w.advance(86_400_000);
    await healthPoll();
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE store_id = ? AND kind = 'odr_defects_rose' AND payload LIKE '%negativeFeedback%'", w.storeId)).toBe(1);
    await w.advance(HOLD_MS);
    await sweep();
    await deliver();
    expect(aboutFeedback(since())).toHaveLength(1);
  });

  it('holds the ODR count that rises first, and sends the per-order message when the feedback report names the order', async () => {
    const { w, tick, healthPoll, sweep, deliver, since, caDefects, leaveFeedback } = await foldWorld();
    await leaveFeedback(2);
    await caDefects(1);
    await w.advance(3_600_000);
    await healthPoll();
    // Held for the feedback report, which read the marketplace an hour ago: nothing yet.
    await sweep();
    await deliver();
    expect(since()).toEqual([]);

    await w.advance(FEEDBACK_INTERVAL_MS);
    await tick();
    expect(since()).toHaveLength(1);
    expect(since()[0]).toContain('收到 2 星差评');

    // The hold is over and the count explained: it never sends.
    await w.advance(HOLD_MS);
    await sweep();
    await deliver();
    expect(aboutFeedback(since())).toHaveLength(1);
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE store_id = ? AND kind = 'odr_defects_rose'", w.storeId)).toBe(0);
  });

  it('still alerts a new A-to-z claim under target', async () => {
    const { w, healthPoll, since, caDefects } = await foldWorld();
    await caDefects(2); // the second defect is a claim (and the first a negative feedback)
    await w.advance(3_600_000);
    await healthPoll();
    const claim = since().filter((t) => t.includes('A-to-z 索赔'));
    expect(claim).toHaveLength(1);
    expect(claim[0]).toContain('A-to-z 索赔 0 → 1');
  });

  it('alerts a count the feedback report never read at once, and only once', async () => {
    const { w, tick, healthPoll, sweep, deliver, since, caDefects, leaveFeedback } = await foldWorld({ feedbackReport: false });
    await leaveFeedback();
    await caDefects(1);
    await w.advance(3_600_000);
    await healthPoll();
    expect(aboutFeedback(since())).toHaveLength(1);
    expect(since()[0]).toContain('负面反馈 0 → 1');
    await w.advance(HOLD_MS);
    await sweep();
    await deliver();
    // The feedback report's first look only learns; nothing more is sent.
    await tick();
    expect(aboutFeedback(since())).toHaveLength(1);
  });

  it('alerts a held count when its hold ends unexplained (the feedback report failing), and the late per-order event stays silent', async () => {
    const { w, tick, healthPoll, sweep, deliver, since, caDefects, leaveFeedback } = await foldWorld();
    await leaveFeedback();
    await caDefects(1);
    await w.advance(3_600_000);
    await healthPoll();
    expect(since()).toEqual([]);
    // The feedback report does not run for the whole hold (its jobs failing): the count alerts then.
    await w.advance(HOLD_MS);
    await sweep();
    await deliver();
    expect(aboutFeedback(since())).toHaveLength(1);
    expect(since()[0]).toContain('负面反馈 0 → 1');

    // When the feedback report comes back and names the order, that says nothing new.
    await w.advance(FEEDBACK_INTERVAL_MS);
    await tick();
    expect(await count("SELECT COUNT(*) AS n FROM events WHERE store_id = ? AND kind = 'negative_feedback'", w.storeId)).toBe(1);
    expect(aboutFeedback(since())).toHaveLength(1);
  });

  it('alerts the count at once when per-order negative feedback alerts are switched off', async () => {
    const { w, healthPoll, since, caDefects, leaveFeedback } = await foldWorld();
    await env.DB.prepare('INSERT INTO alert_rules (workspace_id, version, rules, updated_at, updated_by) VALUES (?, 1, ?, ?, NULL)')
      .bind(w.workspaceId, JSON.stringify({ kinds: { negative_feedback: false } }), w.clock.now)
      .run();
    await leaveFeedback();
    await caDefects(1);
    await w.advance(3_600_000);
    await healthPoll();
    expect(aboutFeedback(since())).toHaveLength(1);
    expect(since()[0]).toContain('负面反馈 0 → 1');
  });
});
