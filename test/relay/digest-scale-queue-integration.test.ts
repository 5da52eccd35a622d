/**
 * The daily digest at relay scale (issue 15): 300 WeCom robots across 30 workspaces, all due at
 * 09:00 Asia/Shanghai, driven with an injected clock through the scheduled entry (the cron's pick)
 * and the DIGESTS queue's consumer, one message per invocation as wrangler.toml configures it.
 * Every robot gets exactly one digest, all from the 09:00 tick; none at 08:55; none again however
 * the ticks repeat or overlap or the queue delivers twice; one each the next morning.
 */
import { createScheduledController } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_PICK_LIMIT } from '../../relay/digest/digest-dispatch.ts';
import { channelSecretBinding } from '../../relay/crypto/secrets.ts';
import type { Env } from '../../relay/env.ts';
import { handleScheduled } from '../../relay/scheduled.ts';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { US, World } from './helpers/alerts-world.ts';

const WORKSPACES = 30;
const ROBOTS_PER_WORKSPACE = 10;
const ROBOTS = WORKSPACES * ROBOTS_PER_WORKSPACE;
/** 2026-03-11 in Shanghai (UTC+8): 08:00, 08:55 and 09:00. */
const EIGHT = Date.UTC(2026, 2, 11, 0, 0);
const NINE = Date.UTC(2026, 2, 11, 1, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

/** ODR at warn with no headroom left: every digest has a store at risk to show. */
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

/** A robot key per channel, shaped like WeCom's (a UUID); the sandbox limits each key on its own. */
const keyOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let world: World;

/** Seeds 30 workspaces, each with a store at risk and 10 team robots added the day before. */
async function seedRelay(): Promise<void> {
  const db = world.env.DB;
  await db.batch([
    db.prepare('DELETE FROM digests'),
    db.prepare('DELETE FROM snapshots'),
    db.prepare('DELETE FROM store_marketplaces'),
    // Nothing else of the tick may reach a real queue.
    db.prepare('UPDATE stores SET next_poll_at = ?, next_feedback_at = ?').bind(NINE + 30 * DAY, NINE + 30 * DAY),
  ]);
  const statements: D1PreparedStatement[] = [];
  for (let w = 0; w < WORKSPACES; w++) {
    const ws = `dw${w}`;
    statements.push(
      db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, 0)').bind(ws, `跨境团队 ${w}`),
      db
        .prepare(
          `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, next_feedback_at, created_at, updated_at)
           VALUES (?, ?, ?, 'na', 'c', 'iv', 'k', ?, ?, 0, 0)`,
        )
        .bind(`ds${w}`, ws, `店铺 ${w}`, NINE + 30 * DAY, NINE + 30 * DAY),
      db.prepare("INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, 'US')").bind(`ds${w}`, ws, US),
      db
        .prepare("INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation) VALUES (?, ?, ?, ?, ?, ?, '{}', ?)")
        .bind(`dsnap${w}`, ws, `ds${w}`, US, EIGHT - DAY, EIGHT - DAY, JSON.stringify(evaluation)),
    );
    for (let r = 0; r < ROBOTS_PER_WORKSPACE; r++) {
      const n = w * ROBOTS_PER_WORKSPACE + r;
      const id = `dc${String(n).padStart(3, '0')}`;
      const secret = await world.deps.secrets.seal(keyOf(n), channelSecretBinding(id));
      statements.push(
        db
          .prepare(
            `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, language, time_zone, state, next_send_at, created_at, updated_at)
             VALUES (?, ?, NULL, 'wecom', ?, ?, '****', 'zh-CN', 'Asia/Shanghai', 'ok', 0, ?, ?)`,
          )
          .bind(id, ws, `运营群 ${r}`, secret, EIGHT - DAY, EIGHT - DAY),
      );
    }
  }
  for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100));
}

beforeEach(async () => {
  world = new World();
  await world.seed();
  await seedRelay();
});

function tickEnv(): Env {
  const jobs = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
  return { ...world.env, JOBS: jobs };
}

/** The scheduled entry alone at `at`; returns how many digest messages it queued. */
async function scheduleAt(at: number): Promise<number> {
  world.now = at;
  const before = world.digestJobs.length;
  await handleScheduled(createScheduledController({ scheduledTime: new Date(at), cron: '*/5 * * * *' }), tickEnv(), world.deps);
  return world.digestJobs.length - before;
}

/** A cron tick at `at` and the consumer taking each message it queued (`copies` times at once). */
async function tickAt(at: number, copies = 1): Promise<number> {
  const picked = await scheduleAt(at);
  await world.drainDigests(copies);
  return picked;
}

/** The digests the sandbox's robots accepted, per robot key, with when. */
function digestsByRobot(day: string): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const m of world.wechat.messagesTo('wecom')) {
    if (!m.text.includes(`店铺哨兵早报 · ${day}`)) continue;
    byKey.set(m.to, [...(byKey.get(m.to) ?? []), m.at]);
  }
  return byKey;
}

const everyKey = Array.from({ length: ROBOTS }, (_, n) => keyOf(n)).sort();

// 600 consumer invocations and 30 cron ticks in workerd: seconds on a busy machine.
describe(`the daily digest of ${ROBOTS} robots in ${WORKSPACES} workspaces, all at 09:00 Shanghai`, { timeout: 120_000 }, () => {
  it('sends each robot exactly one digest from the 09:00 tick, none before, none again, one the next morning', async () => {
    expect(ROBOTS).toBeLessThanOrEqual(DIGEST_PICK_LIMIT);
    // The first look of each channel (08:00) only counts yesterday as served.
    expect(await tickAt(EIGHT)).toBe(ROBOTS);
    expect(await tickAt(NINE - 5 * MINUTE)).toBe(0);
    expect(digestsByRobot('2026-03-11').size).toBe(0);

    // Two ticks overlapping at 09:00, and the queue delivering every message twice at once.
    await Promise.all([scheduleAt(NINE), scheduleAt(NINE)]);
    expect(world.digestJobs).toHaveLength(ROBOTS);
    await world.drainDigests(2);
    const first = digestsByRobot('2026-03-11');
    expect([...first.keys()].sort()).toEqual(everyKey);
    for (const [key, times] of first) expect(times, key).toEqual([NINE]);
    const last = Math.max(...[...first.values()].flat());
    console.info(`${ROBOTS} digests due at 09:00: the last sent ${(last - NINE) / MINUTE} min after 09:00, from the first tick`);
    const settled = await world.env.DB.prepare("SELECT state, COUNT(*) AS n FROM digests WHERE day = '2026-03-11' GROUP BY state").all<{ state: string; n: number }>();
    expect(settled.results).toEqual([{ state: 'sent', n: ROBOTS }]);

    // The rest of the morning's ticks find nothing to send.
    for (let i = 1; i <= 12; i++) expect(await tickAt(NINE + i * 5 * MINUTE, 2)).toBe(0);
    await tickAt(NINE + 14 * 60 * MINUTE);
    expect(digestsByRobot('2026-03-11')).toEqual(first);

    // The next morning: none at 08:55, one each at 09:00.
    world.wechat.reset();
    expect(await tickAt(NINE + DAY - 5 * MINUTE)).toBe(0);
    expect(digestsByRobot('2026-03-12').size).toBe(0);
    expect(await tickAt(NINE + DAY)).toBe(ROBOTS);
    expect(await tickAt(NINE + DAY + 5 * MINUTE)).toBe(0);
    const second = digestsByRobot('2026-03-12');
    expect([...second.keys()].sort()).toEqual(everyKey);
    for (const [key, times] of second) expect(times, key).toEqual([NINE + DAY]);
  });
});
