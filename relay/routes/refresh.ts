/**
 * Refresh on demand (issue 4): start or join a store's report job, and follow its progress.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { startJob } from '../../shared/report-job.ts';
import type { Env } from '../env.ts';
import { activeJob, createJob } from '../pipeline/jobs-db.ts';
import type { JobMessage } from '../pipeline/messages.ts';
import type { AlertsAppEnv } from './alert-routes-kit.ts';

/** One new job per store this often at most: a button must not burn the seller's createReport burst. */
export const REFRESH_COOLDOWN_MS = 2 * 60 * 1000;

interface JobView {
  id: string;
  storeId: string;
  state: string;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

const JOB_COLUMNS = 'id, store_id AS storeId, state, error, started_at AS startedAt, finished_at AS finishedAt';

async function startRefresh(env: Env, workspaceId: string, storeId: string, now: number, newId: () => string): Promise<{ jobId: string } | { error: string; retryAfter?: number; status: 404 | 409 | 429 }> {
  const store = await env.DB.prepare('SELECT id, auth_state FROM stores WHERE id = ? AND workspace_id = ?').bind(storeId, workspaceId).first<{ id: string; auth_state: string }>();
  if (!store) return { status: 404, error: 'no such store' };
  if (store.auth_state !== 'ok') return { status: 409, error: 'Amazon authorization of this store was lost: connect it again' };
  const running = await activeJob(env.DB, storeId);
  if (running) return { jobId: running.job.id };
  const last = await env.DB.prepare('SELECT started_at FROM report_jobs WHERE store_id = ? ORDER BY started_at DESC LIMIT 1').bind(storeId).first<{ started_at: number }>();
  if (last && now - last.started_at < REFRESH_COOLDOWN_MS) {
    const retryAfter = Math.ceil((REFRESH_COOLDOWN_MS - (now - last.started_at)) / 1000);
    return { status: 429, retryAfter, error: `This store was refreshed moments ago; try again in ${retryAfter} s` };
  }
  const { results } = await env.DB.prepare('SELECT marketplace_id FROM store_marketplaces WHERE store_id = ? ORDER BY marketplace_id').bind(storeId).all<{ marketplace_id: string }>();
  const { stored, created } = await createJob(env.DB, startJob(newId(), storeId, results.map((r) => r.marketplace_id), now), workspaceId, 'refresh', now);
  if (created) await env.JOBS.send({ kind: 'step', jobId: stored.job.id } satisfies JobMessage);
  return { jobId: stored.job.id };
}

export function refreshRoutes(options: { auth: MiddlewareHandler<AlertsAppEnv>; now?: () => number }) {
  const now = options.now ?? (() => Date.now());
  const newId = () => `job_${crypto.randomUUID()}`;
  const app = new Hono<AlertsAppEnv>();
  app.use('*', options.auth);

  app.post('/stores/:id/refresh', async (c) => {
    const result = await startRefresh(c.env, c.var.caller.workspaceId, c.req.param('id'), now(), newId);
    if ('jobId' in result) return c.json({ jobId: result.jobId }, 202);
    if (result.retryAfter) c.header('retry-after', String(result.retryAfter));
    const code = result.status === 404 ? 'not_found' : result.status === 409 ? 'authorization_lost' : 'rate_limited';
    return c.json({ error: { code, message: result.error } }, result.status);
  });

  app.post('/refresh', async (c) => {
    const { results } = await c.env.DB.prepare('SELECT id FROM stores WHERE workspace_id = ? AND auth_state = ? AND paused = 0').bind(c.var.caller.workspaceId, 'ok').all<{ id: string }>();
    const jobs: Array<{ storeId: string; jobId: string | null; error?: string }> = [];
    for (const { id } of results) {
      const result = await startRefresh(c.env, c.var.caller.workspaceId, id, now(), newId);
      jobs.push('jobId' in result ? { storeId: id, jobId: result.jobId } : { storeId: id, jobId: null, error: result.error });
    }
    return c.json({ jobs }, 202);
  });

  app.get('/jobs/:id', async (c) => {
    const job = await c.env.DB.prepare(`SELECT ${JOB_COLUMNS} FROM report_jobs WHERE id = ? AND workspace_id = ?`).bind(c.req.param('id'), c.var.caller.workspaceId).first<JobView>();
    if (!job) return c.json({ error: { code: 'not_found', message: 'no such job' } }, 404);
    return c.json(job);
  });

  return app;
}
