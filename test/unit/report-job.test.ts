import { describe, expect, it } from 'vitest';
import { EARLY_TOLERANCE_MS, FAILURES_BEFORE_EVENT, JOB_DEADLINE_MS, MAX_CALLS_PER_STEP, nextStep, plannedCall, startJob } from '../../shared/report-job.ts';
import {
  MAX_DELAY_SECONDS,
  MAX_EXPIRED_URLS,
  MAX_TRANSIENT_ATTEMPTS,
  THROTTLE_BASE_SECONDS,
  TRANSIENT_BASE_SECONDS,
  backoffSeconds,
  jitter,
  pollDelaySeconds,
} from '../../shared/report-job-backoff.ts';
import type { AmazonCall, Effect, Input, JobState, Outcome, ProcessingStatus, ReportJob, Step } from '../../shared/report-job-types.ts';
import { buildReport } from './helpers/report-builder.ts';

const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
/** Past every back-off the fixtures below start with, well inside the job deadline. */
const LATER = T0 + 120_000;
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const doc = (marketplaceId: string, defects = 0) => JSON.stringify(buildReport({ marketplaceId, odrMfn: { defects, orders: 250 } }));
const enc = new TextEncoder();

const effectTypes = (step: Step) => step.effects.map((e) => e.type);
const enqueued = (step: Step) => step.effects.find((e): e is Extract<Effect, { type: 'enqueue' }> => e.type === 'enqueue')?.delaySeconds;

/** A two-marketplace job driven along the happy path into `state`. */
function jobIn(state: JobState): ReportJob {
  let job = startJob('job-1', 'store-1', [US, CA], T0);
  const go = (input: Input) => (job = nextStep(job, input, T0).job);
  if (state === 'queued') return job;
  if (state === 'requesting') {
    go({ type: 'created', reportIds: { [US]: 'r-us' }, failure: { type: 'throttled' } });
    return job;
  }
  go({ type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } });
  if (state === 'waiting') return job;
  go({ type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'DONE', documentId: 'd-ca' } } });
  if (state === 'downloading') return job;
  if (state === 'done') {
    go({ type: 'downloaded', documents: { 'd-us': doc(US), 'd-ca': doc(CA) } });
    return job;
  }
  go({ type: 'rejected', error: 'gone' });
  return job;
}

const statuses = (status: ProcessingStatus): Outcome => ({
  type: 'statuses',
  reports: { 'r-us': { status, documentId: status === 'DONE' ? 'd-us' : null }, 'r-ca': { status, documentId: status === 'DONE' ? 'd-ca' : null } },
});

/** Every input the machine can get, by name; `now` is when it arrives. */
const INPUTS: Record<string, (job: ReportJob) => { input: Input; now: number }> = {
  'wake (due)': (job) => ({ input: { type: 'wake', version: job.version }, now: LATER }),
  'wake (stale version)': (job) => ({ input: { type: 'wake', version: job.version - 1 }, now: LATER }),
  'wake (early)': (job) => ({ input: { type: 'wake', version: job.version }, now: job.notBefore - EARLY_TOLERANCE_MS - 5000 }),
  'wake (past the deadline)': (job) => ({ input: { type: 'wake', version: job.version }, now: T0 + JOB_DEADLINE_MS + 1 }),
  'created (all)': () => ({ input: { type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } }, now: LATER }),
  'status IN_QUEUE': () => ({ input: statuses('IN_QUEUE'), now: LATER }),
  'status IN_PROGRESS': () => ({ input: statuses('IN_PROGRESS'), now: LATER }),
  'status DONE': () => ({ input: statuses('DONE'), now: LATER }),
  'status CANCELLED': () => ({ input: statuses('CANCELLED'), now: LATER }),
  'status FATAL': () => ({ input: statuses('FATAL'), now: LATER }),
  'downloaded (parses)': () => ({ input: { type: 'downloaded', documents: { 'd-us': doc(US), 'd-ca': enc.encode(doc(CA)) } }, now: LATER }),
  'downloaded (malformed)': () => ({ input: { type: 'downloaded', documents: { 'd-us': '{"accountStatuses": [', 'd-ca': 'not json' } }, now: LATER }),
  '429 throttled': () => ({ input: { type: 'throttled' }, now: LATER }),
  '5xx or timeout': () => ({ input: { type: 'transient', error: 'HTTP 503' }, now: LATER }),
  'expired document URL': () => ({ input: { type: 'urlExpired' }, now: LATER }),
  '4xx rejected': () => ({ input: { type: 'rejected', error: 'InvalidInput: nope' }, now: LATER }),
  'LWA invalid_grant': () => ({ input: { type: 'authLost', error: 'invalid_grant: revoked' }, now: LATER }),
};

