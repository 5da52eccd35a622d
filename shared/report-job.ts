/**
 * A store's report job as a pure state machine (docs/architecture.md#from-the-cron-to-wechat):
 * `nextStep(job, input, now)` -> `{job, effects}`. The shell (relay/pipeline/consumer.ts) loads the job, wakes it, performs
 * the `callAmazon` effect, feeds the outcome back in, and saves the new job with a compare-and-set
 * on `version` before acting on any other effect - so a crash, a redelivered queue message or a
 * second consumer never applies a step twice. Whenever the job changes its version goes up by one;
 * when it does not change, the very same object comes back.
 *
 * queued -> requesting (createReport per marketplace) -> waiting (getReport, re-enqueued with
 * `delaySeconds`: a Worker never sleeps) -> downloading (getReportDocument, then fetch + gunzip
 * within the pre-signed URL's 5 minutes) -> done | failed. docs/domain/amazon-limits.md has the
 * rates, bursts and processing statuses this follows.
 *
 * One report per marketplace, not one per region: createReport accepts up to 25 marketplaceIds,
 * but several public issues report multi-marketplace requests of other report types returning a
 * single marketplace (docs/domain/amazon-limits.md), and nothing Amazon publishes proves that
 * GET_V2_SELLER_PERFORMANCE_REPORT returns them all. (The sandbox does - which proves nothing
 * about Amazon.) A missing marketplace would be silent; an extra createReport costs one token of
 * a burst of 15 that refills once a minute. We pay the token.
 */
import { MAX_EXPIRED_URLS, MAX_TRANSIENT_ATTEMPTS, THROTTLE_BASE_SECONDS, TRANSIENT_BASE_SECONDS, backoffSeconds, pollDelaySeconds } from './report-job-backoff.ts';
import type { AmazonCall, Effect, Failure, Input, JobTrigger, ProcessingStatus, Progress, ReportJob, Step, Wake } from './report-job-types.ts';
import { parseSellerPerformanceReport } from './report-parser.ts';
import type { HealthEvent, MarketplaceSnapshot } from './types.ts';

/**
 * Calls per step. Keeps one step inside the Workers Free budget of 50 subrequests (a download is
 * two calls per marketplace: getReportDocument and the file) and inside getReport's burst of 15;
 * a pan-EU seller with 16 marketplaces simply takes two rounds.
 */
export const MAX_CALLS_PER_STEP = 8;

/** A job that has not finished this long after it started gives up; the next poll starts afresh. */
export const JOB_DEADLINE_MS = 30 * 60 * 1000;
/** A store's polls failing this many times in a row raise one `polling_failing` event. */
export const FAILURES_BEFORE_EVENT = 3;
/** Clocks of two Workers differ a little: a message this early is treated as on time. */
export const EARLY_TOLERANCE_MS = 1000;

export function startJob(
  id: string,
  storeId: string,
  marketplaceIds: readonly string[],
  now: number,
  options: { trigger?: JobTrigger; priorFailures?: number } = {},
): ReportJob {
  return {
    id,
    storeId,
    trigger: options.trigger ?? 'schedule',
    version: 0,
    state: 'queued',
    reports: marketplaceIds.map((marketplaceId) => ({ marketplaceId, reportId: null, status: null, documentId: null, read: false, refusal: null })),
    attempts: 0,
    polls: 0,
    error: null,
    startedAt: now,
    finishedAt: null,
    notBefore: now,
    priorFailures: options.priorFailures ?? 0,
  };
}

export function isFinished(job: ReportJob): boolean {
  return job.state === 'done' || job.state === 'failed';
}

function isTerminal(status: ProcessingStatus | null): boolean {
  return status === 'DONE' || status === 'CANCELLED' || status === 'FATAL';
}

/** Takes `MAX_CALLS_PER_STEP` items starting at `offset`, wrapping around. */
function window<T>(items: readonly T[], offset: number): T[] {
  if (items.length <= MAX_CALLS_PER_STEP) return [...items];
  const start = offset % items.length;
  return [...items.slice(start), ...items.slice(0, start)].slice(0, MAX_CALLS_PER_STEP);
}

