import { describe, expect, it } from 'vitest';
import {
  MAX_TRANSIENT_ATTEMPTS,
  MAX_WAIT_MS,
  backoffSeconds,
  nextStep,
  plannedCall,
  pollDelaySeconds,
  startJob,
  type JobState,
  type Outcome,
  type ReportJob,
} from '../../shared/report-job.ts';
import { buildReport } from './helpers/report-builder.ts';

const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const doc = (marketplaceId: string, defects = 0) => JSON.stringify(buildReport({ marketplaceId, odrMfn: { defects, orders: 250 } }));

/** Drives a job through the happy path up to `state`. */
function jobIn(state: JobState): ReportJob {
  let job = startJob('job-1', 'store-1', [US, CA], T0);
  const go = (outcome: Outcome) => (job = nextStep(job, outcome, T0).job);
  if (state === 'queued') return job;
  if (state === 'requesting') return { ...job, state: 'requesting' };
  go({ type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } });
  if (state === 'waiting') return job;
  go({ type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'DONE', documentId: 'd-ca' } } });
  if (state === 'downloading') return job;
  go({ type: 'downloaded', documents: { 'd-us': doc(US), 'd-ca': doc(CA) } });
  if (state === 'done') return job;
  return { ...job, state: 'failed' };
}

describe('report job: the happy path', () => {
  it('requests one report per marketplace, polls, downloads, parses and saves snapshots', () => {
    const job = startJob('job-1', 'store-1', [US, CA], T0);
    expect(plannedCall(job)).toEqual({ call: 'createReports', marketplaceIds: [US, CA] });
    const created = nextStep(job, { type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } }, T0);
    expect(created.job).toMatchObject({ state: 'waiting', version: 1 });
    expect(created.effects).toEqual([{ type: 'enqueue', delaySeconds: 1 }]);
    expect(plannedCall(created.job)).toEqual({ call: 'getReports', reportIds: ['r-us', 'r-ca'] });

    const done = nextStep(jobIn('downloading'), { type: 'downloaded', documents: { 'd-us': doc(US, 2), 'd-ca': doc(CA) } }, T0 + 5000);
    expect(done.job).toMatchObject({ state: 'done', error: null, finishedAt: T0 + 5000 });
    const [save] = done.effects;
    expect(save?.type).toBe('saveSnapshots');
    expect(save?.type === 'saveSnapshots' && save.snapshots.map((s) => [s.marketplaceId, s.metrics.odrMfn?.value])).toEqual([
      [US, 0.008],
      [CA, 0],
    ]);
  });

  it('keeps polling while Amazon is still generating, then moves on once every report is done', () => {
    const waiting = jobIn('waiting');
    const still = nextStep(waiting, { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'IN_PROGRESS' } } }, T0 + 1000);
    expect(still.job).toMatchObject({ state: 'waiting', polls: 1 });
    expect(plannedCall(still.job)).toEqual({ call: 'getReports', reportIds: ['r-ca'] });
    const next = nextStep(still.job, { type: 'statuses', reports: { 'r-ca': { status: 'DONE', documentId: 'd-ca' } } }, T0 + 2000);
    expect(next.job.state).toBe('downloading');
    expect(plannedCall(next.job)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us', 'd-ca'] });
  });
});

