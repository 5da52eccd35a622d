/**
 * The daily digest (早报) in workerd, driven through the scheduled entry and the DIGESTS queue's
 * consumer with an injected clock (issue 13, "Done when": the digest arrives at its hour under a
 * simulated clock, once): a WeCom robot gets one digest at 09:00 Asia/Shanghai, not before, not
 * twice in that day however the ticks fall or the queue repeats itself, and again the next morning;
 * the switch and the hour in the channels API move it.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import { getChannel } from '../../relay/alerts/settings.ts';
import { DIGEST_LEASE_MS, queueDigest } from '../../relay/digest/digest-db.ts';
import { handleDigestQueue } from '../../relay/digest/digest-queue.ts';
import { pruneFeedbackAndDigests } from '../../relay/retention.ts';
import { handleScheduled } from '../../relay/scheduled.ts';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { US, WECOM_KEY, World, odrEvent } from './helpers/alerts-world.ts';

/** 08:55 in Shanghai on 2026-03-11 (UTC+8, no daylight saving). */
const BEFORE_NINE = Date.UTC(2026, 2, 11, 0, 55);
const NINE = Date.UTC(2026, 2, 11, 1, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

const evaluation: MarketplaceEvaluation = {
  marketplaceId: US,
  level: 'warn',
  accountStatus: 'NORMAL',
  accountStatusRaw: 'NORMAL',
  ahr: { status: 'GREAT', score: 980 },
  metrics: {
    odrMfn: {
      value: 0.008,
      target: { value: 0.01, condition: 'LESS_THAN' },
      amazonStatus: 'GOOD',
      window: null,
      counts: { total: 250, defects: 2 },
      level: 'warn',
      headroom: 0,
      effectiveTarget: { value: 0.01, condition: 'LESS_THAN' },
    },
  },
};

let world: World;

/** D1 whose statements containing `marker` run, and then the invocation dies (throws). */
function dyingAfter(db: D1Database, marker: string): D1Database {
  return {
    prepare(query: string) {
      const statement = db.prepare(query);
      if (!query.includes(marker)) return statement;
      return {
        bind: (...values: unknown[]) => {
          const bound = statement.bind(...values);
          return {
            all: async () => {
              await bound.all();
              throw new Error('the invocation died');
            },
          };
        },
      } as unknown as D1PreparedStatement; // the consumer only binds and runs .all() on its claim
    },
    batch: (statements: D1PreparedStatement[]) => db.batch(statements),
  } as unknown as D1Database;
}

beforeEach(async () => {
  world = new World();
  await world.seed();
  const db = world.env.DB;
  await db.batch([
    db.prepare('DELETE FROM digests'),
    db.prepare('DELETE FROM snapshots'),
    db.prepare('DELETE FROM store_marketplaces'),
    db.prepare("INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES ('s1', 'w1', ?, 'US')").bind(US),
    db
      .prepare("INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation) VALUES ('snap-1', 'w1', 's1', ?, ?, ?, '{}', ?)")
      .bind(US, BEFORE_NINE - DAY, BEFORE_NINE - DAY, JSON.stringify(evaluation)),
    // Nothing else of the tick may reach a real queue.
    db.prepare("UPDATE stores SET next_poll_at = ?, next_feedback_at = ? WHERE workspace_id IN ('w1', 'w2')").bind(BEFORE_NINE + 30 * DAY, BEFORE_NINE + 30 * DAY),
  ]);
});

function tickEnv(): Env {
  const jobs = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
  return { ...world.env, JOBS: jobs };
}

/** The scheduled entry alone at `at`: what it picks waits on the DIGESTS queue. */
async function scheduleAt(at: number): Promise<void> {
  world.now = at;
  await handleScheduled(createScheduledController({ scheduledTime: new Date(at), cron: '* * * * *' }), tickEnv(), world.deps);
}

/** One cron tick at `at`, and the digest consumer taking what it queued. */
async function tickAt(at: number): Promise<void> {
  await scheduleAt(at);
  await world.drainDigests();
}

const digests = () => world.wechat.messagesTo('wecom').filter((m) => m.text.includes('店铺哨兵早报'));

describe('the daily digest under a simulated clock', () => {
  it('arrives once at 09:00 Shanghai, not before, not again that day, and again the next morning', async () => {
    await world.addWecom();
    world.now = NINE - 3 * 3_600_000;
    await world.fanOut([await world.recordEvent(odrEvent('digest-odr'))]);
    const alerts = world.wechat.messagesTo('wecom').length;

    await tickAt(BEFORE_NINE);
    expect(digests()).toEqual([]);
    // Two overlapping ticks at nine (a slow one and the next), each message delivered three times
    // at once, then more ticks in the same hour.
    await Promise.all([scheduleAt(NINE), scheduleAt(NINE)]);
    expect(world.digestJobs).toHaveLength(1);
    await world.drainDigests(3);
    expect(digests()).toHaveLength(1);
    await tickAt(NINE + 1 * MINUTE);
    await tickAt(NINE + 30 * MINUTE);
    await tickAt(NINE + 14 * 3_600_000);
    expect(digests()).toHaveLength(1);

    const text = digests()[0]!.text;
    expect(text).toContain('店铺哨兵早报 · 2026-03-11');
    expect(text).toContain('Acme Home');
    expect(text).toContain('订单缺陷率');
    expect(text).toContain('下一笔缺陷订单就会超标');
    expect(text).toContain('24 小时内');
    expect(text).toContain('店铺哨兵 · 2026-03-11 09:00');
    expect(world.wechat.messagesTo('wecom')).toHaveLength(alerts + 1);

    await tickAt(NINE + DAY - MINUTE);
    expect(digests()).toHaveLength(1);
    await tickAt(NINE + DAY);
    expect(digests()).toHaveLength(2);
    expect(digests()[1]!.text).toContain('店铺哨兵早报 · 2026-03-12');
  });

  it('sends once, later, when the consumer dies between claiming the digest and sending it', async () => {
    const id = await world.addWecom();
    await tickAt(BEFORE_NINE);
    await scheduleAt(NINE);
    const [job] = world.digestJobs.splice(0);
    // The claim is written, then the invocation dies before the robot is called.
    const dying = { ...world.env, DB: dyingAfter(world.env.DB, "SET state = 'sending'") };
    const batch = createMessageBatch<unknown>('storewatch-digests', [{ id: 'crash', timestamp: new Date(NINE), attempts: 1, body: job!.body }]);
    await handleDigestQueue(batch, dying, world.deps);
    expect((await getQueueResult(batch, createExecutionContext())).retryMessages).toHaveLength(1);
    expect(digests()).toEqual([]);
    // The redelivered message finds the claim still held; the cron comes back once it ran out.
    world.digestJobs.push({ body: job!.body, due: NINE });
    await world.drainDigests();
    expect(digests()).toEqual([]);
    const row = await world.env.DB.prepare('SELECT state, attempts FROM digests WHERE channel_id = ?').bind(id).first<{ state: string; attempts: number }>();
    expect(row).toEqual({ state: 'sending', attempts: 1 });
    await tickAt(NINE + DIGEST_LEASE_MS);
    expect(digests()).toHaveLength(1);
    for (let i = 1; i <= 6; i++) await tickAt(NINE + DIGEST_LEASE_MS + i * 5 * MINUTE);
    expect(digests()).toHaveLength(1);
    expect(await world.env.DB.prepare('SELECT state, attempts FROM digests WHERE channel_id = ?').bind(id).first()).toEqual({ state: 'sent', attempts: 2 });
  });

  it('retries a passing failure with back-off and gives up on a removed robot, marking the channel broken', async () => {
    const id = await world.addWecom();
    await tickAt(BEFORE_NINE);
    // WeCom's "system busy" once, then the robot is deleted (93000).
    world.wechat.wecom.script(WECOM_KEY, -1, 1);
    await tickAt(NINE);
    expect(digests()).toEqual([]);
    const after = await world.env.DB.prepare('SELECT d.state, d.attempts, d.next_attempt_at, c.digest_next_at FROM digests d JOIN channels c ON c.id = d.channel_id WHERE c.id = ?')
      .bind(id)
      .first<{ state: string; attempts: number; next_attempt_at: number; digest_next_at: number }>();
    expect(after).toEqual({ state: 'pending', attempts: 1, next_attempt_at: NINE + MINUTE, digest_next_at: NINE + MINUTE });
    world.wechat.wecom.breakKey(WECOM_KEY);
    await tickAt(NINE + 5 * MINUTE);
    expect(digests()).toEqual([]);
    const dead = await world.env.DB.prepare('SELECT d.state, d.attempts, c.state AS channel FROM digests d JOIN channels c ON c.id = d.channel_id WHERE c.id = ?').bind(id).first();
    expect(dead).toEqual({ state: 'dead', attempts: 2, channel: 'broken' });
    // A broken channel is no longer picked.
    await scheduleAt(NINE + DAY);
    expect(world.digestJobs).toEqual([]);
  });

  it('catches up later the same morning when the ticks around nine were missed', async () => {
    await world.addWecom();
    await tickAt(BEFORE_NINE);
    await tickAt(NINE + 2 * 3_600_000 + 7 * MINUTE);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]!.text).toContain('2026-03-11 11:07');
  });

  it('is on by default for a WeCom robot, shown in the channels API, and moved or switched off there', async () => {
    const id = await world.addWecom();
    const list = async () => ((await (await world.request('/v1/channels', { as: 'owner1' })).json()) as { channels: Array<{ id: string; digest?: unknown }> }).channels;
    expect((await list()).find((c) => c.id === id)?.digest).toEqual({ enabled: true, hour: 9, timeZone: 'Asia/Shanghai' });

    await tickAt(NINE - 2 * 60 * MINUTE);
    const moved = await world.request(`/v1/channels/${id}`, { method: 'PATCH', as: 'owner1', body: JSON.stringify({ digest: { hour: 8 } }) });
    expect(moved.status).toBe(200);
    expect((await list()).find((c) => c.id === id)?.digest).toEqual({ enabled: true, hour: 8, timeZone: 'Asia/Shanghai' });
    await tickAt(NINE - 60 * MINUTE);
    expect(digests()).toHaveLength(1);

    await world.request(`/v1/channels/${id}`, { method: 'PATCH', as: 'owner1', body: JSON.stringify({ digest: { enabled: false } }) });
    await tickAt(NINE + DAY);
    expect(digests()).toHaveLength(1);
    // Back on in the afternoon: no catching up on the days it was off; the next morning it comes.
    world.now = NINE + DAY + 5 * 3_600_000;
    await world.request(`/v1/channels/${id}`, { method: 'PATCH', as: 'owner1', body: JSON.stringify({ digest: { enabled: true } }) });
    await tickAt(NINE + DAY + 5 * 3_600_000 + MINUTE);
    expect(digests()).toHaveLength(1);
    await tickAt(NINE + 2 * DAY - 60 * MINUTE);
    expect(digests()).toHaveLength(2);
  });

  it('starts a robot added after its hour the next morning, not at once', async () => {
    await world.addWecom();
    await tickAt(NINE + 6 * 3_600_000);
    await tickAt(NINE + 6 * 3_600_000 + MINUTE);
    expect(digests()).toEqual([]);
    await tickAt(NINE + DAY);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]!.text).toContain('2026-03-12');
  });

  it('refuses a digest hour outside 0-23, an unknown zone and unknown fields', async () => {
    const id = await world.addWecom();
    for (const digest of [{ hour: 24 }, { hour: 8.5 }, { timeZone: 'Mars/Olympus' }, { at: '09:00' }]) {
      const res = await world.request(`/v1/channels/${id}`, { method: 'PATCH', as: 'owner1', body: JSON.stringify({ digest }) });
      expect(res.status, JSON.stringify(digest)).toBe(400);
    }
  });

  it('queues a channel and day once, however many sweeps try, and never a day at or before the last one sent', async () => {
    const id = await world.addWecom();
    const channel = (await getChannel(world.env.DB, id))!;
    const tries = await Promise.all([1, 2, 3].map(() => queueDigest(world.env.DB, channel, '2026-03-11', '{}', null, NINE)));
    expect(tries.filter(Boolean)).toHaveLength(1);
    // A sweep that read the channel before the 11th was recorded still finds it done.
    expect(await queueDigest(world.env.DB, channel, '2026-03-10', '{}', null, NINE)).toBe(false);
    expect(await queueDigest(world.env.DB, channel, '2026-03-12', '{}', null, NINE + DAY)).toBe(true);
    const rows = await world.env.DB.prepare('SELECT day FROM digests WHERE channel_id = ? ORDER BY day').bind(id).all<{ day: string }>();
    expect(rows.results.map((r) => r.day)).toEqual(['2026-03-11', '2026-03-12']);
  });
});

