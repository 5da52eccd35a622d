/**
 * The report pipeline in workerd against the sandbox Amazon (test/sandbox/): the consumer's steps
 * driven one queue message at a time on a moved clock, with the sandbox's own fault switches.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { handleJobQueue } from '../../relay/pipeline/consumer.ts';
import { loadJob } from '../../relay/pipeline/jobs-db.ts';
import { scheduleDuePolls } from '../../relay/pipeline/schedule.ts';
import { type SandboxWorld, count, sandboxWorld } from './helpers/sandbox-world.ts';

/** The sandbox's NA demo seller gains a US defective order every 3 minutes (test/sandbox/demo-sellers.ts). */
const US_ODR_DRIFT_MS = 3 * 60_000;
const US = 'ATVPDKIKX0DER';

const snapshots = (w: SandboxWorld) => count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ?', w.storeId);
const events = (w: SandboxWorld) => count('SELECT COUNT(*) AS n FROM events WHERE store_id = ?', w.storeId);
const jobOf = async (jobId: string) => (await loadJob(env.DB, jobId))?.job;

async function latestEvaluation(w: SandboxWorld, marketplaceId: string): Promise<MarketplaceEvaluation> {
  const row = await w.env.DB.prepare('SELECT evaluation FROM snapshots WHERE store_id = ? AND marketplace_id = ? ORDER BY taken_at DESC LIMIT 1').bind(w.storeId, marketplaceId).first<{ evaluation: string }>();
  return JSON.parse(row!.evaluation) as MarketplaceEvaluation;
}

async function fault(w: SandboxWorld, kind: string, extra: Record<string, unknown> = {}): Promise<void> {
  await w.control('POST', '/_sandbox/faults', { sellerId: w.seller.sellerId, fault: kind, ...extra });
}

async function sandboxReports(w: SandboxWorld): Promise<number> {
  return (await w.control<{ reports: number }>('GET', '/_sandbox/state')).reports;
}

