/**
 * Everything the relay prunes, run by the scheduled entry (relay/scheduled.ts).
 *
 * History: the API keeps no history (the Account Health API answers only the current windows), so our snapshots and events
 * are the only record of trends - kept for `HISTORY_RETENTION_DAYS` (default 400: a year and a
 * season, enough for year-on-year), then pruned by the cron a bounded slice at a time, so one tick
 * never reads or deletes more than a few hundred rows. A marketplace's newest snapshot is never
 * pruned: it is the store's current state, however old.
 */
import { UNDECIDED_LOOKBACK_MS } from './alerts/sweep.ts';
import type { Env } from './env.ts';

export const DEFAULT_RETENTION_DAYS = 400;
/** Finished report jobs only serve the progress display and the refresh cooldown. */
export const JOB_RETENTION_DAYS = 7;
/** Rows each kind of prune deletes per tick at most. */
export const PRUNE_SLICE = 500;

/** Settings of the pipeline that live in wrangler.toml `[vars]`. */
export interface RetentionSettings {
  /** Days of snapshots and events to keep (whole days, at least 1). */
  HISTORY_RETENTION_DAYS?: string;
}

export function retentionDays(env: RetentionSettings): number {
  const days = Number(env.HISTORY_RETENTION_DAYS);
  return Number.isInteger(days) && days >= 1 ? days : DEFAULT_RETENTION_DAYS;
}

/** Deletes one slice of history older than the retention, and old finished jobs: one D1 batch. */
export async function pruneHistory(env: Pick<Env, 'DB'> & RetentionSettings, now: number): Promise<{ snapshots: number; events: number; jobs: number }> {
  const cutoff = now - retentionDays(env) * 86_400_000;
  const [snapshots, events, jobs] = await env.DB.batch([
    // Oldest first by snapshots_by_time; kept when nothing newer exists for its marketplace.
    env.DB.prepare(
      `DELETE FROM snapshots WHERE id IN (
         SELECT s.id FROM snapshots s WHERE s.taken_at < ?1
           AND EXISTS (SELECT 1 FROM snapshots n WHERE n.store_id = s.store_id AND n.marketplace_id = s.marketplace_id AND n.taken_at > s.taken_at)
         ORDER BY s.taken_at LIMIT ?2)`,
    ).bind(cutoff, PRUNE_SLICE),
    env.DB.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)').bind(cutoff, PRUNE_SLICE),
    env.DB.prepare('DELETE FROM report_jobs WHERE id IN (SELECT id FROM report_jobs WHERE started_at < ?1 AND finished_at IS NOT NULL ORDER BY started_at LIMIT ?2)').bind(
      now - JOB_RETENTION_DAYS * 86_400_000,
      PRUNE_SLICE,
    ),
  ]);
  return { snapshots: snapshots?.meta.changes ?? 0, events: events?.meta.changes ?? 0, jobs: jobs?.meta.changes ?? 0 };
}

/** WeChat repeats a callback for a few seconds at most; a day of "seen" marks covers any replay. */
export const CALLBACK_SEEN_MS = 86_400_000;

/**
 * Deletes the alerting bookkeeping nobody reads any more: replay marks of WeChat callbacks older
 * than a day, and fan-out decisions a day past the sweep's look-back (so an event the sweep may
 * still look at is never decided twice).
 */
export async function pruneAlerting(env: Pick<Env, 'DB'>, now: number): Promise<{ callbacksSeen: number; fanouts: number }> {
  const [seen, fanouts] = await env.DB.batch([
    env.DB.prepare('DELETE FROM wechat_callbacks_seen WHERE seen_at < ?').bind(now - CALLBACK_SEEN_MS),
    env.DB.prepare('DELETE FROM alert_fanouts WHERE decided_at < ?').bind(now - UNDECIDED_LOOKBACK_MS - 86_400_000),
  ]);
  return { callbacksSeen: seen?.meta.changes ?? 0, fanouts: fanouts?.meta.changes ?? 0 };
}