/** The round of Amazon calls the job needs next, or null when there is nothing to call. */
export function plannedCall(job: ReportJob): AmazonCall | null {
  switch (job.state) {
    case 'queued':
    case 'requesting': {
      const ids = job.reports.filter((r) => !r.reportId && !r.refusal).map((r) => r.marketplaceId);
      return ids.length > 0 ? { call: 'createReports', marketplaceIds: window(ids, 0) } : null;
    }
    case 'waiting': {
      // Rotating through the pending reports, so more than one step's worth are all polled.
      const ids = job.reports.filter((r) => r.reportId && !isTerminal(r.status)).map((r) => r.reportId as string);
      return ids.length > 0 ? { call: 'getReports', reportIds: window(ids, job.polls * MAX_CALLS_PER_STEP) } : null;
    }
    case 'downloading': {
      const ids = job.reports.filter((r) => r.status === 'DONE' && r.documentId && !r.read).map((r) => r.documentId as string);
      return ids.length > 0 ? { call: 'downloadDocuments', documentIds: window(ids, 0) } : null;
    }
    default:
      return null;
  }
}


function advance(job: ReportJob, changes: Partial<ReportJob>, now: number, delaySeconds: number): ReportJob {
  return { ...job, ...changes, version: job.version + 1, notBefore: now + delaySeconds * 1000 };
}

function event(job: ReportJob, kind: 'auth_lost' | 'polling_failing', from: string | null, to: string | null, severity: HealthEvent['severity']): HealthEvent {
  // Keyed by the job: a replayed step yields the same key, and the store's next failing job a new one.
  return { key: `${job.storeId}|${kind}|${job.id}`, kind, severity, marketplaceId: null, metric: null, from, to, detail: {} };
}

/** Ends the job; `before` are effects of this same step that must go out with it. */
function finish(job: ReportJob, outcome: 'done' | 'failed', error: string | null, now: number, before: Effect[] = []): Step {
  const next = advance(job, { state: outcome, error, finishedAt: now, attempts: 0 }, now, 0);
  const effects: Effect[] = [...before];
  const authLost = before.some((e) => e.type === 'markAuthLost');
  if (outcome === 'failed' && !authLost && job.priorFailures + 1 === FAILURES_BEFORE_EVENT) {
    effects.push({ type: 'emitEvent', event: event(job, 'polling_failing', null, error, 'warning') });
  }
  effects.push({ type: 'finish', outcome, error });
  return { job: next, effects };
}

/** Stays in the state and comes back later. */
function later(job: ReportJob, changes: Partial<ReportJob>, now: number, delaySeconds: number, before: Effect[] = []): Step {
  return { job: advance(job, changes, now, delaySeconds), effects: [...before, { type: 'enqueue', delaySeconds }] };
}

function describeCall(call: AmazonCall['call']): string {
  return { createReports: 'createReport', getReports: 'getReport', downloadDocuments: 'the report download' }[call];
}

/**
 * Handles a failure after `progressed` (whether the round achieved anything before it stopped),
 * on a job that already holds that progress. `before` are the progress's own effects.
 */
function afterFailure(job: ReportJob, call: AmazonCall['call'], failure: Failure, progressed: boolean, now: number, before: Effect[]): Step {
  const attempts = (progressed ? 0 : job.attempts) + 1;
  switch (failure.type) {
    case 'authLost': {
      const lost: Effect[] = [
        ...before,
        { type: 'markAuthLost', reason: failure.error },
        { type: 'emitEvent', event: event(job, 'auth_lost', 'ok', 'lost', 'critical') },
      ];
      return finish(job, 'failed', `Amazon authorization lost: ${failure.error}`, now, lost);
    }
    case 'rejected':
      return finish(job, 'failed', `Amazon refused ${describeCall(call)}: ${failure.error}`, now, before);
    case 'unusable':
      return finish(job, 'failed', `${failure.error}; the previous data is kept`, now, before);
    case 'throttled': {
      // No cap of its own: the job deadline ends a job that Amazon throttles for half an hour.
      const delay = backoffSeconds(THROTTLE_BASE_SECONDS[call], attempts, job.id);
      return later(job, { attempts, error: `Amazon is throttling ${describeCall(call)}; retrying in ${delay} s` }, now, delay, before);
    }
    case 'urlExpired':
      if (call === 'downloadDocuments') {
        if (attempts >= MAX_EXPIRED_URLS) return finish(job, 'failed', `The report download URL expired ${attempts} times in a row`, now, before);
        // getReportDocument hands out a fresh URL: ask again right away, no back-off needed.
        return later(job, { attempts }, now, 0, before);
      }
      return afterFailure(job, call, { type: 'transient', error: 'an expired URL' }, progressed, now, before);
    case 'transient': {
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        return finish(job, 'failed', `Amazon kept failing ${describeCall(call)} (${attempts} attempts): ${failure.error}`, now, before);
      }
      const delay = backoffSeconds(TRANSIENT_BASE_SECONDS, attempts, job.id);
      return later(job, { attempts, error: `${failure.error}; retrying in ${delay} s` }, now, delay, before);
    }
  }
}

