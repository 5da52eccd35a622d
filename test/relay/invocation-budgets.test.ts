/**
 * Issue 14, finding 1: every kind of invocation the relay has - an HTTP route, a cron tick, a
 * report-job step, a delivery-queue batch, a digest-queue message, and the immediate fan-out a job
 * step starts under waitUntil - stays inside Cloudflare's per-invocation limits in its worst case, counted call by
 * call: each outgoing fetch, each D1 round trip, each queue call (docs/operations.md, "Per-invocation
 * budgets"). Local workerd enforces none of these, so only counting shows how close they come.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMMEDIATE_DELIVERIES } from '../../relay/alerts/fan-out.ts';
import { DELIVERY_BATCH_CHANNELS } from '../../relay/alerts/queue.ts';
import { DIGEST_PICK_LIMIT } from '../../relay/digest/digest-dispatch.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import { buildReport } from '../support/report-documents.ts';
import { insertSnapshotStatement } from './helpers/snapshot-rows.ts';
import { MARKETPLACES } from '../../shared/marketplaces.ts';
import { BudgetWorld, CA, STORE, US } from './helpers/budget-world.ts';
import { type Tally, bindingCalls, describeTally, overBudget } from './helpers/invocation-meter.ts';

let world: BudgetWorld;

beforeEach(async () => {
  world = new BudgetWorld();
  await world.seed();
});

function withinBudget(kind: string, tally: Tally): void {
  console.info(describeTally(kind, tally));
  expect(overBudget(tally), kind).toEqual([]);
}

/** A breach on both marketplaces: every one of the workspace's 44 channels gets an alert. */
async function breachBothMarketplaces(): Promise<Tally[]> {
  world.defects[US] = 5;
  world.defects[CA] = 5;
  return world.pollToEnd();
}

const NA3 = [US, CA, 'A1AM78C64UM0Y8'] as const;

/**
 * Fills w1 up to 500 stores, each in 3 North American marketplaces with a snapshot of figures that
 * differ from store to store (some near or over a target), and 200 alerts of the last day.
 */
async function fillWorkspace(): Promise<void> {
  const db = env.DB;
  const evaluations = Array.from({ length: 7 }, (_, k) =>
    NA3.map((marketplaceId) => {
      const parsed = parseSellerPerformanceReport(buildReport({ marketplaceId, odrMfn: { defects: k, orders: 300 }, late: { late: k % 5, orders: 300 }, violations: k % 3 === 0 ? 1 : 0 }));
      if (!parsed.ok) throw new Error(parsed.error);
      const content = parsed.marketplaces[0]!;
      return { content, evaluation: evaluate(content, resolveThresholds({}, 'any', marketplaceId)) };
    }),
  );
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < 499; i++) {
    const storeId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    statements.push(
      db
        .prepare(
          `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, next_feedback_at, created_at, updated_at)
           VALUES (?, 'w1', ?, 'na', 'c', 'iv', 'k', ?, ?, 0, 0)`,
        )
        .bind(storeId, `深圳跨境贸易 Store ${i}`, world.now + 86_400_000, world.now + 86_400_000),
      ...NA3.map((marketplaceId, m) => {
        const { content, evaluation } = evaluations[i % 7]![m]!;
        return insertSnapshotStatement(db, { id: `snap-${i}-${m}`, workspaceId: 'w1', storeId, marketplaceId, takenAt: world.now - 3_600_000, fetchedAt: world.now - 3_600_000, content, evaluation });
      }),
      ...NA3.map((marketplaceId, m) =>
        db.prepare("INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, 'w1', ?, ?)").bind(storeId, marketplaceId, ['US', 'CA', 'MX'][m]),
      ),
    );
    if (i < 200) {
      statements.push(
        db
          .prepare(
            `INSERT INTO alerts (workspace_id, store_id, event_key, kind, severity, category, payload, created_at)
             VALUES ('w1', ?, ?, 'level_changed', 'critical', 'problem', ?, ?)`,
          )
          .bind(storeId, `day-${i}`, JSON.stringify({ kind: 'level_changed', severity: 'critical', marketplaceId: US, metric: 'odrMfn', from: 'warn', to: 'breach', detail: {} }), world.now - 3_600_000 + i),
      );
    }
  }
  for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100));
}

