/**
 * Report jobs in D1. Every step is saved with a compare-and-set on `version` plus a fresh
 * `step_token`; statements that ride along with a step are guarded by that token (`STEP_GUARD`),
 * so of two consumers that took the same step only the one whose save won writes anything.
 */
import type { JobView } from '../../shared/api/jobs.ts';
import type { ReportJob, ReportKind } from '../../shared/report-job-types.ts';
import { isFinished } from '../../shared/report-job.ts';

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

/** The store's unfinished job of a kind, if any (at most one: index report_jobs_one_active). */
export async function activeJob(db: D1Database, storeId: string, kind: ReportKind = 'performance'): Promise<StoredJob | null> {
  return fromRow(
    await db.prepare('SELECT data, workspace_id FROM report_jobs WHERE store_id = ? AND report_type = ? AND finished_at IS NULL').bind(storeId, kind).first<JobRow>(),
  );
}

/** The newest account-health job of each store, by store id, in one round trip however many stores. */
export async function newestJobIds(db: D1Database, storeIds: readonly string[]): Promise<Map<string, string>> {
  if (storeIds.length === 0) return new Map();
  const results = await db.batch(storeIds.map((id) => db.prepare("SELECT store_id, id FROM report_jobs WHERE store_id = ? AND report_type = 'performance' ORDER BY started_at DESC LIMIT 1").bind(id)));
  const rows = results.flatMap((r) => r.results as Array<{ store_id: string; id: string }>);
  return new Map(rows.map((r) => [r.store_id, r.id]));
}

/** The insert of a new job; it does nothing when the store already has one running (index report_jobs_one_active). */
export function insertJobStatement(db: D1Database, job: ReportJob, workspaceId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO report_jobs (id, workspace_id, store_id, report_type, trigger, state, version, data, not_before, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(job.id, workspaceId, job.storeId, job.kind ?? 'performance', job.trigger, job.state, job.version, JSON.stringify(job), job.notBefore, job.startedAt, now);
}

/** A job as the progress display shows it, if it belongs to the workspace. */
export async function jobView(db: D1Database, workspaceId: string, jobId: string): Promise<JobView | null> {
  return db
    .prepare('SELECT id, store_id AS storeId, state, error, started_at AS startedAt, finished_at AS finishedAt FROM report_jobs WHERE id = ? AND workspace_id = ?')
    .bind(jobId, workspaceId)
    .first<JobView>();
}

/** A store that a refresh may start a job for, with what the cooldown needs to know of its jobs. */
export interface RefreshCandidate {
  id: string;
  poll_failures: number;
  active_id: string | null;
  last_id: string | null;
  last_started: number | null;
  last_state: string | null;
  previous_started: number | null;
  marketplaceIds: string[];
}

/**
 * The authorized stores of the workspace (unpaused ones, or the one store named whatever its
 * pause), each with its running job, its last two jobs and its marketplaces: one batch of two reads.
 */
export async function refreshCandidates(db: D1Database, workspaceId: string, storeId: string | null): Promise<RefreshCandidate[]> {
  const filter = storeId ? 'AND s.id = ?2' : '';
  const binds = storeId ? [workspaceId, storeId] : [workspaceId];
  const [stores, marketplaces] = await db.batch([
    db
      .prepare(
        `SELECT s.id, s.poll_failures,
           (SELECT j.id FROM report_jobs j WHERE j.store_id = s.id AND j.report_type = 'performance' AND j.finished_at IS NULL) AS active_id,
           (SELECT j.id FROM report_jobs j WHERE j.store_id = s.id AND j.report_type = 'performance' ORDER BY j.started_at DESC LIMIT 1) AS last_id,
           (SELECT j.started_at FROM report_jobs j WHERE j.store_id = s.id AND j.report_type = 'performance' ORDER BY j.started_at DESC LIMIT 1) AS last_started,
           (SELECT j.state FROM report_jobs j WHERE j.store_id = s.id AND j.report_type = 'performance' ORDER BY j.started_at DESC LIMIT 1) AS last_state,
           (SELECT j.started_at FROM report_jobs j WHERE j.store_id = s.id AND j.report_type = 'performance' ORDER BY j.started_at DESC LIMIT 1 OFFSET 1) AS previous_started
         FROM stores s WHERE s.workspace_id = ?1 AND s.auth_state = 'ok' ${storeId ? '' : 'AND s.paused = 0'} ${filter} ORDER BY s.created_at, s.id`,
      )
      .bind(...binds),
    db.prepare(`SELECT store_id, marketplace_id FROM store_marketplaces WHERE workspace_id = ?1 ${storeId ? 'AND store_id = ?2' : ''} ORDER BY marketplace_id`).bind(...binds),
  ]);
  const markets = new Map<string, string[]>();
  for (const row of (marketplaces?.results ?? []) as Array<{ store_id: string; marketplace_id: string }>) {
    markets.set(row.store_id, [...(markets.get(row.store_id) ?? []), row.marketplace_id]);
  }
  return ((stores?.results ?? []) as unknown as Array<Omit<RefreshCandidate, 'marketplaceIds'>>).map((row) => ({ ...row, marketplaceIds: markets.get(row.id) ?? [] }));
}

/**
 * Starts a job unless the store already has one running, which is returned instead: a refresh
 * or a duplicate cron message joins the running job (the partial unique index makes this race-free).
 */
export async function createJob(db: D1Database, job: ReportJob, workspaceId: string, now: number): Promise<{ stored: StoredJob; created: boolean }> {
  const inserted = await insertJobStatement(db, job, workspaceId, now).run();
  if (inserted.meta.changes === 1) return { stored: { job, workspaceId }, created: true };
  const running = await activeJob(db, job.storeId, job.kind ?? 'performance');
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
