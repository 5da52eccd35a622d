/**
 * A store's report job as a pure state machine (STYLE.md principle 6): `nextStep(job, input, now)`
 * -> `{job, effects}`. The shell (relay/pipeline/consumer.ts) loads the job, wakes it, performs
 * the `callAmazon` effect, feeds the outcome back in, and saves the new job with a compare-and-set
 * on `version` before acting on any other effect - so a crash, a redelivered queue message or a
 * second consumer never applies a step twice. Whenever the job changes its version goes up by one;
 * when it does not change, the very same object comes back.
 *
 * queued -> requesting (createReport per marketplace) -> waiting (getReport, re-enqueued with
 * `delaySeconds`: a Worker never sleeps) -> downloading (getReportDocument, then fetch + gunzip
 * within the pre-signed URL's 5 minutes) -> done | failed. DOMAIN.md section 2 has the rates,
 * bursts and processing statuses this follows.
 *
 * One report per marketplace, not one per region: createReport accepts up to 25 marketplaceIds,
 * but several public issues report multi-marketplace requests of other report types returning a
 * single marketplace (DOMAIN.md section 2), and nothing Amazon publishes proves that
 * GET_V2_SELLER_PERFORMANCE_REPORT returns them all. (The sandbox does - which proves nothing
 * about Amazon.) A missing marketplace would be silent; an extra createReport costs one token of
 * a burst of 15 that refills once a minute. We pay the token.
 */
import { parseSellerPerformanceReport } from './report-parser.ts';
import type { HealthEvent, MarketplaceSnapshot } from './types.ts';

export type JobState = 'queued' | 'requesting' | 'waiting' | 'downloading' | 'done' | 'failed';

/** Who asked: the cron's schedule (no one is watching) or a person's refresh (someone is). */
export type JobTrigger = 'schedule' | 'refresh';

