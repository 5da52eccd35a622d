/**
 * Issue 14, finding 5: one retention pass in the cron covers every table that grows with time,
 * each with a named window; rows inside their window stay. (test/unit/retention-coverage.test.ts
 * checks that every table of the schema is pruned or bounded by construction.)
 */
import { createScheduledController, env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import { platformDeps, systemPlatform } from '../../relay/platform-deps.ts';
import { RETENTION, pruneExpired } from '../../relay/retention.ts';
import { handleScheduled } from '../../relay/scheduled.ts';
import { meteredEnv, newTally } from './helpers/invocation-meter.ts';

const NOW = Date.UTC(2026, 11, 6, 4, 0);
const DAY = 86_400_000;
const OLD = NOW - 500 * DAY;
const db = env.DB;

async function rows(table: string): Promise<string[]> {
  const key = { rate_limits: 'bucket', wechat_callbacks_seen: 'from_user', alert_fanouts: 'event_key', oauth_states: 'state_hash', events: 'key', alerts: 'event_key' }[table] ?? 'id';
  const { results } = await db.prepare(`SELECT ${key} AS k FROM ${table} ORDER BY ${key}`).all<{ k: string | number }>();
  return results.map((r) => String(r.k));
}

/** One row past its window and one inside it, in every table the pass prunes. */
async function seedOldAndNew(): Promise<void> {
  const at = (fresh: boolean, window: number) => (fresh ? NOW - window + DAY / 2 : NOW - window - DAY);
  const statements: D1PreparedStatement[] = [
    db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', 0)"),
    db.prepare(
      `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, created_at, updated_at)
       VALUES ('s', 'w', 'S', 'na', 'c', 'iv', 'k', 0, 0)`,
    ),
    db.prepare("INSERT INTO channels (id, workspace_id, type, name, secret, secret_hint, created_at, updated_at) VALUES ('c', 'w', 'wecom', 'C', 'x', 'x', 0, 0)"),
  ];
  for (const fresh of [false, true]) {
    const tag = fresh ? 'new' : 'old';
    const history = fresh ? NOW - DAY : OLD;
    statements.push(
      db.prepare("INSERT INTO members (id, workspace_id, name, role, created_at, revoked_at) VALUES (?, 'w', 'M', 'member', 0, ?)").bind(`m-${tag}`, at(fresh, RETENTION.removedMembers)),
      db.prepare("INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, 'w', 'M', 'member', 0)").bind(`m-live-${tag}`),
      db
        .prepare("INSERT INTO api_tokens (id, workspace_id, member_id, token_hash, device, created_at, revoked_at) VALUES (?, 'w', ?, ?, 'd', 0, ?)")
        .bind(`t-${tag}`, `m-live-${tag}`, `h-${tag}`, at(fresh, RETENTION.revokedTokens)),
      db.prepare("INSERT INTO invites (id, workspace_id, created_by, code_hash, expires_at, created_at) VALUES (?, 'w', 'x', ?, ?, 0)").bind(`i-${tag}`, `ch-${tag}`, at(fresh, RETENTION.invites)),
      db
        .prepare("INSERT INTO oauth_states (state_hash, workspace_id, member_id, region, expires_at, created_at) VALUES (?, 'w', ?, 'na', ?, 0)")
        .bind(`o-${tag}`, `m-live-${tag}`, at(fresh, RETENTION.oauthStates)),
      db.prepare('INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)').bind(`r-${tag}`, at(fresh, RETENTION.rateLimitWindows)),
      db.prepare('INSERT INTO wechat_callbacks_seen (from_user, create_time, seen_at) VALUES (?, ?, ?)').bind(`u-${tag}`, '1', at(fresh, RETENTION.callbacksSeen)),
      db.prepare('INSERT INTO alert_fanouts (event_key, alerted, decided_at) VALUES (?, 1, ?)').bind(`f-${tag}`, at(fresh, RETENTION.fanoutDecisions)),
      db
        .prepare("INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, finished_at, updated_at) VALUES (?, 'w', 's', 'schedule', 'done', 1, '{}', 0, ?, ?, 0)")
        .bind(`j-${tag}`, at(fresh, RETENTION.finishedJobs), at(fresh, RETENTION.finishedJobs)),
      db.prepare("INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at) VALUES ('w', 's', ?, 'level_changed', 'info', '{}', ?)").bind(`e-${tag}`, history),
      db
        .prepare("INSERT INTO alerts (workspace_id, store_id, event_key, kind, severity, category, payload, created_at) VALUES ('w', 's', ?, 'level_changed', 'info', 'problem', '{}', ?)")
        .bind(`a-${tag}`, history),
      // A settled delivery of a recent alert, past or inside its own window.
      db
        .prepare(
          `INSERT INTO deliveries (alert_id, channel_id, dedupe_key, state, next_attempt_at, created_at)
           SELECT id, 'c', ?, 'sent', 0, ? FROM alerts WHERE event_key = 'a-new'`,
        )
        .bind(`d-${tag}`, at(fresh, RETENTION.settledDeliveries)),
    );
  }
  // The old alert's own pending delivery goes with it.
  statements.push(db.prepare("INSERT INTO deliveries (alert_id, channel_id, dedupe_key, state, next_attempt_at, created_at) SELECT id, 'c', 'd-of-old-alert', 'pending', 0, ? FROM alerts WHERE event_key = 'a-old'").bind(OLD));
  await db.batch(statements);
}

beforeEach(async () => {
  const tables = ['deliveries', 'alerts', 'alert_fanouts', 'wechat_callbacks_seen', 'rate_limits', 'report_jobs', 'events', 'snapshots', 'invites', 'oauth_states', 'api_tokens', 'channels', 'stores', 'members', 'workspaces'];
  await db.batch(tables.map((t) => db.prepare(`DELETE FROM ${t}`)));
});

describe('retention', () => {
  it('runs in the cron tick and deletes what is past its window in every table, keeping what is inside it', async () => {
    await seedOldAndNew();
    const tick = meteredEnv({ ...env, HISTORY_RETENTION_DAYS: '400' } as Env, newTally());
    await handleScheduled(createScheduledController({ scheduledTime: new Date(NOW), cron: '*/5 * * * *' }), tick, platformDeps(tick, systemPlatform));
    expect(await rows('members')).toEqual(['m-live-new', 'm-live-old', 'm-new']);
    expect(await rows('api_tokens')).toEqual(['t-new']);
    expect(await rows('invites')).toEqual(['i-new']);
    expect(await rows('oauth_states')).toEqual(['o-new']);
    expect(await rows('rate_limits')).toEqual(['r-new']);
    expect(await rows('wechat_callbacks_seen')).toEqual(['u-new']);
    // The tick's sweep also decides the fresh event: its mark joins the fresh one.
    expect(await rows('alert_fanouts')).toEqual(['e-new', 'f-new']);
    expect(await rows('report_jobs')).toEqual(['j-new']);
    expect(await rows('events')).toEqual(['e-new']);
    expect(await rows('alerts')).toEqual(['a-new']);
    const { results } = await db.prepare('SELECT dedupe_key FROM deliveries ORDER BY dedupe_key').all<{ dedupe_key: string }>();
    expect(results.map((r) => r.dedupe_key)).toEqual(['d-new']);
  });

  it('deletes a bounded slice per pass, in one D1 round trip', async () => {
    const windows = Array.from({ length: 700 }, (_, i) => db.prepare('INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)').bind(`b${i}`, OLD));
    for (let i = 0; i < windows.length; i += 100) await db.batch(windows.slice(i, i + 100));
    const tally = newTally();
    expect((await pruneExpired(meteredEnv({ ...env } as Env, tally), NOW)).rateLimits).toBe(500);
    expect(tally.d1.n).toBe(1);
    expect((await pruneExpired({ DB: db }, NOW)).rateLimits).toBe(200);
  });
});