describe('per-invocation budgets, worst cases', () => {
  it('a report-job step that fans an alert out to 44 channels, with the deliveries it starts at once', async () => {
    const steps = await breachBothMarketplaces();
    const alerted = await env.DB.prepare('SELECT COUNT(DISTINCT channel_id) AS n FROM deliveries').first<{ n: number }>();
    expect(alerted?.n).toBe(44);
    const busiest = steps.reduce((a, b) => (a.fetches.length + bindingCalls(a) >= b.fetches.length + bindingCalls(b) ? a : b));
    withinBudget('busiest job step', busiest);
    for (const [i, step] of steps.entries()) expect(overBudget(step), `job step ${i}`).toEqual([]);
    // At most MAX_IMMEDIATE_DELIVERIES channels are sent to inside the step; the rest go through the queue.
    const sentInSteps = steps.reduce((n, t) => n + t.fetches.filter((f) => !f.includes('amazon')).length, 0);
    expect(sentInSteps).toBeLessThanOrEqual(MAX_IMMEDIATE_DELIVERIES);
    expect(world.deliveries.length).toBeGreaterThanOrEqual(44 - MAX_IMMEDIATE_DELIVERIES);
  });

  it('every job step of an EU seller in all 16 EU marketplaces, breaching in each, fanning out to 44 channels', async () => {
    const eu = MARKETPLACES.filter((m) => m.region === 'eu').map((m) => [m.id, m.countryCode] as const);
    expect(eu).toHaveLength(16);
    world = new BudgetWorld('eu', eu);
    await world.seed();
    for (const [id] of eu) world.defects[id] = 5;
    const steps = await world.pollToEnd();
    const snapshots = await env.DB.prepare('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ?').bind(STORE).first<{ n: number }>();
    expect(snapshots?.n).toBe(16);
    for (const [i, step] of steps.entries()) expect(overBudget(step), `job step ${i}: ${describeTally('', step)}`).toEqual([]);
    const busiest = steps.reduce((a, b) => (a.fetches.length >= b.fetches.length ? a : b));
    withinBudget('busiest EU job step', busiest);
  });

  it(`a delivery-queue batch of ${DELIVERY_BATCH_CHANNELS} channels, and one of 10 messages (more than the consumer takes at once)`, async () => {
    await breachBothMarketplaces();
    world.alerts.now += 120_000;
    const channels = await env.DB.prepare("SELECT DISTINCT channel_id AS id FROM deliveries WHERE state = 'pending' ORDER BY channel_id").all<{ id: string }>();
    expect(channels.results.length).toBeGreaterThanOrEqual(10);
    const ten = channels.results.slice(0, 10).map((r) => ({ channelId: r.id }));
    const batch = await world.deliveryBatch(ten);
    withinBudget('delivery batch of 10 messages', batch);
    // What the batch did not take is woken again, not lost.
    const sent = await env.DB.prepare("SELECT COUNT(DISTINCT channel_id) AS n FROM deliveries WHERE state = 'sent'").first<{ n: number }>();
    expect(sent?.n).toBeGreaterThanOrEqual(DELIVERY_BATCH_CHANNELS);
    for (let guard = 0; guard < 20 && world.deliveries.length > 0; guard++) {
      world.alerts.now += 60_000;
      const due = world.deliveries.splice(0, 10).map((d) => d.body);
      withinBudget('delivery batch', await world.deliveryBatch(due));
    }
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE state != 'sent'").first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it('a cron tick with 1,000 due stores, undecided events of 100 workspaces and reminders due', async () => {
    const db = env.DB;
    const statements: D1PreparedStatement[] = [];
    for (let w = 0; w < 100; w++) {
      statements.push(
        db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, 0)').bind(`bw${w}`, `W${w}`),
        db.prepare("INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, ?, 'O', 'owner', 0)").bind(`bo${w}`, `bw${w}`),
      );
      for (let s = 0; s < 10; s++) {
        statements.push(
          db
            .prepare(
              `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, created_at, updated_at)
               VALUES (?, ?, 'S', 'na', 'c', 'iv', 'k', 0, 0, 0)`,
            )
            .bind(`bs${w}-${s}`, `bw${w}`),
        );
      }
      statements.push(
        db
          .prepare(
            `INSERT INTO alerts (workspace_id, store_id, event_key, kind, severity, category, payload, remind, created_at, remind_check_at)
             VALUES (?, ?, ?, 'level_changed', 'critical', 'problem', ?, 1, ?, ?)`,
          )
          .bind(`bw${w}`, `bs${w}-1`, `open-${w}`, JSON.stringify({ kind: 'level_changed', severity: 'critical', marketplaceId: US, metric: 'odrMfn', from: 'warn', to: 'breach', detail: {} }), world.now - 3 * 86_400_000, world.now - 1),
        db
          .prepare("INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at) VALUES (?, ?, ?, 'level_changed', 'critical', ?, ?)")
          .bind(`bw${w}`, `bs${w}-0`, `ev-${w}`, JSON.stringify({ kind: 'level_changed', severity: 'critical', marketplaceId: US, metric: 'odrMfn', from: 'warn', to: 'breach', detail: {} }), world.now - 10 * 60_000),
      );
    }
    for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100));
    withinBudget('cron tick', await world.cron());
    // Bounded, not dropped: the next ticks take the other workspaces' events and reminders.
    const decided = await db.prepare("SELECT COUNT(*) AS n FROM alert_fanouts WHERE event_key LIKE 'ev-%'").first<{ n: number }>();
    expect(decided?.n).toBeGreaterThan(0);
    const reminded = await db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE event_key LIKE 'open-%' AND remind_check_at > ?").bind(world.now).first<{ n: number }>();
    expect(reminded?.n).toBeGreaterThan(0);
    const undecided = () => db.prepare("SELECT COUNT(*) AS n FROM events e LEFT JOIN alert_fanouts f ON f.event_key = e.key WHERE e.key LIKE 'ev-%' AND f.event_key IS NULL").first<{ n: number }>();
    for (let tick = 0; tick < 30 && (await undecided())!.n > 0; tick++) {
      world.alerts.now += 5 * 60_000;
      withinBudget(`cron tick ${tick + 2}`, await world.cron());
    }
    expect((await undecided())?.n).toBe(0);
  });

  it('a digest-queue message for a workspace of 500 stores x 3 marketplaces: a WeCom robot, an Official Account binding, a PushPlus channel', async () => {
    await fillWorkspace();
    const db = env.DB;
    const { results } = await db.prepare("SELECT id, type FROM channels WHERE workspace_id = 'w1' ORDER BY type, id").all<{ id: string; type: string }>();
    const one = ['wecom', 'oa', 'pushplus'].map((type) => results.find((r) => r.type === type)!.id);
    // Each due today (12:00 in Shanghai), yesterday's sent: the consumer composes and sends.
    await db
      .prepare("UPDATE channels SET digest_enabled = 1, digest_last_day = '2026-03-09', digest_next_at = 0 WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(one))
      .run();
    // No cached Official Account token: its send fetches one first.
    await db.prepare('DELETE FROM oa_tokens').run();
    for (const [i, channelId] of one.entries()) {
      const tally = await world.digestMessage({ kind: 'digest', channelId });
      withinBudget(`digest message (${['wecom', 'oa', 'pushplus'][i]}), 500 stores x 3 marketplaces`, tally);
    }
    const sent = await db.prepare("SELECT channel_id, state FROM digests WHERE day = '2026-03-10' ORDER BY channel_id").all<{ channel_id: string; state: string }>();
    expect(sent.results).toEqual([...one].sort().map((channel_id) => ({ channel_id, state: 'sent' })));
  });

  it(`a cron tick picks at most ${DIGEST_PICK_LIMIT} channels whose digest is due, one queue message each; the next tick the rest`, async () => {
    const db = env.DB;
    const channels = Array.from({ length: 600 }, (_, i) =>
      db
        .prepare(
          `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, state, next_send_at, digest_last_day, digest_next_at, created_at, updated_at)
           VALUES (?, 'w1', NULL, 'wecom', 'g', 'sealed', '****', 'ok', 0, '2026-03-09', ?, 0, 0)`,
        )
        .bind(`due-${i}`, world.now - i * 1000),
    );
    for (let i = 0; i < channels.length; i += 100) await db.batch(channels.slice(i, i + 100));
    // And the seeded channels (never looked at yet) plus 300 that want no digest.
    const off = Array.from({ length: 300 }, (_, i) =>
      db.prepare("INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, state, created_at, updated_at) VALUES (?, 'w1', 'member1', 'pushplus', 'p', 's', '****', 'ok', 0, 0)").bind(`off-${i}`),
    );
    for (let i = 0; i < off.length; i += 100) await db.batch(off.slice(i, i + 100));
    const due = 600 + 20;
    const first = await world.cron();
    withinBudget(`cron tick, ${due} digests due`, first);
    expect(first.messages.DIGESTS).toHaveLength(DIGEST_PICK_LIMIT);
    world.alerts.now += 5 * 60_000;
    const second = await world.cron();
    withinBudget(`cron tick, ${due - DIGEST_PICK_LIMIT} digests still due`, second);
    const picked = [...first.messages.DIGESTS!, ...second.messages.DIGESTS!].map((m) => (m.body as { channelId: string }).channelId);
    expect(picked).toHaveLength(due);
    expect(new Set(picked).size).toBe(due);
    expect(picked.some((id) => id.startsWith('off-'))).toBe(false);
  });

  it('HTTP routes at their worst: refresh every store, the overview of 500 stores, a test of each channel kind', async () => {
    const db = env.DB;
    // Adding a store asks Login with Amazon and the Sellers API (the scripted Amazon has no Sellers API: a 502 after both calls).
    const added = await world.http('/v1/stores', { method: 'POST', as: 'owner1', body: JSON.stringify({ name: 'New', region: 'na', refreshToken: `Atzr|${STORE}` }) });
    expect(added.tally.fetches).toHaveLength(2);
    withinBudget('POST /v1/stores', added.tally);
    const stores = Array.from({ length: 498 }, (_, i) =>
      db
        .prepare(
          `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, created_at, updated_at)
           VALUES (?, 'w1', ?, 'na', 'c', 'iv', 'k', 0, 0)`,
        )
        .bind(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `Store ${i}`),
    );
    for (let i = 0; i < stores.length; i += 100) await db.batch(stores.slice(i, i + 100));
    const refresh = await world.http('/v1/refresh', { method: 'POST', as: 'owner1' });
    expect(refresh.status).toBe(202);
    withinBudget('POST /v1/refresh, 500 stores', refresh.tally);
    // Every refresh again at once: each joins the job just started.
    const again = await world.http('/v1/refresh', { method: 'POST', as: 'owner1' });
    withinBudget('POST /v1/refresh again, 500 stores', again.tally);
    // A refresh that loses the race for every store to the cron (its jobs land between the
    // refresh's read and its inserts): each store joins the job that won.
    await db.prepare('DELETE FROM report_jobs').run();
    let raced = false;
    world.db = {
      prepare: (query: string) => db.prepare(query),
      batch: async (statements: D1PreparedStatement[]) => {
        if (!raced && statements.length >= 100) {
          raced = true;
          await db
            .prepare(
              `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, updated_at)
               SELECT 'cron-' || id, workspace_id, id, 'schedule', 'queued', 0, '{}', 0, ?1, ?1 FROM stores WHERE workspace_id = 'w1'`,
            )
            .bind(world.now)
            .run();
        }
        return db.batch(statements);
      },
    } as unknown as D1Database;
    const lost = await world.http('/v1/refresh', { method: 'POST', as: 'owner1' });
    world.db = null;
    expect(raced).toBe(true);
    expect(lost.status).toBe(202);
    withinBudget('POST /v1/refresh losing every race, 500 stores', lost.tally);
    const overview = await world.http('/v1/overview', { as: 'member1' });
    expect(overview.status).toBe(200);
    withinBudget('GET /v1/overview, 500 stores', overview.tally);
    const { results } = await db.prepare("SELECT id, type, member_id FROM channels WHERE workspace_id = 'w1' ORDER BY type").all<{ id: string; type: string; member_id: string | null }>();
    for (const type of ['wecom', 'pushplus']) {
      const channel = results.find((r) => r.type === type)!;
      const tested = await world.http(`/v1/channels/${channel.id}/test`, { method: 'POST', as: channel.member_id ?? 'owner1' });
      expect(tested.status).toBe(200);
      withinBudget(`POST /v1/channels/:id/test (${type})`, tested.tally);
    }
  });
});
