/**
 * Report jobs in D1. Every step is saved with a compare-and-set on `version` plus a fresh
 * `step_token`; statements that ride along with a step are guarded by that token (`stepGuard`), so
 * of two consumers that took the same step only the one whose save won writes anything.
 */
import { type ReportJob, isFinished } from '../../shared/report-job.ts';

export interface StoredJob {
  job: ReportJob;
  workspaceId: string;
  trigger: 'schedule' | 'refresh';
}

interface JobRow {
  data: string;
  workspace_id: string;
  trigger: 'schedule' | 'refresh';
}

function fromRow(row: JobRow | null): StoredJob | null {
  return row ? { job: JSON.parse(row.data) as ReportJob, workspaceId: row.workspace_id, trigger: row.trigger } : null;
}

export async function loadJob(db: D1Database, jobId: string): Promise<StoredJob | null> {
  return fromRow(await db.prepare('SELECT data, workspace_id, trigger FROM report_jobs WHERE id = ?').bind(jobId).first<JobRow>());
}

export async function activeJob(db: D1Database, storeId: string): Promise<StoredJob | null> {
  return fromRow(
    await db.prepare('SELECT data, workspace_id, trigger FROM report_jobs WHERE store_id = ? AND finished_at IS NULL').bind(storeId).first<JobRow>(),
  );
}

/**
 * Starts a job unless the store already has one running, which is returned instead (a refresh
 * joins the running job; the partial unique index makes this race-free).
 */
export async function createJob(db: D1Database, job: ReportJob, workspaceId: string, trigger: StoredJob['trigger'], now: number): Promise<{ stored: StoredJob; created: boolean }> {
  const inserted = await db
    .prepare(
      `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(job.id, workspaceId, job.storeId, trigger, job.state, job.version, JSON.stringify(job), now, now)
    .run();
  if (inserted.meta.changes === 1) return { stored: { job, workspaceId, trigger }, created: true };
  const running = await activeJob(db, job.storeId);
  if (!running) throw new Error(`Could not start a report job for store ${job.storeId}`);
  return { stored: running, created: false };
}

/** The compare-and-set save of one step: applies only if the job is still at `fromVersion` (returns the id when it did). */
export function saveStep(db: D1Database, fromVersion: number, job: ReportJob, stepToken: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE report_jobs SET data = ?, state = ?, version = ?, step_token = ?, error = ?, finished_at = ?, updated_at = ?
        WHERE id = ? AND version = ? RETURNING id`,
    )
    .bind(JSON.stringify(job), job.state, job.version, stepToken, job.error, isFinished(job) ? job.finishedAt : null, now, job.id, fromVersion);
}

/** SQL condition true only for the consumer whose `saveStep` won; bind (jobId, stepToken). */
export const STEP_GUARD = 'EXISTS (SELECT 1 FROM report_jobs WHERE id = ? AND step_token = ?)';