type Expect = 'unchanged' | { state: JobState; effects: readonly Effect['type'][] } | { effectsOnly: readonly Effect['type'][] };

const unchanged = 'unchanged' as const;
const stay = (state: JobState): Expect => ({ state, effects: ['enqueue'] });
const failed: Expect = { state: 'failed', effects: ['finish'] };
const authLost: Expect = { state: 'failed', effects: ['markAuthLost', 'emitEvent', 'finish'] };
const wakes: Record<string, Expect> = {
  'wake (due)': { effectsOnly: ['callAmazon'] },
  'wake (stale version)': unchanged,
  'wake (early)': { effectsOnly: ['enqueue'] },
  'wake (past the deadline)': failed,
};

/** What each state does with each input. `effectsOnly`: the job stays the same object, these effects go out. */
const TABLE: Record<JobState, Record<string, Expect>> = {
  queued: {
    ...wakes,
    'created (all)': stay('waiting'),
    'status IN_QUEUE': unchanged,
    'status IN_PROGRESS': unchanged,
    'status DONE': unchanged,
    'status CANCELLED': unchanged,
    'status FATAL': unchanged,
    'downloaded (parses)': unchanged,
    'downloaded (malformed)': unchanged,
    '429 throttled': stay('requesting'),
    '5xx or timeout': stay('requesting'),
    'expired document URL': stay('requesting'),
    '4xx rejected': failed,
    'LWA invalid_grant': authLost,
  },
  requesting: {
    ...wakes,
    'created (all)': stay('waiting'),
    'status IN_QUEUE': unchanged,
    'status IN_PROGRESS': unchanged,
    'status DONE': unchanged,
    'status CANCELLED': unchanged,
    'status FATAL': unchanged,
    'downloaded (parses)': unchanged,
    'downloaded (malformed)': unchanged,
    '429 throttled': stay('requesting'),
    '5xx or timeout': stay('requesting'),
    'expired document URL': stay('requesting'),
    '4xx rejected': failed,
    'LWA invalid_grant': authLost,
  },
  waiting: {
    ...wakes,
    'created (all)': unchanged,
    'status IN_QUEUE': stay('waiting'),
    'status IN_PROGRESS': stay('waiting'),
    'status DONE': stay('downloading'),
    'status CANCELLED': failed,
    'status FATAL': failed,
    'downloaded (parses)': unchanged,
    'downloaded (malformed)': unchanged,
    '429 throttled': stay('waiting'),
    '5xx or timeout': stay('waiting'),
    'expired document URL': stay('waiting'),
    '4xx rejected': failed,
    'LWA invalid_grant': authLost,
  },
  downloading: {
    ...wakes,
    'created (all)': unchanged,
    'status IN_QUEUE': unchanged,
    'status IN_PROGRESS': unchanged,
    'status DONE': unchanged,
    'status CANCELLED': unchanged,
    'status FATAL': unchanged,
    'downloaded (parses)': { state: 'done', effects: ['saveSnapshots', 'finish'] },
    'downloaded (malformed)': failed,
    '429 throttled': stay('downloading'),
    '5xx or timeout': stay('downloading'),
    'expired document URL': stay('downloading'),
    '4xx rejected': failed,
    'LWA invalid_grant': authLost,
  },
  done: Object.fromEntries(Object.keys(INPUTS).map((name) => [name, unchanged])),
  failed: Object.fromEntries(Object.keys(INPUTS).map((name) => [name, unchanged])),
};