describe('retention of feedback marks and digests', () => {
  it('prunes seen feedback past twice the ODR window and month-old finished digests, nothing newer', async () => {
    const id = await world.addWecom();
    const db = world.env.DB;
    const now = NINE + 200 * DAY;
    await db.batch([
      db.prepare('DELETE FROM feedback_seen'),
      db.prepare("INSERT INTO feedback_seen (store_id, marketplace_id, order_id, rating, feedback_date, seen_at) VALUES ('s1', ?, '111-0000000-0000001', 1, NULL, ?)").bind(US, now - 121 * DAY),
      db.prepare("INSERT INTO feedback_seen (store_id, marketplace_id, order_id, rating, feedback_date, seen_at) VALUES ('s1', ?, '111-0000000-0000002', 1, NULL, ?)").bind(US, now - 119 * DAY),
      db.prepare("INSERT INTO digests (channel_id, day, workspace_id, state, message, next_attempt_at, created_at) VALUES (?, '2026-01-01', 'w1', 'sent', '{}', 0, ?)").bind(id, now - 31 * DAY),
      db.prepare("INSERT INTO digests (channel_id, day, workspace_id, state, message, next_attempt_at, created_at) VALUES (?, '2026-01-02', 'w1', 'pending', '{}', 0, ?)").bind(id, now - 31 * DAY),
      db.prepare("INSERT INTO digests (channel_id, day, workspace_id, state, message, next_attempt_at, created_at) VALUES (?, '2026-09-01', 'w1', 'sent', '{}', 0, ?)").bind(id, now - DAY),
    ]);
    expect(await pruneFeedbackAndDigests(world.env, now)).toEqual({ feedbackSeen: 1, digests: 1, folds: 0 });
    const days = await db.prepare('SELECT day FROM digests WHERE channel_id = ? ORDER BY day').bind(id).all<{ day: string }>();
    expect(days.results.map((r) => r.day)).toEqual(['2026-01-02', '2026-09-01']);
  });
});