describe('the report pipeline against the sandbox Amazon', () => {
  it('polls a store to done: one report per marketplace, one evaluated snapshot each, with levels and headroom', async () => {
    const w = await sandboxWorld('na');
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'done', error: null, trigger: 'schedule' });
    expect(await sandboxReports(w)).toBe(w.seller.marketplaces.length);
    expect(await snapshots(w)).toBe(w.seller.marketplaces.length);
    const us = await latestEvaluation(w, US);
    expect(us.metrics.odrMfn).toMatchObject({ value: 0.004, level: expect.stringMatching(/^(ok|warn)$/), headroom: expect.any(Number) });
    expect(await count('SELECT COUNT(*) AS n FROM stores WHERE id = ? AND last_checked_at = ? AND poll_failures = 0', w.storeId, w.clock.now)).toBe(1);
  });

  it('writes no snapshot row and no event when a second poll finds nothing changed on Amazon', async () => {
    const w = await sandboxWorld('na');
    await w.poll();
    const before = { snapshots: await snapshots(w), events: await events(w), fannedOut: w.fannedOut.length };
    await w.advance(60_000);
    await w.poll();
    expect({ snapshots: await snapshots(w), events: await events(w), fannedOut: w.fannedOut.length }).toEqual(before);
    expect(await count('SELECT COUNT(*) AS n FROM stores WHERE id = ? AND last_checked_at = ?', w.storeId, w.clock.now)).toBe(1);
  });

  it('records a change on Amazon as one new snapshot of that marketplace and its events', async () => {
    const w = await sandboxWorld('na');
    await w.poll();
    const before = await snapshots(w);
    await w.advance(US_ODR_DRIFT_MS);
    await w.poll();
    expect(await snapshots(w)).toBe(before + 1);
    expect((await latestEvaluation(w, US)).metrics.odrMfn?.value).toBe(0.008);
    expect(w.fannedOut.filter((e) => e.marketplaceId === US && e.metric === 'odrMfn').length).toBeGreaterThan(0);
  });

  it('finds exactly one snapshot and one set of events when every step runs twice and the consumer dies mid-step', async () => {
    const clean = await sandboxWorld('na');
    const messy = await sandboxWorld('na');
    for (const w of [clean, messy]) {
      await w.poll();
      await w.advance(US_ODR_DRIFT_MS);
    }
    await clean.poll();
    // Every step message delivered twice, and the consumer dying between the Amazon call and the save of every other step.
    await messy.poll({ replay: true, crashBeforeSave: (n) => n % 2 === 1 });
    expect(await snapshots(messy)).toBe(await snapshots(clean));
    expect(await events(messy)).toBe(await events(clean));
    const kinds = (w: SandboxWorld) => w.fannedOut.map((e) => `${e.marketplaceId}|${e.kind}|${e.metric}|${e.from}>${e.to}`).sort();
    expect(kinds(messy)).toEqual(kinds(clean));
    expect(new Set(messy.fannedOut.map((e) => e.key)).size, 'alerting got each event once').toBe(messy.fannedOut.length);
  });

  it('backs off on 429s from createReport and still finishes', async () => {
    const w = await sandboxWorld('na');
    await fault(w, 'throttle', { operation: 'createReport', count: 2 });
    const started = w.clock.now;
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'done' });
    expect(await snapshots(w)).toBe(w.seller.marketplaces.length);
    // Two back-offs of about a minute and two (createReport refills one token a minute).
    expect(w.clock.now - started).toBeGreaterThan(2 * 48_000);
  });

  it('records FATAL with the reason, counts the failed poll, and succeeds at the next poll', async () => {
    const w = await sandboxWorld('na');
    await fault(w, 'fatal', { count: w.seller.marketplaces.length });
    const failed = await w.poll();
    expect(await jobOf(failed)).toMatchObject({ state: 'failed', error: expect.stringContaining('FATAL') });
    expect(await count('SELECT poll_failures AS n FROM stores WHERE id = ?', w.storeId)).toBe(1);
    expect(await snapshots(w)).toBe(0);
    await w.advance(60 * 60_000);
    expect(await jobOf(await w.poll())).toMatchObject({ state: 'done' });
    expect(await count('SELECT poll_failures AS n FROM stores WHERE id = ?', w.storeId)).toBe(0);
  });

  it('keeps the previous snapshot and fails the job with the parser reason on a malformed document', async () => {
    const w = await sandboxWorld('na');
    await w.poll();
    const broken = w.seller.marketplaces.map((m) => m.id).sort()[0]!; // the first document the job downloads
    const previous = await latestEvaluation(w, broken);
    // It changed on Amazon's side, but its document arrives cut in half.
    await w.control('POST', '/_sandbox/metrics', { sellerId: w.seller.sellerId, marketplaceId: broken, metric: 'lateShipmentRate', defects: 9, total: 300 });
    await fault(w, 'malformed');
    await w.advance(60_000);
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'failed', error: expect.stringMatching(new RegExp(`could not be read \\(${broken}: .*not valid JSON.*\\); the previous data is kept`)) });
    expect(await latestEvaluation(w, broken)).toEqual(previous);
    expect(await count('SELECT COUNT(*) AS n FROM snapshots WHERE store_id = ? AND marketplace_id = ?', w.storeId, broken)).toBe(1);
  });

  it('marks the store authorization lost on invalid_grant, tells alerting once, and the cron stops scheduling it', async () => {
    const w = await sandboxWorld('na');
    await fault(w, 'revoke');
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'failed', error: expect.stringContaining('invalid_grant') });
    const store = await w.env.DB.prepare('SELECT auth_state, auth_error FROM stores WHERE id = ?').bind(w.storeId).first<{ auth_state: string; auth_error: string }>();
    expect(store).toMatchObject({ auth_state: 'lost', auth_error: expect.stringContaining('invalid_grant') });
    expect(w.fannedOut.map((e) => [e.kind, e.severity])).toEqual([['auth_lost', 'critical']]);
    await scheduleDuePolls(w.env, w.clock.now + 24 * 3_600_000);
    expect(w.sent.filter((m) => m.body.kind === 'poll' && m.body.storeId === w.storeId)).toEqual([]);
  });

  it.each([
    ['an expired document URL', 'expired-url', {}],
    ['a 500 from getReport', 'server-error', { operation: 'getReport', count: 2 }],
    ['a report that takes ten times as long', 'slow', { factor: 10 }],
  ])('rides out %s and finishes', async (_name, kind, extra) => {
    const w = await sandboxWorld('na');
    await fault(w, kind, extra);
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'done', error: null });
    expect(await snapshots(w)).toBe(w.seller.marketplaces.length);
  });

  it('polls a five-marketplace European store with every step inside half the free plan subrequest budget', async () => {
    const w = await sandboxWorld('eu');
    expect(w.seller.marketplaces.length).toBe(5);
    const jobId = await w.poll();
    expect(await jobOf(jobId)).toMatchObject({ state: 'done' });
    expect(await snapshots(w)).toBe(5);
    expect(w.lastDrain.maxSubrequestsPerStep).toBeLessThanOrEqual(25);
  });
});

describe('the JOBS queue handler', () => {
  it('acks every message it handled, drops malformed ones, and retries only the one whose step threw', async () => {
    const w = await sandboxWorld('fe');
    const batch = createMessageBatch('storewatch-jobs', [
      { id: 'poll', timestamp: new Date(w.clock.now), attempts: 1, body: { kind: 'poll', storeId: w.storeId, workspaceId: w.workspaceId } },
      { id: 'junk', timestamp: new Date(w.clock.now), attempts: 1, body: { nonsense: true } },
      { id: 'gone', timestamp: new Date(w.clock.now), attempts: 1, body: { kind: 'step', jobId: 'no-such-job', version: 0 } },
      { id: 'boom', timestamp: new Date(w.clock.now), attempts: 1, body: { kind: 'step', jobId: 'job-that-throws', version: 0 } },
    ]);
    // A damaged row: its JSON cannot be read, so that step throws.
    await env.DB.prepare(
      `INSERT INTO report_jobs (id, workspace_id, store_id, trigger, state, version, data, not_before, started_at, finished_at, updated_at)
       VALUES ('job-that-throws', ?, ?, 'schedule', 'failed', 0, '{not json', 0, 0, 0, 0)`,
    )
      .bind(w.workspaceId, w.storeId)
      .run();
    const ctx = createExecutionContext();
    await handleJobQueue(batch, w.env, ctx, w.deps);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['gone', 'junk', 'poll']);
    expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: 'boom' })]);
    // The poll started a job and took its first step: createReport for each marketplace.
    expect(w.sent).toEqual([{ body: { kind: 'step', jobId: expect.any(String), version: 1 }, delaySeconds: 5 }]);
  });
});