const STATES: JobState[] = ['queued', 'requesting', 'waiting', 'downloading', 'done', 'failed'];
const CASES = STATES.flatMap((state) => Object.keys(INPUTS).map((input) => [state, input] as const));
/** The cases by what the table expects, so each kind gets checks of its own. */
const kindOf = (want: Expect) => (want === 'unchanged' ? 'unchanged' : 'effectsOnly' in want ? 'effectsOnly' : want.state === 'done' || want.state === 'failed' ? 'finishes' : 'continues');
const casesWhere = (kind: ReturnType<typeof kindOf>) => CASES.filter(([state, input]) => kindOf(TABLE[state][input]!) === kind);
const run = (state: JobState, name: string) => {
  const job = jobIn(state);
  const { input, now } = INPUTS[name]!(job);
  return { job, input, now, step: nextStep(job, input, now), want: TABLE[state][name]! };
};
const wantedEffects = (want: Expect) => (want as { effects: readonly Effect['type'][] }).effects;

describe('report job: every state against every input', () => {
  it('has an expectation for every state and every input', () => {
    expect(CASES.filter(([state, input]) => TABLE[state][input] === undefined)).toEqual([]);
    expect(CASES).toHaveLength(STATES.length * Object.keys(INPUTS).length);
  });

  it.each(casesWhere('unchanged'))('in %s, on %s, changes nothing and does nothing', (state, name) => {
    const { job, step } = run(state, name);
    expect(step.job).toBe(job);
    expect(step.effects).toEqual([]);
  });

  it.each(casesWhere('effectsOnly'))('in %s, on %s, keeps the job as it is and asks the shell to act', (state, name) => {
    const { job, step, want } = run(state, name);
    expect(step.job).toBe(job);
    expect(effectTypes(step)).toEqual((want as { effectsOnly: readonly Effect['type'][] }).effectsOnly);
  });

  it.each(casesWhere('finishes'))('in %s, on %s, ends the job with the time and a finish effect that says why', (state, name) => {
    const { job, step, now, want } = run(state, name);
    expect(step.job.state).toBe((want as { state: JobState }).state);
    expect(effectTypes(step)).toEqual(wantedEffects(want));
    expect(step.job.version, 'every change bumps the version once').toBe(job.version + 1);
    expect(step.job.finishedAt).toBe(now);
    expect(step.effects.at(-1)).toEqual({ type: 'finish', outcome: step.job.state, error: step.job.error });
    expect(step.job.state === 'done' || typeof step.job.error === 'string', 'a failed job says why').toBe(true);
  });

  it.each(casesWhere('continues'))('in %s, on %s, moves on and comes back exactly when the job says', (state, name) => {
    const { job, step, now, want } = run(state, name);
    expect(step.job.state).toBe((want as { state: JobState }).state);
    expect(effectTypes(step)).toEqual(wantedEffects(want));
    expect(step.job.version, 'every change bumps the version once').toBe(job.version + 1);
    expect(step.job.notBefore).toBe(now + enqueued(step)! * 1000);
    expect(step.job.finishedAt).toBeNull();
  });

  it.each(CASES)('in %s, on %s, decides the same when given the same again (a replay decides the same)', (state, name) => {
    const { job, input, now, step } = run(state, name);
    expect(nextStep(job, input, now)).toEqual(step);
  });
});

