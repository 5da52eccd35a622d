import { createMessageBatch, createExecutionContext, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../relay/env.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { addStore, call, setupWorkspace } from './helpers/relay-client.ts';
import { pipelineWorld } from './helpers/pipeline-world.ts';

interface Job {
  id: string;
  storeId: string;
  state: string;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

describe('refresh on demand', () => {
  it('starts a job for a store and reports its progress', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-1');
    const started = await call<{ jobId: string }>('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    expect(started.status).toBe(202);
    const job = await call<Job>('GET', `/v1/jobs/${started.body.jobId}`, { token: owner.token });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id: started.body.jobId, storeId: store.id, state: expect.stringMatching(/^(queued|requesting|waiting|downloading|done|failed)$/) });
  });

  it('joins the running job instead of starting another', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-2');
    const first = await call<{ jobId: string }>('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    await env.DB.prepare('UPDATE report_jobs SET finished_at = NULL WHERE id = ?').bind(first.body.jobId).run();
    const second = await call<{ jobId: string }>('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    expect(second.body.jobId).toBe(first.body.jobId);
  });

  it('refuses a new job within two minutes of the last one, saying when to retry', async () => {
    const owner = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-3');
    const first = await call<{ jobId: string }>('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    await env.DB.prepare("UPDATE report_jobs SET finished_at = started_at + 1, state = 'done' WHERE id = ?").bind(first.body.jobId).run();
    const again = await call('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('try again in') } });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("answers 404 for another workspace's store and job", async () => {
    const owner = await setupWorkspace();
    const stranger = await setupWorkspace();
    const store = await addStore(owner, 'Atzr|good-refresh-4');
    const started = await call<{ jobId: string }>('POST', `/v1/stores/${store.id}/refresh`, { token: owner.token });
    expect((await call('POST', `/v1/stores/${store.id}/refresh`, { token: stranger.token })).status).toBe(404);
    expect((await call('GET', `/v1/jobs/${started.body.jobId}`, { token: stranger.token })).status).toBe(404);
  });

  it('refreshes every store of the workspace', async () => {
    const owner = await setupWorkspace();
    await addStore(owner, 'Atzr|good-refresh-5', 'na', 'A');
    await addStore(owner, 'Atzr|good-refresh-6', 'fe', 'B');
    const res = await call<{ jobs: Array<{ jobId: string | null }> }>('POST', '/v1/refresh', { token: owner.token });
    expect(res.status).toBe(202);
    expect(res.body.jobs).toHaveLength(2);
    expect(res.body.jobs.every((j) => j.jobId)).toBe(true);
  });

  it('needs a token', async () => {
    expect((await call('POST', '/v1/refresh', {})).status).toBe(401);
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
