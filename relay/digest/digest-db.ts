/**
 * The digest in D1: channels whose digest may be due, the one row per channel and local day that
 * guarantees a single send (table `digests`, migration 0008) with its claim, and the alerts of the
 * last day.
 */
import type { AlertCategory } from '../../shared/alerts/rules.ts';
import type { DigestSettings } from '../../shared/digest/digest-due.ts';
import type { HealthEvent } from '../../shared/types.ts';
import type { ChannelWithDigest } from './digest-settings.ts';

/**
 * The cron's pick (migration 0012's index `channels_digest_look`): channels that want a digest
 * (working, and on - or on by default: WeCom) whose next look has come or was never worked out,
 * oldest first, at most `limit`. Each picked channel's next look moves to `now + leaseMs` in the
 * same statement, so the next ticks do not pick it again while its queue message waits; if the
 * message is lost or its consumer dies, the channel is picked again once that time passes.
 */
export async function takeDueChannels(db: D1Database, now: number, leaseMs: number, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE channels SET digest_next_at = ?1 + ?2
        WHERE rowid IN (
          SELECT rowid FROM channels
           WHERE state = 'ok' AND (digest_enabled = 1 OR (digest_enabled IS NULL AND type = 'wecom'))
             AND coalesce(digest_next_at, 0) <= ?1
           ORDER BY coalesce(digest_next_at, 0) LIMIT ?3)
        RETURNING id`,
    )
    .bind(now, leaseMs, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** A digest of a channel not yet sent or given up: waiting to be sent, or claimed by a sender. */
export interface OpenDigest {
  day: string;
  state: 'pending' | 'sending';
  next_attempt_at: number;
}

/** One channel as the consumer first reads it: its row and its open digests, in one round trip. */
export async function readChannelDigests(db: D1Database, channelId: string): Promise<{ channel: ChannelWithDigest | null; open: OpenDigest[] }> {
  const [channel, open] = await db.batch([
    db.prepare('SELECT * FROM channels WHERE id = ?').bind(channelId),
    db.prepare("SELECT day, state, next_attempt_at FROM digests WHERE channel_id = ? AND state IN ('pending', 'sending') ORDER BY day").bind(channelId),
  ]);
  return { channel: (channel?.results[0] as ChannelWithDigest | undefined) ?? null, open: (open?.results ?? []) as OpenDigest[] };
}

/**
 * A channel that no longer wants its digest (broken, or switched off): its open digests are given
 * up, and it leaves the cron's pick until a change works its next look out again.
 */
export async function retireChannelDigests(db: D1Database, channelId: string, reason: string): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE digests SET state = 'dead', last_error = ?, claim_token = NULL, next_attempt_at = 0 WHERE channel_id = ? AND state IN ('pending', 'sending')")
      .bind(reason, channelId),
    db.prepare('UPDATE channels SET digest_next_at = NULL WHERE id = ?').bind(channelId),
  ]);
}

/** When the cron should pick a channel again. */
export async function setNextLook(db: D1Database, channelId: string, at: number | null): Promise<void> {
  await db.prepare('UPDATE channels SET digest_next_at = ? WHERE id = ?').bind(at, channelId).run();
}

/** A channel's first look: the day counted as served, unless a racing consumer set one already. */
export async function setBaseline(db: D1Database, channelId: string, day: string, nextLook: number | null): Promise<void> {
  await db.prepare('UPDATE channels SET digest_last_day = ?, digest_next_at = ? WHERE id = ? AND digest_last_day IS NULL').bind(day, nextLook, channelId).run();
}

/**
 * Saves a person's digest settings; the next look is worked out afresh: the next tick picks the channel. A digest
 * switched back on starts over like a new channel's (no catching up on the days it was off).
 */
export async function saveDigestSettings(db: D1Database, channelId: string, settings: DigestSettings, restart: boolean, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE channels SET digest_enabled = ?, digest_hour = ?, digest_time_zone = ?, digest_next_at = NULL,
         digest_last_day = CASE WHEN ? THEN NULL ELSE digest_last_day END, updated_at = ? WHERE id = ?`,
    )
    .bind(settings.enabled ? 1 : 0, settings.hour, settings.timeZone, restart ? 1 : 0, now, channelId)
    .run();
}

/** The zone changed under a digest that follows the channel's zone: work the next look out again. */
export async function forgetNextLook(db: D1Database, channelId: string): Promise<void> {
  await setNextLook(db, channelId, null);
}

/**
 * Queues the digest of `day` for a channel, once: the row's key is (channel, day), and a day at or
 * before the channel's last is never queued. True when this call queued it.
 */