describe('report job: the happy path', () => {
  it('requests one report per marketplace, polls, downloads, parses and saves a snapshot per marketplace', () => {
    const job = startJob('job-1', 'store-1', [US, CA], T0, { trigger: 'refresh' });
    expect(nextStep(job, { type: 'wake', version: 0 }, T0).effects).toEqual([{ type: 'callAmazon', call: { call: 'createReports', marketplaceIds: [US, CA] } }]);
    const created = nextStep(job, { type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } }, T0);
    expect(created.job).toMatchObject({ state: 'waiting', version: 1, notBefore: T0 + 1000 });
    expect(created.effects).toEqual([{ type: 'enqueue', delaySeconds: 1 }]);
    expect(plannedCall(created.job)).toEqual({ call: 'getReports', reportIds: ['r-us', 'r-ca'] });

    const ready = nextStep(created.job, statuses('DONE'), T0 + 3000);
    expect(ready.effects).toEqual([{ type: 'enqueue', delaySeconds: 0 }]);
    expect(plannedCall(ready.job)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us', 'd-ca'] });

    const done = nextStep(ready.job, { type: 'downloaded', documents: { 'd-us': enc.encode(doc(US, 2)), 'd-ca': doc(CA) } }, T0 + 3500);
    expect(done.job).toMatchObject({ state: 'done', error: null, finishedAt: T0 + 3500, version: 3 });
    const save = done.effects[0];
    expect(save?.type === 'saveSnapshots' && save.snapshots.map((s) => [s.marketplaceId, s.metrics.odrMfn?.value])).toEqual([
      [US, 0.008],
      [CA, 0],
    ]);
    expect(done.effects[1]).toEqual({ type: 'finish', outcome: 'done', error: null });
  });

  it('keeps polling while Amazon is still generating, asking only about the unfinished reports', () => {
    const still = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'IN_PROGRESS', documentId: null } } }, T0);
    expect(still.job).toMatchObject({ state: 'waiting', polls: 1 });
    expect(plannedCall(still.job)).toEqual({ call: 'getReports', reportIds: ['r-ca'] });
    const next = nextStep(still.job, { type: 'statuses', reports: { 'r-ca': { status: 'DONE', documentId: 'd-ca' } } }, T0 + 2000);
    expect(next.job.state).toBe('downloading');
    expect(plannedCall(next.job)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us', 'd-ca'] });
  });

  it('wakes with the Amazon call the state needs and changes nothing until the answer', () => {
    for (const state of ['queued', 'requesting', 'waiting', 'downloading'] as const) {
      const job = jobIn(state);
      const step = nextStep(job, { type: 'wake', version: job.version }, LATER);
      expect(step.job).toBe(job);
      expect(step.effects).toEqual([{ type: 'callAmazon', call: plannedCall(job) }]);
    }
  });
});

describe('report job: duplicates and replays', () => {
  it('ignores a wake-up sent for another version: a redelivered or duplicated message', () => {
    const job = jobIn('waiting');
    expect(nextStep(job, { type: 'wake', version: job.version - 1 }, LATER)).toEqual({ job, effects: [] });
    expect(nextStep(job, { type: 'wake', version: job.version + 1 }, LATER)).toEqual({ job, effects: [] });
  });

  it('puts an early wake-up back on the queue for the time that is left, changing nothing', () => {
    const job = nextStep(jobIn('waiting'), { type: 'throttled' }, T0).job;
    const step = nextStep(job, { type: 'wake', version: job.version }, job.notBefore - 10_000);
    expect(step).toEqual({ job, effects: [{ type: 'enqueue', delaySeconds: 10 }] });
  });

  it('treats a wake-up within a second of its time as on time (clocks of two Workers differ)', () => {
    const job = nextStep(jobIn('waiting'), { type: 'throttled' }, T0).job;
    expect(effectTypes(nextStep(job, { type: 'wake', version: job.version }, job.notBefore - 500))).toEqual(['callAmazon']);
  });

  it('gives the same step, with the same event keys, when the same outcome is replayed', () => {
    const job = { ...jobIn('waiting'), priorFailures: FAILURES_BEFORE_EVENT - 1 };
    const first = nextStep(job, { type: 'authLost', error: 'invalid_grant' }, LATER);
    expect(nextStep(job, { type: 'authLost', error: 'invalid_grant' }, LATER)).toEqual(first);
    const keys = first.effects.flatMap((e) => (e.type === 'emitEvent' ? [e.event.key] : []));
    expect(keys).toEqual(['store-1|auth_lost|job-1']);
  });
});