describe('report job: every state against every fault', () => {
  const active: JobState[] = ['queued', 'requesting', 'waiting', 'downloading'];

  it.each(active)('in %s, a 429 backs off by the operation rate and keeps the state', (state) => {
    const job = jobIn(state);
    const { job: next, effects } = nextStep(job, { type: 'throttled' }, T0);
    expect(next.state).toBe(job.state);
    expect(next.attempts).toBe(1);
    expect(next.version).toBe(job.version + 1);
    const delay = effects[0]?.type === 'enqueue' ? effects[0].delaySeconds : -1;
    const base = state === 'waiting' ? 1 : 60;
    expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
    expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.2));
    expect(next.notBefore).toBe(T0 + delay * 1000);
  });

  it.each(active)('in %s, 5xx and timeouts retry with back-off, then fail after the cap', (state) => {
    let job = jobIn(state);
    for (let i = 1; i < MAX_TRANSIENT_ATTEMPTS; i++) {
      const step = nextStep(job, { type: 'transient', error: 'HTTP 503' }, T0);
      expect(step.job.state).toBe(job.state);
      expect(step.effects).toEqual([{ type: 'enqueue', delaySeconds: expect.any(Number) }]);
      job = step.job;
    }
    const last = nextStep(job, { type: 'transient', error: 'HTTP 503' }, T0);
    expect(last.job).toMatchObject({ state: 'failed', error: expect.stringContaining('HTTP 503') });
    expect(last.effects).toEqual([]);
  });

  it.each(active)('in %s, invalid_grant fails the job and marks the store authorization lost', (state) => {
    const { job, effects } = nextStep(jobIn(state), { type: 'authLost', error: 'invalid_grant: revoked' }, T0);
    expect(job.state).toBe('failed');
    expect(effects).toEqual([{ type: 'markAuthLost', reason: 'invalid_grant: revoked' }]);
  });

  it.each(active)('in %s, a 4xx that is not a 429 fails the job at once with the reason', (state) => {
    const { job } = nextStep(jobIn(state), { type: 'rejected', error: 'InvalidInput: bad marketplace' }, T0);
    expect(job).toMatchObject({ state: 'failed', error: 'InvalidInput: bad marketplace' });
  });

  it.each(['done', 'failed'] as const)('in %s, nothing changes whatever arrives (a replay after the end)', (state) => {
    const job = jobIn(state);
    for (const outcome of [{ type: 'throttled' }, { type: 'authLost', error: 'x' }, { type: 'created', reportIds: {} }] as Outcome[]) {
      expect(nextStep(job, outcome, T0)).toEqual({ job, effects: [] });
    }
    expect(plannedCall(job)).toBeNull();
  });

  it.each([
    ['waiting', { type: 'created', reportIds: { [US]: 'other' } }],
    ['downloading', { type: 'statuses', reports: {} }],
    ['queued', { type: 'downloaded', documents: {} }],
  ] as Array<[JobState, Outcome]>)('in %s, an answer to a call it did not plan changes nothing', (state, outcome) => {
    const job = jobIn(state);
    expect(nextStep(job, outcome, T0)).toEqual({ job, effects: [] });
  });
});

describe('report job: what Amazon may end a report with', () => {
  it('fails with the reason when every report ends FATAL or CANCELLED, to retry at the next interval', () => {
    const { job } = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'FATAL' }, 'r-ca': { status: 'CANCELLED' } } }, T0);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(/FATAL\/CANCELLED.*next poll/) });
  });

  it('keeps the marketplaces that finished when another one ends FATAL', () => {
    const waiting = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'FATAL' } } }, T0).job;
    expect(plannedCall(waiting)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us'] });
    const { job, effects } = nextStep(waiting, { type: 'downloaded', documents: { 'd-us': doc(US) } }, T0);
    expect(job).toMatchObject({ state: 'done', error: `Amazon did not produce a report for ${CA}` });
    expect(effects[0]?.type === 'saveSnapshots' && effects[0].snapshots).toHaveLength(1);
  });

  it('fails on a document that does not parse and saves nothing, so the previous snapshot stays', () => {
    const { job, effects } = nextStep(jobIn('downloading'), { type: 'downloaded', documents: { 'd-us': doc(US).slice(0, 50), 'd-ca': doc(CA) } }, T0);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(/could not be read: .*not valid JSON/) });
    expect(effects).toEqual([]);
  });

  it('gives up waiting after 30 minutes', () => {
    const { job } = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'IN_QUEUE' }, 'r-ca': { status: 'IN_QUEUE' } } }, T0 + MAX_WAIT_MS + 1);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('30 minutes') });
  });

  it('asks again only for the marketplaces whose createReport did not go through', () => {
    const { job } = nextStep(startJob('j', 's', [US, CA], T0), { type: 'created', reportIds: { [US]: 'r-us' } }, T0);
    expect(job.state).toBe('requesting');
    expect(plannedCall(job)).toEqual({ call: 'createReports', marketplaceIds: [CA] });
  });
});

describe('report job: timing', () => {
  it('polls every second at first, then backs off to a minute', () => {
    expect(pollDelaySeconds(0)).toBe(1);
    expect(pollDelaySeconds(19)).toBe(1);
    expect(pollDelaySeconds(21)).toBe(3);
    expect(pollDelaySeconds(100)).toBe(60);
  });

  it('backs off exponentially with deterministic jitter, capped at 15 minutes', () => {
    expect(backoffSeconds(60, 1, 'a')).toBe(backoffSeconds(60, 1, 'a'));
    expect(backoffSeconds(60, 3, 'a')).toBeGreaterThan(backoffSeconds(60, 1, 'a'));
    expect(backoffSeconds(60, 30, 'a')).toBe(900);
  });

  it('bumps the version on every applied step so a stale save can be refused', () => {
    const a = jobIn('waiting');
    const b = nextStep(a, { type: 'throttled' }, T0).job;
    expect(b.version).toBe(a.version + 1);
  });
});
