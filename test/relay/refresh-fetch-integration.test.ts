import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { JobView, RefreshAllResponse, RefreshStoreResponse } from '../../shared/api/jobs.ts';
import type { Env } from '../../relay/env.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { REFRESH_COOLDOWN_MS, withinCooldown } from '../../relay/routes/refresh.ts';
import { addStore, call, setupWorkspace } from './helpers/relay-client.ts';
import { pipelineWorld } from './helpers/pipeline-world.ts';

const refresh = (storeId: string, token: string) => call<{ jobId: string }>('POST', `/v1/stores/${storeId}/refresh`, { token });
/** Pretends the store's jobs started `ms` ago and have finished (the background consumer may be at them). */
const ageJobs = (storeId: string, ms: number) =>
  env.DB.prepare("UPDATE report_jobs SET started_at = started_at - ?, finished_at = COALESCE(finished_at, started_at), state = 'done' WHERE store_id = ?").bind(ms, storeId).run();

describe('refresh on demand', () => {
  it('starts a job for a store and reports its progress in the shared contract', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-1');
    const started = await refresh(store.id, owner.token);
    expect(started.status).toBe(202);
    expect(v.safeParse(RefreshStoreResponse, started.body).success).toBe(true);
    const job = await call('GET', `/v1/jobs/${started.body.jobId}`, { token: owner.token });
    expect(job.status).toBe(200);
    expect(v.parse(JobView, job.body)).toMatchObject({ id: started.body.jobId, storeId: store.id });
  });

  it('joins the running job instead of starting another', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-2');
    const first = await refresh(store.id, owner.token);
    await env.DB.prepare('UPDATE report_jobs SET finished_at = NULL WHERE id = ?').bind(first.body.jobId).run();
    const second = await refresh(store.id, owner.token);
    expect(second.status).toBe(202);
    expect(second.body.jobId).toBe(first.body.jobId);
  });

  it('answers with the last job, not a new one, within two minutes of it, and starts a new one after', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-3');
    const first = await refresh(store.id, owner.token);
    await ageJobs(store.id, 1000);
    const again = await refresh(store.id, owner.token);
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    await ageJobs(store.id, REFRESH_COOLDOWN_MS);
    const later = await refresh(store.id, owner.token);
    expect(later.body.jobId).not.toBe(first.body.jobId);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM report_jobs WHERE store_id = ?').bind(store.id).first('n')).toBe(2);
  });

  it('lets a person retry at once after a failed refresh, but only once within the two minutes', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-10');
    const fail = (id: string) => env.DB.prepare("UPDATE report_jobs SET state = 'failed', finished_at = started_at, started_at = started_at - ? WHERE id = ?").bind(1000, id).run();
    const first = await refresh(store.id, owner.token);
    await fail(first.body.jobId);
    const retry = await refresh(store.id, owner.token);
    expect(retry.body.jobId).not.toBe(first.body.jobId);
    expect(retry.headers.get('retry-after')).toBeNull();
    await fail(retry.body.jobId);
    const third = await refresh(store.id, owner.token);
    expect(third.body.jobId).toBe(retry.body.jobId);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(withinCooldown({ startedAt: 0, state: 'failed' }, null, 1)).toBe(false);
    expect(withinCooldown({ startedAt: 0, state: 'done' }, null, 1)).toBe(true);
    expect(withinCooldown({ startedAt: 0, state: 'failed' }, 0, REFRESH_COOLDOWN_MS)).toBe(false);
  });

  it("answers 404 for another workspace's store and job, and for a job that does not exist", async () => {
    const owner = await setupWorkspace();
    const stranger = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-4');
    const started = await refresh(store.id, owner.token);
    expect((await refresh(store.id, stranger.token)).status).toBe(404);
    expect((await call('GET', `/v1/jobs/${started.body.jobId}`, { token: stranger.token })).status).toBe(404);
    expect((await call('GET', '/v1/jobs/job_nope', { token: owner.token })).status).toBe(404);
  });

  it('refuses to refresh a store whose Amazon authorization was lost, saying what to do', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-7');
    await env.DB.prepare("UPDATE stores SET auth_state = 'lost' WHERE id = ?").bind(store.id).run();
    const res = await refresh(store.id, owner.token);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'authorization_lost', message: expect.stringContaining('connect it again') } });
  });

  it('refreshes every authorized, unpaused store of the workspace, each with a job id', async () => {
    const owner = await setupWorkspace();
    const a = await addStore(owner, 'Atzr|good-refresh-5', 'na', 'A');
    const b = await addStore(owner, 'Atzr|good-refresh-6', 'fe', 'B');
    const paused = await addStore(owner, 'Atzr|good-refresh-8', 'eu', 'C');
    const lost = await addStore(owner, 'Atzr|good-refresh-9', 'na', 'D');
    await env.DB.batch([
      env.DB.prepare('UPDATE stores SET paused = 1 WHERE id = ?').bind(paused.id),
      env.DB.prepare("UPDATE stores SET auth_state = 'lost' WHERE id = ?").bind(lost.id),
    ]);
    const res = await call('POST', '/v1/refresh', { token: owner.token });
    expect(res.status).toBe(202);
    const body = v.parse(RefreshAllResponse, res.body);
    expect(body.jobs.map((j) => j.storeId).sort()).toEqual([a.id, b.id].sort());
    expect(body.jobs.every((j) => typeof j.jobId === 'string')).toBe(true);
    // Pressed again at once: the same jobs, none new.
    const again = v.parse(RefreshAllResponse, (await call('POST', '/v1/refresh', { token: owner.token })).body);
    expect(again.jobs.map((j) => j.jobId).sort()).toEqual(body.jobs.map((j) => j.jobId).sort());
  });

  it('needs a token', async () => {
    expect((await call('POST', '/v1/refresh', {})).status).toBe(401);
    expect((await call('GET', '/v1/jobs/x', {})).status).toBe(401);
  });
});

describe('the JOBS queue handler', () => {
  it('acks a malformed message and retries one whose step threw', async () => {
    const world = await pipelineWorld('store-q', 'ws-q');
    const broken = { ...world.deps, accessToken: async () => Promise.reject(new Error('D1 went away')) };
    const batch = createMessageBatch('storewatch-jobs', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { nonsense: true } },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { kind: 'poll', storeId: 'store-q', workspaceId: 'ws-q' } },
    ]);
    const ctx = createExecutionContext();
    await handleJobQueue(batch, world.env as Env, ctx, broken);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m1']);
    expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: 'm2' })]);
  });
});