describe('report job: throttling (429)', () => {
  it.each([
    ['queued', 'createReports'],
    ['waiting', 'getReports'],
    ['downloading', 'downloadDocuments'],
  ] as const)('in %s, backs off by the refill time of %s, with jitter', (state, call) => {
    const step = nextStep(jobIn(state), { type: 'throttled' }, LATER);
    const base = THROTTLE_BASE_SECONDS[call];
    expect(enqueued(step)).toBeGreaterThanOrEqual(Math.max(1, Math.floor(base * 0.8)));
    expect(enqueued(step)).toBeLessThanOrEqual(Math.ceil(base * 1.2));
    expect(step.job.error).toMatch(/throttling/);
  });

  it('uses the published rates: createReport and getReportDocument a minute, getReport a second', () => {
    expect(THROTTLE_BASE_SECONDS).toEqual({ createReports: 60, getReports: 1, downloadDocuments: 60 });
  });

  it('doubles the wait with each 429 in a row, up to 15 minutes, until the deadline ends the job', () => {
    let job = jobIn('queued');
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const step = nextStep(job, { type: 'throttled' }, LATER);
      delays.push(enqueued(step)!);
      job = step.job;
    }
    expect(delays.slice(0, 5).every((d, i) => i === 0 || d > delays[i - 1]!)).toBe(true);
    expect(Math.max(...delays)).toBe(MAX_DELAY_SECONDS);
    expect(nextStep(job, { type: 'wake', version: job.version }, T0 + JOB_DEADLINE_MS + 1).job.state).toBe('failed');
  });

  it('keeps the reports created before a 429 and asks only for the rest', () => {
    const step = nextStep(startJob('j', 's', [US, CA], T0), { type: 'created', reportIds: { [US]: 'r-us' }, failure: { type: 'throttled' } }, T0);
    expect(step.job).toMatchObject({ state: 'requesting', attempts: 1 });
    expect(plannedCall(step.job)).toEqual({ call: 'createReports', marketplaceIds: [CA] });
  });

  it('counts 429s in a row only while nothing gets through', () => {
    let job = nextStep(startJob('j', 's', [US, CA, 'A1AM78C64UM0Y8'], T0), { type: 'throttled' }, T0).job;
    job = nextStep(job, { type: 'throttled' }, T0).job;
    expect(job.attempts).toBe(2);
    job = nextStep(job, { type: 'created', reportIds: { [US]: 'r-us' }, failure: { type: 'throttled' } }, T0).job;
    expect(job.attempts).toBe(1);
  });

  it('keeps the statuses read before a 429 on getReport', () => {
    const step = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' } }, failure: { type: 'throttled' } }, T0);
    expect(step.job.state).toBe('waiting');
    expect(plannedCall(step.job)).toEqual({ call: 'getReports', reportIds: ['r-ca'] });
  });
});

