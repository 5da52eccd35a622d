/**
 * Everything the relay prunes, in one pass the scheduled entry runs each tick (relay/scheduled.ts):
 * every table that grows with time has a window here, and each tick deletes at most PRUNE_SLICE
 * rows of each in one D1 batch (one round trip), so no tick does much work and a backlog drains
 * over a few ticks. The README's "Retention" table lists the same windows.
 *
 * History: the API keeps no history (the Account Health API answers only the current windows), so
 * our snapshots and events are the only record of trends - kept for `HISTORY_RETENTION_DAYS`
 * (default 400: a year and a season, enough for year-on-year). A marketplace's newest snapshot is
 * never pruned: it is the store's current state, however old.
 */
import { UNDECIDED_LOOKBACK_MS } from './alerts/sweep.ts';
import type { Env } from './env.ts';

const DAY = 86_400_000;

export const DEFAULT_RETENTION_DAYS = 400;

/** How long each kind of row is kept once it is finished with (times in ms). */
export const RETENTION = {
  /** Finished report jobs only serve the progress display and the refresh cooldown. */
  finishedJobs: 7 * DAY,
  /** Rate-limit windows last 10 minutes at most; a day covers any of them. */
  rateLimitWindows: DAY,
  /** Pairing codes live minutes; a used or expired one is kept a week for "who paired when". */
  invites: 7 * DAY,
  /** "Connect with Amazon" states live 10 minutes; a day past expiry nothing can use them. */
  oauthStates: DAY,
  /** Sent and dead deliveries: the feed shows where a recent alert went. */
  settledDeliveries: 90 * DAY,
  /** A revoked token, a removed member: kept 90 days for the devices and members views, then gone. */
  revokedTokens: 90 * DAY,
  removedMembers: 90 * DAY,
  /** WeChat repeats a callback for a few seconds at most; a day of "seen" marks covers any replay. */
  callbacksSeen: DAY,
  /** Fan-out decisions a day past the sweep's look-back, so no event is decided twice. */
  fanoutDecisions: UNDECIDED_LOOKBACK_MS + DAY,
} as const;

/** Rows each kind of prune deletes per tick at most. */
export const PRUNE_SLICE = 500;

/** Settings of the pipeline that live in wrangler.toml `[vars]`. */
export interface RetentionSettings {
  /** Days of snapshots, events and alerts to keep (whole days, at least 1). */
  HISTORY_RETENTION_DAYS?: string;
}

