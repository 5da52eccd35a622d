/**
 * Report jobs in D1. Every step is saved with a compare-and-set on `version` plus a fresh
 * `step_token`; statements that ride along with a step are guarded by that token (`STEP_GUARD`),
 * so of two consumers that took the same step only the one whose save won writes anything.
 */
import { type ReportJob, isFinished } from '../../shared/report-job.ts';

export interface StoredJob {
  job: ReportJob;
  workspaceId: string;
}

interface JobRow {
  data: string;
  workspace_id: string;
}

function fromRow(row: JobRow | null): StoredJob | null {
  return row ? { job: JSON.parse(row.data) as ReportJob, workspaceId: row.workspace_id } : null;
}

export async function loadJob(db: D1Database, jobId: string): Promise<StoredJob | null> {
  return fromRow(await db.prepare('SELECT data, workspace_id FROM report_jobs WHERE id = ?').bind(jobId).first<JobRow>());
}

/** The store's unfinished job, if any (at most one: index report_jobs_one_active). */
export async function activeJob(db: D1Database, storeId: string): Promise<StoredJob | null> {
  return fromRow(await db.prepare('SELECT data, workspace_id FROM report_jobs WHERE store_id = ? AND finished_at IS NULL').bind(storeId).first<JobRow>());
}

/** The store's newest job, finished or not. */
export async function latestJob(db: D1Database, storeId: string): Promise<StoredJob | null> {
  return fromRow(await db.prepare('SELECT data, workspace_id FROM report_jobs WHERE store_id = ? ORDER BY started_at DESC LIMIT 1').bind(storeId).first<JobRow>());
}

/**
 * Starts a job unless the store already has one running, which is returned instead: a refresh
 * or a duplicate cron message joins the running job (the partial unique index makes this race-free).
 */
export async function createJob(db: D1Database, job: ReportJob, workspaceId: string, now: number): Promise<{ stored: StoredJob; created: boolean }> {
  const inserted = await db
    .prepare(
      `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(job.id, workspaceId, job.storeId, job.trigger, job.state, job.version, JSON.stringify(job), job.notBefore, job.startedAt, now)
    .run();
  if (inserted.meta.changes === 1) return { stored: { job, workspaceId }, created: true };
  const running = await activeJob(db, job.storeId);
  // Lost the race to a job that has finished since: the caller may simply try again.
  if (!running) throw new Error(`Could not start a report job for store ${job.storeId}`);
  return { stored: running, created: false };
}

/** The compare-and-set save of one step: applies only if the job is still at `fromVersion`, and then returns the id. */
export function saveStep(db: D1Database, fromVersion: number, job: ReportJob, stepToken: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE report_jobs SET data = ?, state = ?, version = ?, step_token = ?, error = ?, not_before = ?, finished_at = ?, updated_at = ?
        WHERE id = ? AND version = ? RETURNING id`,
    )
    .bind(JSON.stringify(job), job.state, job.version, stepToken, job.error, job.notBefore, isFinished(job) ? job.finishedAt : null, now, job.id, fromVersion);
}

/** SQL condition true only in the batch of the consumer whose `saveStep` won; bind (jobId, stepToken). */
export const STEP_GUARD = 'EXISTS (SELECT 1 FROM report_jobs WHERE id = ? AND step_token = ?)';