describe('report job: 5xx, timeouts and expired URLs', () => {
  it.each(['queued', 'waiting', 'downloading'] as const)('in %s, retries 5xx and timeouts with growing back-off, then fails after the cap', (state) => {
    let job = jobIn(state);
    let last = 0;
    for (let i = 1; i < MAX_TRANSIENT_ATTEMPTS; i++) {
      const step = nextStep(job, { type: 'transient', error: 'HTTP 503' }, LATER);
      expect(step.job.error).toMatch(/HTTP 503; retrying in \d+ s/);
      expect(enqueued(step)).toBeGreaterThan(last);
      last = enqueued(step)!;
      job = step.job;
    }
    const end = nextStep(job, { type: 'transient', error: 'HTTP 503' }, LATER);
    expect(end.job).toMatchObject({ state: 'failed', error: expect.stringContaining(`${MAX_TRANSIENT_ATTEMPTS} attempts): HTTP 503`) });
  });

  it('asks at once for a fresh document URL when the pre-signed one expired, a few times at most', () => {
    let job = jobIn('downloading');
    for (let i = 1; i < MAX_EXPIRED_URLS; i++) {
      const step = nextStep(job, { type: 'urlExpired' }, LATER);
      expect(step.effects).toEqual([{ type: 'enqueue', delaySeconds: 0 }]);
      expect(plannedCall(step.job)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us', 'd-ca'] });
      job = step.job;
    }
    expect(nextStep(job, { type: 'urlExpired' }, LATER).job).toMatchObject({ state: 'failed', error: expect.stringContaining('expired') });
  });

  it('saves the documents read before the URL of the next one expired, and fetches only the rest', () => {
    const step = nextStep(jobIn('downloading'), { type: 'downloaded', documents: { 'd-us': doc(US) }, failure: { type: 'urlExpired' } }, LATER);
    expect(effectTypes(step)).toEqual(['saveSnapshots', 'enqueue']);
    expect(plannedCall(step.job)).toEqual({ call: 'downloadDocuments', documentIds: ['d-ca'] });
  });
});

describe('report job: what Amazon may end a report with', () => {
  it('fails with the reason when every report ends FATAL or CANCELLED, to be asked again at the next poll', () => {
    const { job } = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'FATAL', documentId: 'd-x' }, 'r-ca': { status: 'CANCELLED', documentId: null } } }, T0);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(/FATAL\/CANCELLED.*next poll/) });
  });

  it('keeps the marketplaces that finished when another one ends FATAL, and says which one had none', () => {
    const waiting = nextStep(jobIn('waiting'), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'FATAL', documentId: null } } }, T0).job;
    expect(plannedCall(waiting)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us'] });
    const { job, effects } = nextStep(waiting, { type: 'downloaded', documents: { 'd-us': doc(US) } }, T0);
    expect(job).toMatchObject({ state: 'done', error: `Amazon gave no data for ${CA} (FATAL)` });
    expect(effects[0]?.type === 'saveSnapshots' && effects[0].snapshots.map((s) => s.marketplaceId)).toEqual([US]);
  });

  it('fails with the parser reason on a document that does not parse, saving only the marketplaces that did', () => {
    const { job, effects } = nextStep(jobIn('downloading'), { type: 'downloaded', documents: { 'd-us': doc(US).slice(0, 50), 'd-ca': doc(CA) } }, T0);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(new RegExp(`could not be read \\(${US}: .*JSON.*previous data is kept`)) });
    expect(effects[0]?.type === 'saveSnapshots' && effects[0].snapshots.map((s) => s.marketplaceId)).toEqual([CA]);
  });

  it('notes a marketplace the document does not mention instead of inventing data', () => {
    const { job, effects } = nextStep(jobIn('downloading'), { type: 'downloaded', documents: { 'd-us': doc(US), 'd-ca': doc(US) } }, T0);
    expect(job).toMatchObject({ state: 'done', error: `Amazon gave no data for ${CA} (no data in the report)` });
    expect(effects[0]?.type === 'saveSnapshots' && effects[0].snapshots.map((s) => s.marketplaceId)).toEqual([US]);
  });

  it('goes on without a marketplace Amazon refuses to report on, and fails when it refuses them all', () => {
    const one = nextStep(startJob('j', 's', [US, CA], T0), { type: 'created', reportIds: { [US]: 'r-us' }, refused: { [CA]: 'InvalidInput: not a seller here' } }, T0);
    expect(one.job.state).toBe('waiting');
    expect(plannedCall(one.job)).toEqual({ call: 'getReports', reportIds: ['r-us'] });
    const all = nextStep(startJob('j', 's', [US, CA], T0), { type: 'created', reportIds: {}, refused: { [US]: 'Unauthorized', [CA]: 'Unauthorized' } }, T0);
    expect(all.job).toMatchObject({ state: 'failed', error: expect.stringContaining(`${US}: Unauthorized`) });
  });

  it('fails a store with no marketplaces instead of polling nothing', () => {
    const job = startJob('j', 's', [], T0);
    expect(nextStep(job, { type: 'wake', version: 0 }, T0).job).toMatchObject({ state: 'failed', error: 'The store has no marketplaces to watch' });
  });

  it('gives up at the deadline whatever state it is in', () => {
    const { job } = nextStep(jobIn('waiting'), { type: 'wake', version: 1 }, T0 + JOB_DEADLINE_MS + 1);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('within 30 minutes (it was waiting)') });
  });
});

