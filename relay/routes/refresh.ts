/**
 * Refresh on demand (issue 4): `POST /v1/stores/:id/refresh`, `POST /v1/refresh` (every store of
 * the workspace) and `GET /v1/jobs/:id` for live progress. A refresh joins the store's running
 * job; within REFRESH_COOLDOWN_MS of the last one it answers with that job instead of starting
 * another, so a button pressed over and over cannot burn the seller's createReport burst
 * (15, refilled one a minute). After a failure one retry goes at once. Any number of stores costs the same handful
 * of D1 statements and queue sends, well inside a request's 50 subrequests.
 */
import { Hono } from 'hono';
import type { JobView, RefreshAllResponse, RefreshStoreResponse } from '../../shared/api/jobs.ts';
import type { ReportJob } from '../../shared/report-job-types.ts';
import { startJob } from '../../shared/report-job.ts';
import { getStore } from '../db/stores.ts';
import type { Env } from '../env.ts';
import { insertJobStatement, jobView, newestJobIds, refreshCandidates } from '../pipeline/jobs-db.ts';
import { QUEUE_BATCH, stepMessage } from '../pipeline/messages.ts';
import type { PlatformDeps } from '../platform-deps.ts';
import { requireMember } from './guards.ts';
import { type RelayEnv, apiError } from './kit.ts';
import { STORE_ID } from './stores.ts';

/** One new job per store this often at most. */
export const REFRESH_COOLDOWN_MS = 2 * 60 * 1000;

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
  const out: Array<{ storeId: string; jobId: string; started: boolean }> = [];
  const fresh: ReportJob[] = [];
  for (const row of await refreshCandidates(env.DB, workspaceId, storeId)) {
    if (row.active_id) out.push({ storeId: row.id, jobId: row.active_id, started: false });
    else if (row.last_id && row.last_started !== null && withinCooldown({ startedAt: row.last_started, state: row.last_state ?? '' }, row.previous_started, now)) {
      out.push({ storeId: row.id, jobId: row.last_id, started: false });
    }
    else fresh.push(startJob(newId(), row.id, row.marketplaceIds, now, { trigger: 'refresh', priorFailures: row.poll_failures }));
  }
  if (fresh.length === 0) return out;
  const inserted = await env.DB.batch(fresh.map((job) => insertJobStatement(env.DB, job, workspaceId, now)));
  const created = fresh.filter((_, i) => inserted[i]?.meta.changes === 1);
  for (let i = 0; i < created.length; i += QUEUE_BATCH) {
    await env.JOBS.sendBatch(created.slice(i, i + QUEUE_BATCH).map((job) => ({ body: stepMessage(job.id, job.version) })));
  }
  for (const job of created) out.push({ storeId: job.storeId, jobId: job.id, started: true });
  // Lost a race with the cron or another refresh: join the job that won (one read for them all).
  const lost = fresh.filter((_, i) => inserted[i]?.meta.changes !== 1);
  const winners = await newestJobIds(env.DB, lost.map((job) => job.storeId));
  for (const job of lost) {
    const running = winners.get(job.storeId);
    if (running) out.push({ storeId: job.storeId, jobId: running, started: false });
  }
  return out;
}

export function refreshRoutes() {
  const app = new Hono<RelayEnv>();
  const newJobId = (deps: PlatformDeps) => `job_${deps.newId()}`;

  app.post(`/stores/:id${STORE_ID}/refresh`, requireMember, async (c) => {
    const workspaceId = c.var.caller.workspaceId;
    const store = await getStore(c.env.DB, workspaceId, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    if (store.auth_state !== 'ok') return apiError(c, 409, 'authorization_lost', 'Amazon authorization of this store was lost: connect it again');
    const [result] = await startRefreshes(c.env, workspaceId, c.req.param('id'), c.var.deps.now(), () => newJobId(c.var.deps));
    if (!result) return apiError(c, 404, 'not_found', 'no such store'); // removed a moment ago
    if (!result.started) c.header('retry-after', String(Math.ceil(REFRESH_COOLDOWN_MS / 1000)));
    return c.json({ jobId: result.jobId } satisfies RefreshStoreResponse, 202);
  });

  app.post('/refresh', requireMember, async (c) => {
    const results = await startRefreshes(c.env, c.var.caller.workspaceId, null, c.var.deps.now(), () => newJobId(c.var.deps));
    return c.json({ jobs: results.map(({ storeId, jobId }) => ({ storeId, jobId })) } satisfies RefreshAllResponse, 202);
  });

  app.get('/jobs/:id', requireMember, async (c) => {
    const job = await jobView(c.env.DB, c.var.caller.workspaceId, c.req.param('id'));
    if (!job) return apiError(c, 404, 'not_found', 'no such job');
    return c.json(job satisfies JobView);
  });

  return app;
}
