import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { advanceJob, pollStore } from '../../relay/pipeline/consumer.ts';
import { loadJob } from '../../relay/pipeline/jobs-db.ts';
import { type PipelineWorld, CA, US, count, pipelineWorld } from './helpers/pipeline-world.ts';

/** Runs the job's queued steps in order, moving the clock to each step's time (bounded). */
async function drain(world: PipelineWorld, options: { replayEachStep?: boolean } = {}): Promise<void> {
  for (let i = 0; i < 60 && world.sent.length > 0; i++) {
    const message = world.sent.shift()!;
    world.clock.now += message.delaySeconds * 1000;
    if (message.body.kind !== 'step') continue;
    await advanceJob(world.env, world.deps, world.ctx, message.body.jobId, message.body.version);
    // A redelivered message or a second consumer: the same step again must change nothing.
    if (options.replayEachStep) await advanceJob(world.env, world.deps, world.ctx, message.body.jobId, message.body.version);
  }
  expect(world.sent, 'every queued step ran').toEqual([]);
}

async function pollAndDrain(world: PipelineWorld, options?: { replayEachStep?: boolean }): Promise<string> {
  const jobId = await pollStore(world.env, world.deps, world.ctx, 'store-1');
  expect(jobId).not.toBeNull();
  await drain(world, options);
  return jobId!;
}

const snapshots = () => count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ?', 'store-1');
const events = () => count('SELECT COUNT(*) AS n FROM events WHERE store_id = ?', 'store-1');

describe('report job shell with real D1', () => {
  let world: PipelineWorld;
  beforeEach(async () => {
    await env.DB.batch(['report_jobs', 'access_tokens', 'events', 'snapshots', 'store_marketplaces', 'stores', 'workspaces'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
    world = await pipelineWorld();
  });

  it('polls a store to done: one report per marketplace, one snapshot each, evaluated', async () => {
    world.figures[US] = { odrMfn: { defects: 2, orders: 250 } };
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job).toMatchObject({ state: 'done', error: null });
    expect(world.amazon.count('createReport')).toBe(2);
    expect(world.amazon.count('lwa')).toBe(1);
    const row = await env.DB.prepare('SELECT evaluation FROM snapshots WHERE store_id = ? AND marketplace_id = ?').bind('store-1', US).first<{ evaluation: string }>();
    expect(JSON.parse(row!.evaluation).metrics.odrMfn).toMatchObject({ value: 0.008, level: 'warn', headroom: 0 });
    expect(await snapshots()).toBe(2);
    expect(world.fannedOut.map((e) => [e.kind, e.metric, e.to])).toEqual([['level_changed', 'odrMfn', 'warn']]);
  });

  it('writes no snapshot and no event when a second poll finds nothing changed', async () => {
    await pollAndDrain(world);
    const before = { snapshots: await snapshots(), events: await events() };
    world.clock.now += 3_600_000;
    await pollAndDrain(world);
    expect({ snapshots: await snapshots(), events: await events() }).toEqual(before);
    expect(await count('SELECT COUNT(*) AS n FROM stores WHERE last_checked_at = ?', world.clock.now)).toBe(1);
  });

  it('produces exactly one snapshot and one set of events when every step is replayed', async () => {
    world.figures[US] = { odrMfn: { defects: 3, orders: 252 } };
    await pollAndDrain(world, { replayEachStep: true });
    expect(await snapshots()).toBe(2);
    expect(await events()).toBe(1);
    expect(world.fannedOut).toHaveLength(1);
  });

  it('backs off on a 429 from createReport and still finishes', async () => {
    world.amazon.fail('createReport', 429);
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job.state).toBe('done');
    expect(world.amazon.count('createReport')).toBe(3);
  });

  it('keeps the previous snapshot of a marketplace whose document is malformed, and fails the job with the reason', async () => {
    await pollAndDrain(world);
    world.clock.now += 3_600_000;
    world.figures[CA] = { odrMfn: { defects: 5, orders: 1000 } };
    world.amazon.fail('getReportDocument', 'malformed'); // the first document: CA's
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job).toMatchObject({ state: 'failed', error: expect.stringMatching(/could not be read.*not valid JSON/) });
    expect(await count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ? AND marketplace_id = ?', 'store-1', CA)).toBe(1);
    expect(await count('SELECT poll_failures AS n FROM stores WHERE id = ?', 'store-1')).toBe(1);
  });

  it('marks the store authorization lost on invalid_grant, tells alerting, and stops scheduling it', async () => {
    world.amazon.fail('lwa', 'invalid_grant');
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job.state).toBe('failed');
    const store = await env.DB.prepare('SELECT auth_state, auth_error FROM stores WHERE id = ?').bind('store-1').first<{ auth_state: string; auth_error: string }>();
    expect(store).toMatchObject({ auth_state: 'lost', auth_error: expect.stringContaining('invalid_grant') });
    expect(world.fannedOut).toMatchObject([{ kind: 'auth_lost', severity: 'critical' }]);
    expect(await pollStore(world.env, world.deps, world.ctx, 'store-1', 'schedule')).toBeNull();
  });

  it('asks Login with Amazon again when SP-API refuses a cached access token, so a revocation is found at the next poll', async () => {
    await pollAndDrain(world);
    world.amazon.revoke(world.refreshToken);
    world.clock.now += 10 * 60_000; // the cached access token has 50 minutes left
    const refusedJob = await pollAndDrain(world);
    expect((await loadJob(env.DB, refusedJob))?.job).toMatchObject({ state: 'failed', error: expect.stringContaining('403') });
    expect(await count('SELECT COUNT(*) AS n FROM access_tokens WHERE store_id = ?', 'store-1')).toBe(0);
    world.clock.now += 60_000;
    await pollAndDrain(world);
    const store = await env.DB.prepare('SELECT auth_state FROM stores WHERE id = ?').bind('store-1').first<{ auth_state: string }>();
    expect(store?.auth_state).toBe('lost');
    expect(world.fannedOut.filter((e) => e.kind === 'auth_lost')).toMatchObject([{ severity: 'critical' }]);
  });

  it('retries 5xx and timeouts, then finishes', async () => {
    world.amazon.fail('getReport', 500, 'timeout');
    world.amazon.fail('download', 500);
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job.state).toBe('done');
  });

  it('fails with the reason when Amazon ends the reports FATAL, to try again at the next poll', async () => {
    world.amazon.fail('getReport', 'FATAL', 'FATAL');
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job).toMatchObject({ state: 'failed', error: expect.stringContaining('FATAL') });
  });

  it('fetches a fresh document URL when the pre-signed one has expired', async () => {
    world.amazon.fail('getReportDocument', 'expired');
    const jobId = await pollAndDrain(world);
    expect((await loadJob(env.DB, jobId))?.job.state).toBe('done');
    expect(world.amazon.count('getReportDocument')).toBe(3);
  });

  it('reuses the access token across steps and polls until it is about to expire', async () => {
    await pollAndDrain(world);
    world.clock.now += 30 * 60_000;
    world.figures[CA] = { odrMfn: { defects: 1, orders: 1000 } };
    await pollAndDrain(world);
    expect(world.amazon.count('lwa')).toBe(1);
    world.clock.now += 60 * 60_000;
    await pollAndDrain(world);
    expect(world.amazon.count('lwa')).toBe(2);
  });
});
