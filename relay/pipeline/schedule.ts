/**
 * The cron only schedules (SPEC.md "How data flows"): one statement picks the due stores and moves
 * their next poll time, then one queue message per store goes out in batches of up to 100. With
 * 1,000 due stores that is 1 D1 query and 10 sendBatch calls: well inside the Workers Free limits
 * of 10 ms CPU and 50 subrequests per invocation (DOMAIN.md section 6).
 */
import { sweepOutbox } from '../alerts/sweep.ts';
import type { Env } from '../env.ts';
import type { JobMessage } from './messages.ts';

/** The most stores one tick schedules; the rest stay due and go in the next tick. */
export const MAX_STORES_PER_TICK = 1000;
const QUEUE_BATCH = 100;

/**
 * Picks due stores (not paused, authorization intact, next poll time passed), advances their next
 * poll time in the same statement so an overlapping tick cannot schedule them twice, and enqueues
 * one poll message each. Returns how many were scheduled.
 */
export async function scheduleDuePolls(env: Pick<Env, 'DB' | 'JOBS'>, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE stores SET next_poll_at = ?1 + poll_interval_minutes * 60000
      WHERE id IN (SELECT id FROM stores
                    WHERE auth_state = 'ok' AND paused = 0 AND next_poll_at <= ?1
                    ORDER BY next_poll_at LIMIT ?2)
      RETURNING id, workspace_id`,
  )
    .bind(now, MAX_STORES_PER_TICK)
    .all<{ id: string; workspace_id: string }>();
  for (let i = 0; i < results.length; i += QUEUE_BATCH) {
    const batch = results.slice(i, i + QUEUE_BATCH).map((row) => ({
      body: { kind: 'poll', storeId: row.id, workspaceId: row.workspace_id } satisfies JobMessage,
    }));
    await env.JOBS.sendBatch(batch);
  }
  return results.length;
}

/** A job whose step message went missing (a lost queue message) is picked up again after this. */
export const STALLED_AFTER_MS = 10 * 60 * 1000;

/** Re-enqueues the next step of unfinished jobs that have not moved for a while: no job stays stuck. */
export async function resumeStalledJobs(env: Pick<Env, 'DB' | 'JOBS'>, now: number): Promise<number> {
  const { results } = await env.DB.prepare('SELECT id FROM report_jobs WHERE finished_at IS NULL AND updated_at < ? LIMIT 100')
    .bind(now - STALLED_AFTER_MS)
    .all<{ id: string }>();
  if (results.length > 0) await env.JOBS.sendBatch(results.map((r) => ({ body: { kind: 'step', jobId: r.id } satisfies JobMessage })));
  return results.length;
}

/** History is ours to keep (the API has none); this many days of snapshots are kept by default. */
export const DEFAULT_RETENTION_DAYS = 400;

/** Deletes snapshots older than the retention, but never a marketplace's latest one. */
export async function pruneHistory(env: Pick<Env, 'DB'>, now: number, retentionDays = DEFAULT_RETENTION_DAYS): Promise<void> {
  await env.DB.prepare(
    `DELETE FROM snapshots WHERE taken_at < ?1 AND taken_at < (
       SELECT MAX(t.taken_at) FROM snapshots t WHERE t.store_id = snapshots.store_id AND t.marketplace_id = snapshots.marketplace_id)`,
  )
    .bind(now - retentionDays * 86_400_000)
    .run();
}

/**
 * The Cron Trigger: schedule due stores, resume stalled jobs, keep the outbox moving, prune old
 * history. Each part is independent; one failing does not stop the others.
 */
export async function handleScheduled(controller: Pick<ScheduledController, 'scheduledTime'>, env: Env, _ctx?: Pick<ExecutionContext, 'waitUntil'>): Promise<void> {
  const now = controller.scheduledTime;
  const results = await Promise.allSettled([scheduleDuePolls(env, now), resumeStalledJobs(env, now), sweepOutbox(env, now), pruneHistory(env, now)]);
  for (const result of results) {
    if (result.status === 'rejected') console.error('A scheduled task failed:', result.reason instanceof Error ? result.reason.message : String(result.reason));
  }
}