function wake(job: ReportJob, input: Wake, now: number): Step {
  // A message sent for another version is a duplicate or a leftover: the live one is elsewhere.
  if (input.version !== job.version) return { job, effects: [] };
  if (now - job.startedAt > JOB_DEADLINE_MS) {
    return finish(job, 'failed', `The report job did not finish within ${JOB_DEADLINE_MS / 60_000} minutes (it was ${job.state})`, now);
  }
  if (job.notBefore - now > EARLY_TOLERANCE_MS) {
    // Early: only a redelivery or a resumed job gets here (queues never deliver before delaySeconds).
    return { job, effects: [{ type: 'enqueue', delaySeconds: Math.ceil((job.notBefore - now) / 1000) }] };
  }
  const call = plannedCall(job);
  if (!call) {
    if (job.reports.length === 0) return finish(job, 'failed', 'The store has no marketplaces to watch', now);
    // Unreachable by the transitions below; a damaged row ends rather than spins.
    return finish(job, 'failed', `The report job has nothing left to do in state ${job.state}`, now);
  }
  return { job, effects: [{ type: 'callAmazon', call }] };
}

function afterCreated(job: ReportJob, outcome: Extract<Progress, { type: 'created' }>, now: number): Step {
  const planned = plannedCall(job);
  const refused = outcome.refused ?? {};
  const reports = job.reports.map((r) => {
    if (r.reportId || r.refusal) return r;
    const reportId = outcome.reportIds[r.marketplaceId];
    if (reportId) return { ...r, reportId };
    const refusal = refused[r.marketplaceId];
    return refusal ? { ...r, refusal } : r;
  });
  const progressed = reports.some((r, i) => r !== job.reports[i]);
  const updated: ReportJob = { ...job, state: 'requesting', reports };
  if (outcome.failure) return afterFailure(updated, 'createReports', outcome.failure, progressed, now, []);
  if (reports.every((r) => r.reportId || r.refusal)) {
    if (reports.every((r) => r.refusal)) {
      const why = reports.map((r) => `${r.marketplaceId}: ${r.refusal}`).join('; ');
      return finish(updated, 'failed', `Amazon refused createReport (${why})`, now);
    }
    const delay = pollDelaySeconds(job.trigger, 0);
    return later(job, { state: 'waiting', reports, attempts: 0, polls: 0, error: null }, now, delay);
  }
  const answeredAll = planned?.call === 'createReports' && planned.marketplaceIds.every((id) => outcome.reportIds[id] || refused[id]);
  // The next round of marketplaces right away; a round answered short is a broken answer.
  if (answeredAll) return later(job, { state: 'requesting', reports, attempts: 0, error: null }, now, 0);
  return afterFailure(updated, 'createReports', { type: 'transient', error: 'createReport answered without a reportId' }, progressed, now, []);
}

function afterStatuses(job: ReportJob, statuses: Record<string, { status: ProcessingStatus; documentId: string | null }>, failure: Failure | undefined, now: number): Step {
  const reports = job.reports.map((r) => {
    const s = r.reportId ? statuses[r.reportId] : undefined;
    return s ? { ...r, status: s.status, documentId: s.documentId ?? r.documentId } : r;
  });
  const progressed = Object.keys(statuses).length > 0;
  const polls = job.polls + 1;
  if (failure) return afterFailure({ ...job, reports, polls }, 'getReports', failure, progressed, now, []);
  const requested = reports.filter((r) => r.reportId);
  if (requested.every((r) => isTerminal(r.status))) {
    if (requested.some((r) => r.status === 'DONE' && r.documentId)) {
      return later(job, { state: 'downloading', reports, polls, attempts: 0, error: null }, now, 0);
    }
    // CANCELLED can mean "no data", FATAL that we asked too often (docs/domain/amazon-limits.md):
    // recorded, and the next scheduled poll asks again.
    const why = [...new Set(requested.map((r) => r.status))].join('/');
    return finish({ ...job, reports, polls }, 'failed', `Amazon ended the report ${why}; it will be requested again at the next poll`, now);
  }
  return later(job, { reports, polls, attempts: 0, error: null }, now, pollDelaySeconds(job.trigger, polls));
}

