/**
 * Refresh on demand (issue 4): `POST /v1/stores/:id/refresh`, `POST /v1/refresh` (every store of
 * the workspace) and `GET /v1/jobs/:id` for live progress. A refresh joins the store's running
 * job; within REFRESH_COOLDOWN_MS of the last one it answers with that job instead of starting
 * another, so a button pressed over and over cannot burn the seller's createReport burst
 * (15, refilled one a minute - DOMAIN.md section 2). After a failure one retry goes at once. Any number of stores costs the same handful
 * of D1 statements and queue sends, well inside a request's 50 subrequests.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { JobView, RefreshAllResponse, RefreshStoreResponse } from '../../shared/api/jobs.ts';
import { type ReportJob, startJob } from '../../shared/report-job.ts';
import type { Env } from '../env.ts';
import { QUEUE_BATCH, stepMessage } from '../pipeline/messages.ts';
import type { AlertsAppEnv } from './alert-routes-kit.ts';
import { apiError } from './kit.ts';
import { STORE_ID } from './stores.ts';

/** One new job per store this often at most. */
export const REFRESH_COOLDOWN_MS = 2 * 60 * 1000;

interface RefreshRow {
  id: string;
  poll_failures: number;
  active_id: string | null;
  last_id: string | null;
  last_started: number | null;
  last_state: string | null;
  previous_started: number | null;
}

/**
 * Whether a refresh answers with the store's last job instead of starting one. A person who just
 * saw a refresh fail may try again at once; a second failure inside the window waits it out, so a
 * button pressed over and over still starts at most two jobs per window.
 */
export function withinCooldown(last: { startedAt: number; state: string } | null, previousStartedAt: number | null, now: number): boolean {
  if (!last || now - last.startedAt >= REFRESH_COOLDOWN_MS) return false;
  if (last.state !== 'failed') return true;
  return previousStartedAt !== null && now - previousStartedAt < REFRESH_COOLDOWN_MS;
}

/**
 * Starts or joins a refresh for each authorized, unpaused store of the workspace (or the one
 * store named): one read, one batch of inserts, one queue send per hundred new jobs.
 */
