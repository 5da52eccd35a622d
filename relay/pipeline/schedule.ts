/**
 * The pipeline's part of the Cron Trigger (relay/scheduled.ts): it only schedules. One statement
 * picks the due stores and moves their next poll time, then one queue message per store goes out
 * in batches of up to 100. With 1,000 due stores that is 1 D1 statement and 10 sendBatch calls, well inside the
 * Workers Free limits of 10 ms CPU and 50 subrequests per invocation (measured in
 * test/relay/pipeline-scheduled-unit.test.ts).
 */
import type { Env } from '../env.ts';
import { pollBatches, stepMessage } from './messages.ts';

/** The most stores one tick schedules; the rest stay due and go in the next tick. */
export const MAX_STORES_PER_TICK = 1000;

/**
 * Picks due stores (not paused, authorization intact, next poll time passed) and advances their
 * next poll time in the same statement, so an overlapping or slow tick cannot schedule them
 * twice; then enqueues one poll message each. Index stores_due serves the inner query.
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
  // Should a send fail, those stores wait one interval: better than ever polling a store twice.
  await Promise.all(pollBatches(results).map((batch) => env.JOBS.sendBatch(batch)));
  return results.length;
}

/** A job whose step is this overdue lost its queue message (or its consumer crashed after saving). */
export const STALLED_AFTER_MS = 2 * 60 * 1000;
const RESUME_LIMIT = 100;

/**
 * Re-sends the step message of unfinished jobs whose next step is long overdue, for the version
 * they are at: if the original message was only late, one of the two finds the job moved on and
 * does nothing. A job past its deadline is ended by that step.
 */
export async function resumeStalledJobs(env: Pick<Env, 'DB' | 'JOBS'>, now: number): Promise<number> {
  const { results } = await env.DB.prepare('SELECT id, version FROM report_jobs WHERE finished_at IS NULL AND not_before < ? ORDER BY not_before LIMIT ?')
    .bind(now - STALLED_AFTER_MS, RESUME_LIMIT)
    .all<{ id: string; version: number }>();
  if (results.length > 0) await env.JOBS.sendBatch(results.map((r) => ({ body: stepMessage(r.id, r.version) })));
  return results.length;
}