export const PROCESSING_STATUSES = ['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'CANCELLED', 'FATAL'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

export interface ReportProgress {
  marketplaceId: string;
  reportId: string | null;
  status: ProcessingStatus | null;
  documentId: string | null;
  /** Its document was downloaded and read (its snapshot went out in a `saveSnapshots`). */
  read: boolean;
  /**
   * Amazon refused createReport for this marketplace (a 4xx, e.g. the seller left it): the other
   * marketplaces go on without it.
   */
  refusal: string | null;
}

export interface ReportJob {
  id: string;
  storeId: string;
  trigger: JobTrigger;
  /** Bumped by every change; the shell saves only if the stored version is still the loaded one. */
  version: number;
  state: JobState;
  reports: ReportProgress[];
  /** Consecutive failed attempts of the current step without progress (throttled, transient, expired URL). */
  attempts: number;
  /** getReport rounds so far, for the polling cadence. */
  polls: number;
  /** Why it failed, or what it is riding out (a 5xx being retried); null when all is well. */
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  /** Earliest time the next step may run (epoch ms). */
  notBefore: number;
  /** The store's consecutive failed polls before this job, for the `polling_failing` event. */
  priorFailures: number;
}

/** One planned round of Amazon calls; never more than MAX_CALLS_PER_STEP ids. */
export type AmazonCall =
  | { call: 'createReports'; marketplaceIds: string[] }
  | { call: 'getReports'; reportIds: string[] }
  | { call: 'downloadDocuments'; documentIds: string[] };

/** Why a round of calls stopped, classified by the shell from HTTP statuses and bodies. */
export type Failure =
  /** 429 QuotaExceeded. */
  | { type: 'throttled' }
  /** 5xx, a timeout, a broken connection, an unreadable answer. */
  | { type: 'transient'; error: string }
  /** The pre-signed document URL was refused as expired (S3 answers 403): ask for a fresh one. */
  | { type: 'urlExpired' }
  /** A 4xx other than 429: asking again the same way will not help. */
  | { type: 'rejected'; error: string }
  /** What Amazon handed over cannot be used as it is (a document past the size caps, a URL off its hosts). */
  | { type: 'unusable'; error: string }
  /** Login with Amazon answered `invalid_grant`: the seller revoked us or the token died. */
  | { type: 'authLost'; error: string };

/**
 * What a round of calls achieved. A round may stop part-way (`failure`): what was achieved
 * before still counts, so a 429 on the fourth createReport keeps the first three reports.
 */
export type Progress =
  /** `refused`: marketplace id -> Amazon's 4xx answer for that one marketplace. */
  | { type: 'created'; reportIds: Record<string, string>; refused?: Record<string, string>; failure?: Failure }
  | { type: 'statuses'; reports: Record<string, { status: ProcessingStatus; documentId: string | null }>; failure?: Failure }
  /** Document id -> the document (gunzipped bytes or text). */
  | { type: 'downloaded'; documents: Record<string, string | Uint8Array>; failure?: Failure };

export type Outcome = Progress | Failure;

/** A queue message for the job arrived; `version` is the one it was sent for. */
export type Wake = { type: 'wake'; version: number };

export type Input = Wake | Outcome;

export type Effect =
  | { type: 'callAmazon'; call: AmazonCall }
  | { type: 'enqueue'; delaySeconds: number }
  | { type: 'saveSnapshots'; snapshots: MarketplaceSnapshot[] }
  | { type: 'markAuthLost'; reason: string }
  | { type: 'emitEvent'; event: HealthEvent }
  | { type: 'finish'; outcome: 'done' | 'failed'; error: string | null };

export interface Step {
  job: ReportJob;
  effects: Effect[];
}

/**
 * Calls per step. Keeps one step inside the Workers Free budget of 50 subrequests (a download is
 * two calls per marketplace: getReportDocument and the file) and inside getReport's burst of 15;
 * a pan-EU seller with 16 marketplaces simply takes two rounds.
 */
export const MAX_CALLS_PER_STEP = 8;

/**
 * Back-off base after a 429, per operation: the time Amazon's token bucket needs to refill one
 * request (DOMAIN.md section 2: createReport and getReportDocument 0.0167 req/s = one a minute,
 * getReport 2 req/s). 429s carry no rate-limit header, so the published rate is all we have.
 */
export const THROTTLE_BASE_SECONDS: Readonly<Record<AmazonCall['call'], number>> = {
  createReports: 60,
  getReports: 1,
  downloadDocuments: 60,
};
/** Back-off base for 5xx and timeouts. */
export const TRANSIENT_BASE_SECONDS = 5;
export const MAX_DELAY_SECONDS = 15 * 60;
/** 5xx/timeouts in a row before the job gives up until the next poll interval. */
export const MAX_TRANSIENT_ATTEMPTS = 5;
/** Expired document URLs in a row before giving up (a clock far off would expire every one). */
export const MAX_EXPIRED_URLS = 3;
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

/** Deterministic jitter in [0.8, 1.2) from the job id and attempt (FNV-1a), so jobs spread out. */
export function jitter(jobId: string, attempt: number): number {
  let h = 2166136261;
  for (const ch of `${jobId}#${attempt}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 0.8 + ((h >>> 0) % 400) / 1000;
}

/** Back-off after the n-th failed attempt (1-based): base * 2^(n-1) * jitter, at least 1 s, capped. */
export function backoffSeconds(base: number, attempt: number, jobId: string): number {
  const raw = base * 2 ** Math.min(attempt - 1, 30) * jitter(jobId, attempt);
  return Math.max(1, Math.min(MAX_DELAY_SECONDS, Math.ceil(raw)));
}

/**
 * Wait before the getReport round number `polls` (0 = the first, right after createReport).
 * A refresh has a person watching and a budget of 2 s over the generation time (SPEC.md), and
 * getReport allows 2 requests a second: every second for the first 20 rounds, then slower. A
 * scheduled poll has no one watching, and every round costs a D1 write: 5 s, growing by half
 * each round, up to a minute.
 */
export function pollDelaySeconds(trigger: JobTrigger, polls: number): number {
  if (trigger === 'refresh') return polls < 20 ? 1 : Math.min(60, Math.ceil(1.5 ** (polls - 19)));
  return Math.min(60, Math.ceil(5 * 1.5 ** Math.min(polls, 20)));
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
    // CANCELLED can mean "no data", FATAL that we asked too often (DOMAIN.md section 2): recorded,
    // and the next scheduled poll asks again.
    const why = [...new Set(requested.map((r) => r.status))].join('/');
    return finish({ ...job, reports, polls }, 'failed', `Amazon ended the report ${why}; it will be requested again at the next poll`, now);
  }
  return later(job, { reports, polls, attempts: 0, error: null }, now, pollDelaySeconds(job.trigger, polls));
}

function afterDownload(job: ReportJob, documents: Record<string, string | Uint8Array>, failure: Failure | undefined, now: number): Step {
  const snapshots: MarketplaceSnapshot[] = [];
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
    // A report requested for one marketplace speaks for that one; any other it mentions is ignored.
    const own = parsed.marketplaces.find((m) => m.marketplaceId === report.marketplaceId);
    if (own) snapshots.push(own);
    else empty.push(report.marketplaceId);
    return { ...report, read: true };
  });
  const saves: Effect[] = snapshots.length > 0 ? [{ type: 'saveSnapshots', snapshots }] : [];
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