describe('report job: authorization and failing polls', () => {
  it('marks the store authorization lost and emits one critical auth_lost event on invalid_grant', () => {
    const { effects } = nextStep(jobIn('queued'), { type: 'authLost', error: 'invalid_grant: revoked' }, T0);
    expect(effects).toEqual([
      { type: 'markAuthLost', reason: 'invalid_grant: revoked' },
      { type: 'emitEvent', event: { key: 'store-1|auth_lost|job-1', kind: 'auth_lost', severity: 'critical', marketplaceId: null, metric: null, from: 'ok', to: 'lost', detail: {} } },
      { type: 'finish', outcome: 'failed', error: 'Amazon authorization lost: invalid_grant: revoked' },
    ]);
  });

  it.each([
    [FAILURES_BEFORE_EVENT - 2, false],
    [FAILURES_BEFORE_EVENT - 1, true],
    [FAILURES_BEFORE_EVENT, false],
  ])('with %i failed polls before, a failing job emits polling_failing: %s', (priorFailures, emits) => {
    const job = { ...jobIn('waiting'), priorFailures };
    const { effects } = nextStep(job, statuses('FATAL'), T0);
    const events = effects.flatMap((e) => (e.type === 'emitEvent' ? [e.event] : []));
    expect(events.map((e) => [e.kind, e.key])).toEqual(emits ? [['polling_failing', 'store-1|polling_failing|job-1']] : []);
  });

  it('never emits polling_failing for a lost authorization: auth_lost says it', () => {
    const job = { ...jobIn('waiting'), priorFailures: FAILURES_BEFORE_EVENT - 1 };
    const kinds = nextStep(job, { type: 'authLost', error: 'x' }, T0).effects.flatMap((e) => (e.type === 'emitEvent' ? [e.event.kind] : []));
    expect(kinds).toEqual(['auth_lost']);
  });
});