export function retentionDays(env: RetentionSettings): number {
  const days = Number(env.HISTORY_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 1 ? days : DEFAULT_RETENTION_DAYS;
}

/** The tables the pass prunes, in the order of its statements. */
export type Pruned = Record<
  | 'snapshots'
  | 'events'
  | 'alerts'
  | 'deliveries'
  | 'jobs'
  | 'rateLimits'
  | 'invites'
  | 'oauthStates'
  | 'revokedTokens'
  | 'removedMembers'
  | 'callbacksSeen'
  | 'fanouts',
  number
>;

/** One slice of every table's expired rows, in one D1 batch; how many rows each lost. */
export async function pruneExpired(env: Pick<Env, 'DB'> & RetentionSettings, now: number): Promise<Pruned> {
  const db = env.DB;
  const history = now - retentionDays(env) * DAY;
  // `DELETE ... WHERE key IN (SELECT key ... LIMIT n)`: D1's SQLite has no DELETE ... LIMIT.
  const slice = (table: string, key: string, where: string, ...binds: unknown[]) =>
    db.prepare(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${PRUNE_SLICE})`).bind(...binds);
  const statements: Record<keyof Pruned, D1PreparedStatement> = {
    // Oldest first by snapshots_by_time; kept when nothing newer exists for its marketplace.
    snapshots: db
      .prepare(
        `DELETE FROM snapshots WHERE id IN (
           SELECT s.id FROM snapshots s WHERE s.taken_at < ?1
             AND EXISTS (SELECT 1 FROM snapshots n WHERE n.store_id = s.store_id AND n.marketplace_id = s.marketplace_id AND n.taken_at > s.taken_at)
           ORDER BY s.taken_at LIMIT ?2)`,
      )
      .bind(history, PRUNE_SLICE),
    events: slice('events', 'id', 'created_at < ?', history),
    // An alert goes with the history it came from; its deliveries first (they name it).
    alerts: slice('alerts', 'id', 'created_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = alerts.id)', history),
    deliveries: db
      .prepare(
        `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE
           (state IN ('sent', 'dead') AND created_at < ?1) OR alert_id IN (SELECT id FROM alerts WHERE created_at < ?2) LIMIT ?3)`,
      )
      .bind(now - RETENTION.settledDeliveries, history, PRUNE_SLICE),
    jobs: slice('report_jobs', 'id', 'started_at < ? AND finished_at IS NOT NULL', now - RETENTION.finishedJobs),
    rateLimits: slice('rate_limits', 'rowid', 'window_start < ?', now - RETENTION.rateLimitWindows),
    invites: slice('invites', 'id', 'expires_at < ?', now - RETENTION.invites),
    oauthStates: slice('oauth_states', 'state_hash', 'expires_at < ?', now - RETENTION.oauthStates),
    revokedTokens: slice('api_tokens', 'id', 'revoked_at < ?', now - RETENTION.revokedTokens),
    // A member removed long ago, once no token of theirs is left (their prefs and channels went at removal).
    removedMembers: slice('members', 'id', 'revoked_at < ? AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.member_id = members.id)', now - RETENTION.removedMembers),
    callbacksSeen: slice('wechat_callbacks_seen', 'rowid', 'seen_at < ?', now - RETENTION.callbacksSeen),
    fanouts: slice('alert_fanouts', 'event_key', 'decided_at < ?', now - RETENTION.fanoutDecisions),
  };
  const names = Object.keys(statements) as Array<keyof Pruned>;
  // Deliveries run before alerts (an alert is pruned once nothing names it), the rest in any order.
  const order = [...names.filter((n) => n === 'deliveries'), ...names.filter((n) => n !== 'deliveries')];
  const results = await db.batch(order.map((n) => statements[n]));
  return Object.fromEntries(order.map((n, i) => [n, results[i]?.meta.changes ?? 0])) as Pruned;
}

/**
 * A seen feedback matters while the feedback report can still list it: the report asks for the
 * 60-day ODR window, so twice that is safe. A sent digest is kept a month (nothing reads it later).
 */
export const FEEDBACK_SEEN_DAYS = 120;
export const DIGEST_DAYS = 30;

/** A negative feedback's fold (shared/alerts/feedback-fold.ts) matters for two weeks; a month is safe. */
export const FEEDBACK_FOLD_DAYS = 30;

export async function pruneFeedbackAndDigests(env: Pick<Env, 'DB'>, now: number): Promise<{ feedbackSeen: number; digests: number; folds: number }> {
  const [seen, digests, folds] = await env.DB.batch([
    env.DB.prepare('DELETE FROM feedback_seen WHERE rowid IN (SELECT rowid FROM feedback_seen WHERE seen_at < ?1 ORDER BY seen_at LIMIT ?2)').bind(
      now - FEEDBACK_SEEN_DAYS * 86_400_000,
      PRUNE_SLICE,
    ),
    env.DB.prepare("DELETE FROM digests WHERE created_at < ? AND state IN ('sent', 'dead')").bind(now - DIGEST_DAYS * 86_400_000),
    env.DB.prepare('DELETE FROM feedback_folds WHERE event_key IN (SELECT event_key FROM feedback_folds WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)').bind(
      now - FEEDBACK_FOLD_DAYS * 86_400_000,
      PRUNE_SLICE,
    ),
  ]);
  return { feedbackSeen: seen?.meta.changes ?? 0, digests: digests?.meta.changes ?? 0, folds: folds?.meta.changes ?? 0 };
}