async function startRefreshes(env: Env, workspaceId: string, storeId: string | null, now: number, newId: () => string): Promise<Array<{ storeId: string; jobId: string; started: boolean }>> {
  const filter = storeId ? 'AND s.id = ?2' : '';
  const binds = storeId ? [workspaceId, storeId] : [workspaceId];
  const [stores, marketplaces] = await env.DB.batch([
    env.DB.prepare(
      `SELECT s.id, s.poll_failures,
         (SELECT j.id FROM report_jobs j WHERE j.store_id = s.id AND j.finished_at IS NULL) AS active_id,
         (SELECT j.id FROM report_jobs j WHERE j.store_id = s.id ORDER BY j.started_at DESC LIMIT 1) AS last_id,
         (SELECT j.started_at FROM report_jobs j WHERE j.store_id = s.id ORDER BY j.started_at DESC LIMIT 1) AS last_started,
         (SELECT j.state FROM report_jobs j WHERE j.store_id = s.id ORDER BY j.started_at DESC LIMIT 1) AS last_state,
         (SELECT j.started_at FROM report_jobs j WHERE j.store_id = s.id ORDER BY j.started_at DESC LIMIT 1 OFFSET 1) AS previous_started
       FROM stores s WHERE s.workspace_id = ?1 AND s.auth_state = 'ok' ${storeId ? '' : 'AND s.paused = 0'} ${filter} ORDER BY s.created_at, s.id`,
    ).bind(...binds),
    env.DB.prepare(`SELECT store_id, marketplace_id FROM store_marketplaces WHERE workspace_id = ?1 ${storeId ? 'AND store_id = ?2' : ''} ORDER BY marketplace_id`).bind(...binds),
  ]);
  const markets = new Map<string, string[]>();
  for (const row of (marketplaces?.results ?? []) as Array<{ store_id: string; marketplace_id: string }>) {
    markets.set(row.store_id, [...(markets.get(row.store_id) ?? []), row.marketplace_id]);
  }
  const out: Array<{ storeId: string; jobId: string; started: boolean }> = [];
  const fresh: ReportJob[] = [];
  for (const row of (stores?.results ?? []) as unknown as RefreshRow[]) {
    if (row.active_id) out.push({ storeId: row.id, jobId: row.active_id, started: false });
    else if (row.last_id && row.last_started !== null && withinCooldown({ startedAt: row.last_started, state: row.last_state ?? '' }, row.previous_started, now)) {
      out.push({ storeId: row.id, jobId: row.last_id, started: false });
    }
    else fresh.push(startJob(newId(), row.id, markets.get(row.id) ?? [], now, { trigger: 'refresh', priorFailures: row.poll_failures }));
  }
  if (fresh.length === 0) return out;
  const inserted = await env.DB.batch(
    fresh.map((job) =>
      env.DB.prepare(
        `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).bind(job.id, workspaceId, job.storeId, job.trigger, job.state, job.version, JSON.stringify(job), job.notBefore, now, now),
    ),
  );
  const created = fresh.filter((_, i) => inserted[i]?.meta.changes === 1);
  for (let i = 0; i < created.length; i += QUEUE_BATCH) {
    await env.JOBS.sendBatch(created.slice(i, i + QUEUE_BATCH).map((job) => ({ body: stepMessage(job.id, job.version) })));
  }
  for (const job of created) out.push({ storeId: job.storeId, jobId: job.id, started: true });
  // Lost a race with the cron or another refresh: join the job that won.
  for (const job of fresh.filter((_, i) => inserted[i]?.meta.changes !== 1)) {
    const running = await env.DB.prepare('SELECT id FROM report_jobs WHERE store_id = ? ORDER BY started_at DESC LIMIT 1').bind(job.storeId).first<{ id: string }>();
    if (running) out.push({ storeId: job.storeId, jobId: running.id, started: false });
  }
  return out;
}

const JOB_COLUMNS = 'id, store_id AS storeId, state, error, started_at AS startedAt, finished_at AS finishedAt';

export function refreshRoutes(options: { auth: MiddlewareHandler<AlertsAppEnv>; now?: () => number; newId?: () => string }) {
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => `job_${crypto.randomUUID()}`);
  const app = new Hono<AlertsAppEnv>();
  app.use('*', options.auth);

  app.post(`/stores/:id${STORE_ID}/refresh`, async (c) => {
    const workspaceId = c.var.caller.workspaceId;
    const store = await c.env.DB.prepare('SELECT auth_state FROM stores WHERE id = ? AND workspace_id = ?').bind(c.req.param('id'), workspaceId).first<{ auth_state: string }>();
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    if (store.auth_state !== 'ok') return apiError(c, 409, 'authorization_lost', 'Amazon authorization of this store was lost: connect it again');
    const [result] = await startRefreshes(c.env, workspaceId, c.req.param('id'), now(), newId);
    if (!result) return apiError(c, 404, 'not_found', 'no such store'); // removed a moment ago
    if (!result.started) c.header('retry-after', String(Math.ceil(REFRESH_COOLDOWN_MS / 1000)));
    return c.json({ jobId: result.jobId } satisfies RefreshStoreResponse, 202);
  });

  app.post('/refresh', async (c) => {
    const results = await startRefreshes(c.env, c.var.caller.workspaceId, null, now(), newId);
    return c.json({ jobs: results.map(({ storeId, jobId }) => ({ storeId, jobId })) } satisfies RefreshAllResponse, 202);
  });

  app.get('/jobs/:id', async (c) => {
    const job = await c.env.DB.prepare(`SELECT ${JOB_COLUMNS} FROM report_jobs WHERE id = ? AND workspace_id = ?`).bind(c.req.param('id'), c.var.caller.workspaceId).first<JobView>();
    if (!job) return apiError(c, 404, 'not_found', 'no such job');
    return c.json(job satisfies JobView);
  });

  return app;
}