describe('report job: stores with many marketplaces', () => {
  const many = Array.from({ length: MAX_CALLS_PER_STEP * 2 + 1 }, (_, i) => `M${String(i).padStart(2, '0')}`);
  const callSize = (call: AmazonCall | null) => (call ? ('marketplaceIds' in call ? call.marketplaceIds : 'reportIds' in call ? call.reportIds : call.documentIds).length : 0);

  it('creates reports in rounds of at most MAX_CALLS_PER_STEP, going on right away', () => {
    let job = startJob('j', 's', many, T0);
    const rounds: Array<[number, JobState, number | undefined]> = [];
    for (let i = 0; i < 5 && job.state !== 'waiting'; i++) {
      const call = plannedCall(job);
      const ids = call?.call === 'createReports' ? call.marketplaceIds : [];
      const step = nextStep(job, { type: 'created', reportIds: Object.fromEntries(ids.map((id) => [id, `r-${id}`])) }, T0);
      rounds.push([callSize(call), step.job.state, enqueued(step)]);
      job = step.job;
    }
    expect(rounds).toEqual([
      [MAX_CALLS_PER_STEP, 'requesting', 0],
      [MAX_CALLS_PER_STEP, 'requesting', 0],
      [1, 'waiting', pollDelaySeconds('schedule', 0)],
    ]);
    expect(job.state).toBe('waiting');
  });

  it('polls every pending report in turn, however many there are', () => {
    let job = startJob('j', 's', many, T0);
    job = { ...job, state: 'waiting', reports: job.reports.map((r) => ({ ...r, reportId: `r-${r.marketplaceId}` })) };
    const polled = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const call = plannedCall(job);
      if (call?.call !== 'getReports') throw new Error('expected getReports');
      expect(call.reportIds.length).toBeLessThanOrEqual(MAX_CALLS_PER_STEP);
      call.reportIds.forEach((id) => polled.add(id));
      job = nextStep(job, { type: 'statuses', reports: Object.fromEntries(call.reportIds.map((id) => [id, { status: 'IN_PROGRESS' as const, documentId: null }])) }, T0).job;
    }
    expect(polled.size).toBe(many.length);
  });

  it('downloads in rounds, saving each round as it comes', () => {
    let job = startJob('j', 's', many, T0);
    job = { ...job, state: 'downloading', reports: job.reports.map((r) => ({ ...r, reportId: `r-${r.marketplaceId}`, status: 'DONE' as const, documentId: `d-${r.marketplaceId}` })) };
    const call = plannedCall(job);
    if (call?.call !== 'downloadDocuments') throw new Error('expected downloadDocuments');
    expect(call.documentIds).toHaveLength(MAX_CALLS_PER_STEP);
    const docs = Object.fromEntries(call.documentIds.map((id) => [id, JSON.stringify(buildReport({ marketplaceId: id.slice(2) }))]));
    const step = nextStep(job, { type: 'downloaded', documents: docs }, T0);
    expect(effectTypes(step)).toEqual(['saveSnapshots', 'enqueue']);
    expect(step.job.state).toBe('downloading');
    expect(callSize(plannedCall(step.job))).toBe(MAX_CALLS_PER_STEP);
  });
});

describe('report job: timing', () => {
  it('polls a refresh every second at first (a person is waiting), then slower, up to a minute', () => {
    expect([0, 19, 21, 40].map((n) => pollDelaySeconds('refresh', n))).toEqual([1, 1, 3, 60]);
  });

  it('polls a scheduled job gently, from 5 s growing to a minute (each round costs a D1 write)', () => {
    expect([0, 1, 2, 3, 7, 50].map((n) => pollDelaySeconds('schedule', n))).toEqual([5, 8, 12, 17, 60, 60]);
  });

  it('keeps every back-off within [0.8, 1.2) of base * 2^(n-1), at least 1 s and at most 15 minutes', () => {
    for (const base of [1, TRANSIENT_BASE_SECONDS, 60]) {
      for (let attempt = 1; attempt <= 20; attempt++) {
        for (const id of ['a', 'job_1', 'job_2', 'zzzz']) {
          const d = backoffSeconds(base, attempt, id);
          const ideal = base * 2 ** (attempt - 1);
          expect(d).toBeGreaterThanOrEqual(Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.floor(ideal * 0.8))));
          expect(d).toBeLessThanOrEqual(Math.min(MAX_DELAY_SECONDS, Math.ceil(ideal * 1.2)));
        }
      }
    }
    expect(backoffSeconds(60, 1000, 'a')).toBe(MAX_DELAY_SECONDS);
  });

  it('derives the jitter from the job id alone: the same job always waits the same, different jobs spread out', () => {
    expect(backoffSeconds(60, 3, 'job-a')).toBe(backoffSeconds(60, 3, 'job-a'));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => jitter(`job-${i}`, 1)));
    expect(spread.size).toBeGreaterThan(40);
    for (const j of spread) expect(j >= 0.8 && j < 1.2).toBe(true);
  });
});
