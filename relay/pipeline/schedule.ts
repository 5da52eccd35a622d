/**
 * The pipeline's part of the Cron Trigger (relay/scheduled.ts): it only schedules. It reads the due
 * stores in round-robin order across workspaces with their sellers' recent report requests (one D1
 * batch), decides which to poll (shared/poll-plan.ts: fair share, seller quota), moves their next
 * poll time onto their phase (one statement), then sends one queue message per store in batches of
 * up to 100. With 1,000 due stores that is 2 D1 calls and 10 sendBatch calls, inside the Workers
 * Free limits of 10 ms CPU and 50 subrequests per invocation (bench "cron tick").
 */
import { type DueStore, SELLER_WINDOW_MS, planPolls } from '../../shared/poll-plan.ts';
import type { Env } from '../env.ts';
import { pollBatches, stepMessage } from './messages.ts';

/** The most stores one tick schedules; the rest stay due and go in the next tick. */
export const MAX_STORES_PER_TICK = 1000;
/** Candidates read beyond the tick's share, so stores deferred for their seller's quota leave room for others. */
const CANDIDATE_SLACK = 2;

/**
 * SQL for shared/poll-plan.ts `nextPollAt` over the stores row (`now` names the bound parameter):
 * the first slot on the store's phase at least half an interval after now.
 */
export function nextPollSql(now: string): string {
  const interval = 'poll_interval_minutes * 60000';
  const from = `(${now} + poll_interval_minutes * 30000)`;
  return `(${from} + (((poll_phase - ${from}) % (${interval})) + ${interval}) % (${interval}))`;
}

/** Whose quota a store's calls spend: its seller in its region, or the store itself when unknown. */
const SELLER_SQL = "COALESCE(s.seller_id, s.id) || '|' || s.region";

/**
 * Picks due stores (not paused, authorization intact, next poll time passed), fairly across
 * workspaces and within each seller's report quota, and moves their next poll time; the move is
 * guarded by `next_poll_at <= now`, so an overlapping or slow tick cannot schedule a store twice.
 */
export async function scheduleDuePolls(env: Pick<Env, 'DB' | 'JOBS'>, now: number, perTick = MAX_STORES_PER_TICK): Promise<number> {
  const [candidates, recent] = await env.DB.batch([
    // Index stores_due finds the due ones; the window numbers each workspace's in overdue order.
    env.DB.prepare(
      `SELECT id, workspace_id, seller, (SELECT COUNT(*) FROM store_marketplaces m WHERE m.store_id = d.id) AS marketplaces
         FROM (SELECT s.id, s.workspace_id, ${SELLER_SQL} AS seller, s.next_poll_at,
                      ROW_NUMBER() OVER (PARTITION BY s.workspace_id ORDER BY s.next_poll_at, s.id) AS turn
                 FROM stores s WHERE s.auth_state = 'ok' AND s.paused = 0 AND s.next_poll_at <= ?1) d
        ORDER BY turn, next_poll_at, id LIMIT ?2`,
    ).bind(now, perTick * CANDIDATE_SLACK),
    // Report requests started in the quota window, per seller (index report_jobs_by_start).
    env.DB.prepare(
      `SELECT ${SELLER_SQL} AS seller, SUM((SELECT COUNT(*) FROM store_marketplaces m WHERE m.store_id = s.id)) AS requests
         FROM report_jobs j JOIN stores s ON s.id = j.store_id WHERE j.started_at > ?1 GROUP BY 1`,
    ).bind(now - SELLER_WINDOW_MS),
  ]);
  const due = (candidates?.results ?? []) as DueStore[];
  if (due.length === 0) return 0;
  const usage = new Map(((recent?.results ?? []) as Array<{ seller: string; requests: number }>).map((r) => [r.seller, r.requests]));
  const plan = planPolls(due, usage, perTick);
  if (plan.chosen.length === 0) return 0;
  const { results } = await env.DB.prepare(
    `UPDATE stores SET next_poll_at = ${nextPollSql('?1')}
      WHERE id IN (SELECT value FROM json_each(?2)) AND next_poll_at <= ?1 AND auth_state = 'ok' AND paused = 0
      RETURNING id, workspace_id`,
  )
    .bind(now, JSON.stringify(plan.chosen.map((s) => s.id)))
    .all<{ id: string; workspace_id: string }>();
  // Should a send fail, those stores wait one interval: better than ever polling a store twice.
  await Promise.all(pollBatches(results).map((batch) => env.JOBS.sendBatch(batch)));
  return results.length;
}

/**
 * How often each store's feedback report is requested. It is its own report with its own
 * createReport call per marketplace, but createReport's rate (one a minute, burst 15, per seller
 * and app: docs/feedback-and-digest.md) is shared with the account-health report, so the feedback
 * report asks rarely: new negative feedback reaches the team within four hours.
 */
export const FEEDBACK_INTERVAL_MS = 4 * 3_600_000;
/**
 * Feedback polls one tick starts at most: 200 a tick is 2,400 an hour, far more than 1,000 stores
 * every four hours need, and it spreads the first feedback reports of many new stores over ticks.
 */
export const MAX_FEEDBACK_PER_TICK = 200;

/**
 * The feedback report's own schedule, like `scheduleDuePolls`: due stores are picked and moved
 * on in one statement (index stores_feedback_due), then one `poll` message each with
 * `report: 'feedback'`.
 */
export async function scheduleDueFeedback(env: Pick<Env, 'DB' | 'JOBS'>, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE stores SET next_feedback_at = ?1 + ?3
      WHERE id IN (SELECT id FROM stores
                    WHERE auth_state = 'ok' AND paused = 0 AND next_feedback_at <= ?1
                    ORDER BY next_feedback_at LIMIT ?2)
      RETURNING id, workspace_id`,
  )
    .bind(now, MAX_FEEDBACK_PER_TICK, FEEDBACK_INTERVAL_MS)
    .all<{ id: string; workspace_id: string }>();
  await Promise.all(pollBatches(results, 'feedback').map((batch) => env.JOBS.sendBatch(batch)));
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