function afterDownload(job: ReportJob, documents: Record<string, string | Uint8Array>, failure: Failure | undefined, now: number): Step {
  const snapshots: MarketplaceSnapshot[] = [];
  const problems: string[] = [];
  const unreadable: string[] = [];
  const empty: string[] = [];
  const reports = job.reports.map((report) => {
    const doc = report.documentId && !report.read ? documents[report.documentId] : undefined;
    if (doc === undefined) return report;
    const parsed = parseSellerPerformanceReport(doc);
    if (!parsed.ok) {
      unreadable.push(`${report.marketplaceId}: ${parsed.error}`);
      return { ...report, read: true };
    }
    problems.push(...parsed.problems.map((p) => `${report.marketplaceId}: ${p}`));
    // A report requested for one marketplace speaks for that one; any other it mentions is ignored.
    const own = parsed.marketplaces.find((m) => m.marketplaceId === report.marketplaceId);
    if (own) snapshots.push(own);
    else empty.push(report.marketplaceId);
    return { ...report, read: true };
  });
  const saves: Effect[] = snapshots.length > 0 ? [{ type: 'saveSnapshots', snapshots, ...(problems.length > 0 ? { problems } : {}) }] : [];
  const updated: ReportJob = { ...job, reports };
  if (unreadable.length > 0) {
    // The marketplaces that did parse are saved; the broken one keeps its previous snapshot.
    return finish(updated, 'failed', `The report could not be read (${unreadable.join('; ')}); the previous data is kept`, now, saves);
  }
  if (failure) return afterFailure(updated, 'downloadDocuments', failure, Object.keys(documents).length > 0, now, saves);
  if (plannedCall(updated)) return later(job, { reports, attempts: 0, error: null }, now, 0, saves);
  const missing = [
    ...job.reports.filter((r) => r.status !== 'DONE').map((r) => `${r.marketplaceId} (${r.refusal ?? r.status ?? 'no report'})`),
    ...empty.map((id) => `${id} (no data in the report)`),
  ];
  return finish(updated, 'done', missing.length > 0 ? `Amazon gave no data for ${missing.join(', ')}` : null, now, saves);
}

const ANSWERS: Readonly<Record<Progress['type'], AmazonCall['call']>> = {
  created: 'createReports',
  statuses: 'getReports',
  downloaded: 'downloadDocuments',
};

/**
 * The job's next step given what just happened.
 *
 * @example
 * const woken = nextStep(job, { type: 'wake', version: job.version }, now);
 * // woken.effects: [{ type: 'callAmazon', call: { call: 'createReports', marketplaceIds: [...] } }]
 * const { job: next, effects } = nextStep(job, { type: 'throttled' }, now);
 * // next.version === job.version + 1; effects: [{ type: 'enqueue', delaySeconds: 60 }] (give or take the jitter)
 */
export function nextStep(job: ReportJob, input: Input, now: number): Step {
  if (isFinished(job)) return { job, effects: [] };
  if (input.type === 'wake') return wake(job, input, now);
  const call = plannedCall(job);
  if (!call) return { job, effects: [] };
  // An answer to a round this state did not plan (a stale or mixed-up input) changes nothing.
  if (input.type in ANSWERS && ANSWERS[input.type as Progress['type']] !== call.call) return { job, effects: [] };
  switch (input.type) {
    case 'created':
      return afterCreated(job, input, now);
    case 'statuses':
      return afterStatuses(job, input.reports, input.failure, now);
    case 'downloaded':
      return afterDownload(job, input.documents, input.failure, now);
    default:
      return afterFailure(job.state === 'queued' ? { ...job, state: 'requesting' } : job, call.call, input, false, now, []);
  }
}