export async function queueDigest(db: D1Database, channel: ChannelWithDigest, day: string, message: string, nextLook: number | null, now: number): Promise<boolean> {
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO digests (channel_id, day, workspace_id, state, message, attempts, next_attempt_at, created_at)
         SELECT ?1, ?2, ?3, 'pending', ?4, 0, ?5, ?5
          WHERE NOT EXISTS (SELECT 1 FROM channels WHERE id = ?1 AND digest_last_day >= ?2)
         ON CONFLICT DO NOTHING RETURNING day`,
      )
      .bind(channel.id, day, channel.workspace_id, message, now),
    db
      .prepare('UPDATE channels SET digest_last_day = ?2, digest_next_at = ?3 WHERE id = ?1 AND (digest_last_day IS NULL OR digest_last_day < ?2)')
      .bind(channel.id, day, nextLook),
  ]);
  return (inserted?.results.length ?? 0) === 1;
}

export interface DigestRow {
  channel_id: string;
  day: string;
  workspace_id: string;
  message: string;
  attempts: number;
}

/** How long a claimed send may take before another consumer may try it again. */
export const DIGEST_LEASE_MS = 5 * 60_000;

/**
 * Takes a channel's digests whose send is due (pending, or a claim that ran out), each claimed
 * under `token` until `now + DIGEST_LEASE_MS`: of two consumers holding the same channel, one
 * gets each row.
 */
export async function claimDigests(db: D1Database, channelId: string, token: string, now: number): Promise<DigestRow[]> {
  const { results } = await db
    .prepare(
      `UPDATE digests SET state = 'sending', claim_token = ?1, attempts = attempts + 1, next_attempt_at = ?2 + ?3
        WHERE channel_id = ?4 AND state IN ('pending', 'sending') AND next_attempt_at <= ?2
        RETURNING channel_id, day, workspace_id, message, attempts`,
    )
    .bind(token, now, DIGEST_LEASE_MS, channelId)
    .all<DigestRow>();
  return results;
}

export type DigestOutcome = { state: 'sent'; at: number } | { state: 'pending'; retryAt: number; error: string } | { state: 'dead'; error: string };

/** Records a claimed send's outcome, if the claim is still ours. */
export function recordDigestStatement(db: D1Database, row: Pick<DigestRow, 'channel_id' | 'day'>, token: string, outcome: DigestOutcome): D1PreparedStatement {
  const [state, sentAt, next, error] =
    outcome.state === 'sent' ? ['sent', outcome.at, 0, null] : outcome.state === 'pending' ? ['pending', null, outcome.retryAt, outcome.error] : ['dead', null, 0, outcome.error];
  return db
    .prepare('UPDATE digests SET state = ?, sent_at = ?, next_attempt_at = ?, last_error = ?, claim_token = NULL WHERE channel_id = ? AND day = ? AND claim_token = ?')
    .bind(state, sentAt, next, error, row.channel_id, row.day, token);
}

/**
 * Sets when the cron looks at a channel next: the earlier of `nextDay` (its next digest's hour)
 * and the retry or claim end of a digest still open - read from the digests as they are when the
 * statement runs, so a consumer that knew less than another (a duplicate message) cannot push an
 * open digest's retry out to tomorrow.
 */
export function settleNextLookStatement(db: D1Database, channelId: string, nextDay: number | null): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE channels SET digest_next_at = (
         SELECT CASE WHEN open_at IS NULL THEN ?2 WHEN ?2 IS NULL THEN open_at ELSE min(open_at, ?2) END
           FROM (SELECT min(next_attempt_at) AS open_at FROM digests WHERE channel_id = ?1 AND state IN ('pending', 'sending')))
        WHERE id = ?1`,
    )
    .bind(channelId, nextDay);
}

export interface RecentAlert {
  storeId: string;
  event: HealthEvent;
  category: AlertCategory;
  createdAt: number;
}

/** What changed: the workspace's newest alerts since `since` (index alerts_feed), oldest first. */
export async function recentAlerts(db: D1Database, workspaceId: string, since: number, limit: number): Promise<RecentAlert[]> {
  const { results } = await db
    .prepare(
      `SELECT store_id, payload, category, created_at FROM (
         SELECT id, store_id, payload, category, created_at FROM alerts WHERE workspace_id = ? AND created_at > ? ORDER BY id DESC LIMIT ?
       ) ORDER BY id`,
    )
    .bind(workspaceId, since, limit)
    .all<{ store_id: string; payload: string; category: AlertCategory; created_at: number }>();
  return results.flatMap((r) => {
    try {
      return [{ storeId: r.store_id, event: JSON.parse(r.payload) as HealthEvent, category: r.category, createdAt: r.created_at }];
    } catch {
      return [];
    }
  });
}
