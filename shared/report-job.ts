/**
 * A store's report job as a pure state machine (STYLE.md principle 6): the shell loads the job,
 * asks `plannedCall` what to do, makes that one Amazon call, hands the outcome to `nextStep`, and
 * saves the new job with a compare-and-set on `version` before acting on the effects. A crash,
 * a redelivered queue message or a second consumer therefore never applies a step twice.
 *
 * queued -> requesting (createReport per marketplace) -> waiting (getReport, re-enqueued with
 * `delaySeconds`: never sleep in a Worker) -> downloading (getReportDocument + fetch + gunzip,
 * inside the URL's 5-minute life) -> done | failed. DOMAIN.md section 2 has the rates and the
 * processing statuses.
 *
 * One report per marketplace: multi-marketplace requests are documented to return a single
 * marketplace for some report types (DOMAIN.md section 2), and nothing proves this one returns all.
 */
import { parseSellerPerformanceReport } from './report-parser.ts';
import type { MarketplaceSnapshot } from './types.ts';

export type JobState = 'queued' | 'requesting' | 'waiting' | 'downloading' | 'done' | 'failed';

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';

export interface ReportProgress {
  marketplaceId: string;
  reportId: string | null;
  documentId: string | null;
  status: ProcessingStatus | null;
}

export interface ReportJob {
  id: string;
  storeId: string;
  /** Bumped by every step; the shell saves only if the stored version is still the loaded one. */
  version: number;
  state: JobState;
  reports: ReportProgress[];
  /** Consecutive failed attempts of the current step (throttled or transient). */
  attempts: number;
  /** getReport polls so far, for the polling back-off. */
  polls: number;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  /** Earliest time the next step may run (epoch ms). */
  notBefore: number;
}

export type AmazonCall =
  | { call: 'createReports'; marketplaceIds: string[] }
  | { call: 'getReports'; reportIds: string[] }
  | { call: 'downloadDocuments'; documentIds: string[] };

/** What one Amazon call came back with, classified by the shell. */
export type Outcome =
  | { type: 'created'; reportIds: Record<string, string> }
  | { type: 'statuses'; reports: Record<string, { status: ProcessingStatus; documentId?: string | null }> }
  | { type: 'downloaded'; documents: Record<string, string> }
  /** 429 QuotaExceeded. */
  | { type: 'throttled' }
  /** 5xx, a timeout, a broken connection, an expired document URL. */
  | { type: 'transient'; error: string }
  /** A 4xx other than 429: retrying the same request will not help. */
  | { type: 'rejected'; error: string }
  /** LWA answered invalid_grant: the seller revoked us or the token died. */
  | { type: 'authLost'; error: string };

export type Effect =
  | { type: 'enqueue'; delaySeconds: number }
  | { type: 'saveSnapshots'; snapshots: MarketplaceSnapshot[] }
  | { type: 'markAuthLost'; reason: string };

export interface Step {
  job: ReportJob;
  effects: Effect[];
}

/** Base back-off per operation after a 429, from Amazon's rates (DOMAIN.md section 2). */
const THROTTLE_BASE_SECONDS: Readonly<Record<AmazonCall['call'], number>> = {
  createReports: 60, // 0.0167 req/s: one token a minute
  getReports: 1, // 2 req/s
  downloadDocuments: 60, // getReportDocument 0.0167 req/s
};
const MAX_DELAY_SECONDS = 15 * 60;
/** Transient failures of one step before the job gives up until the next poll interval. */
export const MAX_TRANSIENT_ATTEMPTS = 6;
/** Give up waiting for Amazon to finish a report after this long. */
export const MAX_WAIT_MS = 30 * 60 * 1000;

/** Which call each kind of answer belongs to. */
const ANSWERS = { created: 'createReports', statuses: 'getReports', downloaded: 'downloadDocuments' } as const;

export function startJob(id: string, storeId: string, marketplaceIds: readonly string[], now: number): ReportJob {
  return {
    id,
    storeId,
    version: 0,
    state: 'queued',
    reports: marketplaceIds.map((marketplaceId) => ({ marketplaceId, reportId: null, documentId: null, status: null })),
    attempts: 0,
    polls: 0,
    error: null,
    startedAt: now,
    finishedAt: null,
    notBefore: now,
  };
}

export function isFinished(job: ReportJob): boolean {
  return job.state === 'done' || job.state === 'failed';
}

/** The Amazon call the job needs next, or null when it is finished. */
export function plannedCall(job: ReportJob): AmazonCall | null {
  switch (job.state) {
    case 'queued':
    case 'requesting':
      return { call: 'createReports', marketplaceIds: job.reports.filter((r) => !r.reportId).map((r) => r.marketplaceId) };
    case 'waiting':
      return { call: 'getReports', reportIds: job.reports.filter((r) => r.reportId && !isTerminal(r.status)).map((r) => r.reportId!) };
    case 'downloading':
      return { call: 'downloadDocuments', documentIds: job.reports.filter((r) => r.status === 'DONE' && r.documentId).map((r) => r.documentId!) };
    default:
      return null;
  }
}

function isTerminal(status: ProcessingStatus | null): boolean {
  return status === 'DONE' || status === 'CANCELLED' || status === 'FATAL';
}

/** Deterministic jitter in [0.8, 1.2) from the job id, so many jobs don't retry in lockstep. */
function jitter(jobId: string, attempt: number): number {
  let h = 2166136261;
  for (const ch of `${jobId}#${attempt}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 0.8 + ((h >>> 0) % 400) / 1000;
}

/** Back-off after the n-th failed attempt (1-based), capped. */
export function backoffSeconds(base: number, attempt: number, jobId: string): number {
  return Math.min(MAX_DELAY_SECONDS, Math.ceil(base * 2 ** (attempt - 1) * jitter(jobId, attempt)));
}

/**
 * Polling cadence while Amazon generates the report: every second for the first 20 polls (the
 * refresh budget is 2 s over generation time, and getReport allows 2/s with a burst of 15), then
 * growing by half each poll up to a minute.
 */
export function pollDelaySeconds(polls: number): number {
  if (polls < 20) return 1;
  return Math.min(60, Math.ceil(1.5 ** (polls - 19)));
}

function advance(job: ReportJob, changes: Partial<ReportJob>, now: number, delaySeconds = 0): ReportJob {
  return { ...job, ...changes, version: job.version + 1, notBefore: now + delaySeconds * 1000 };
}

function finish(job: ReportJob, state: 'done' | 'failed', error: string | null, now: number): ReportJob {
  return advance(job, { state, error, finishedAt: now, attempts: 0 }, now);
}

/**
 * Applies the outcome of the planned call.
 *
 * @example
 * const { job: next, effects } = nextStep(job, { type: 'throttled' }, now);
 * // next.version === job.version + 1; effects: [{ type: 'enqueue', delaySeconds: 60 }]
 */
export function nextStep(job: ReportJob, outcome: Outcome, now: number): Step {
  if (isFinished(job)) return { job, effects: [] };
  const call = plannedCall(job)!.call;
  // An answer to a call this state did not plan (a stale or mixed-up input) changes nothing.
  if (outcome.type in ANSWERS && ANSWERS[outcome.type as keyof typeof ANSWERS] !== call) return { job, effects: [] };

  switch (outcome.type) {
    case 'authLost':
      return {
        job: finish(job, 'failed', `Amazon authorization lost: ${outcome.error}`, now),
        effects: [{ type: 'markAuthLost', reason: outcome.error }],
      };
    case 'rejected':
      return { job: finish(job, 'failed', outcome.error, now), effects: [] };
    case 'throttled': {
      const attempts = job.attempts + 1;
      const delay = backoffSeconds(THROTTLE_BASE_SECONDS[call], attempts, job.id);
      return { job: advance(job, { attempts }, now, delay), effects: [{ type: 'enqueue', delaySeconds: delay }] };
    }
    case 'transient': {
      const attempts = job.attempts + 1;
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        return { job: finish(job, 'failed', `Amazon kept failing (${attempts} attempts): ${outcome.error}`, now), effects: [] };
      }
      const delay = backoffSeconds(5, attempts, job.id);
      return { job: advance(job, { attempts, error: outcome.error }, now, delay), effects: [{ type: 'enqueue', delaySeconds: delay }] };
    }
    case 'created':
      return afterCreated(job, outcome.reportIds, now);
    case 'statuses':
      return afterStatuses(job, outcome.reports, now);
    case 'downloaded':
      return afterDownload(job, outcome.documents, now);
  }
}

function afterCreated(job: ReportJob, reportIds: Record<string, string>, now: number): Step {
  const reports = job.reports.map((r) => (r.reportId ? r : { ...r, reportId: reportIds[r.marketplaceId] ?? null }));
  if (reports.some((r) => !r.reportId)) {
    // Partly created (a throttle between marketplaces): keep what we have, ask for the rest.
    const delay = backoffSeconds(THROTTLE_BASE_SECONDS.createReports, job.attempts + 1, job.id);
    return { job: advance(job, { state: 'requesting', reports, attempts: job.attempts + 1 }, now, delay), effects: [{ type: 'enqueue', delaySeconds: delay }] };
  }
  const delay = pollDelaySeconds(0);
  return { job: advance(job, { state: 'waiting', reports, attempts: 0, polls: 0, error: null }, now, delay), effects: [{ type: 'enqueue', delaySeconds: delay }] };
}

function afterStatuses(job: ReportJob, statuses: Record<string, { status: ProcessingStatus; documentId?: string | null }>, now: number): Step {
  const reports = job.reports.map((r) => {
    const s = r.reportId ? statuses[r.reportId] : undefined;
    return s ? { ...r, status: s.status, documentId: s.documentId ?? r.documentId } : r;
  });
  if (reports.every((r) => isTerminal(r.status))) {
    if (reports.some((r) => r.status === 'DONE' && r.documentId)) {
      return { job: advance(job, { state: 'downloading', reports, attempts: 0 }, now), effects: [{ type: 'enqueue', delaySeconds: 0 }] };
    }
    const why = [...new Set(reports.map((r) => r.status))].join('/');
    // CANCELLED can mean "no data"; FATAL may mean we asked too often. Either way the next
    // scheduled poll tries again (DOMAIN.md section 2).
    return { job: finish(job, 'failed', `Amazon ended the report ${why}; it will be requested again at the next poll`, now), effects: [] };
  }
  if (now - job.startedAt > MAX_WAIT_MS) {
    return { job: finish(job, 'failed', 'Amazon did not finish the report within 30 minutes', now), effects: [] };
  }
  const polls = job.polls + 1;
  const delay = pollDelaySeconds(polls);
  return { job: advance(job, { reports, polls, attempts: 0 }, now, delay), effects: [{ type: 'enqueue', delaySeconds: delay }] };
}

function afterDownload(job: ReportJob, documents: Record<string, string>, now: number): Step {
  const snapshots = new Map<string, MarketplaceSnapshot>();
  for (const report of job.reports) {
    if (report.status !== 'DONE' || !report.documentId) continue;
    const text = documents[report.documentId];
    if (text === undefined) {
      return { job: finish(job, 'failed', `The report document for ${report.marketplaceId} was not downloaded`, now), effects: [] };
    }
    const parsed = parseSellerPerformanceReport(text);
    if (!parsed.ok) {
      // The previous snapshot stays: a broken document never overwrites good data.
      return { job: finish(job, 'failed', `The report for ${report.marketplaceId} could not be read: ${parsed.error}`, now), effects: [] };
    }
    // A report requested for one marketplace speaks for that one; ignore any others it mentions.
    const own = parsed.marketplaces.find((m) => m.marketplaceId === report.marketplaceId);
    if (own) snapshots.set(own.marketplaceId, own);
  }
  const failedOnes = job.reports.filter((r) => r.status !== 'DONE').map((r) => r.marketplaceId);
  const error = failedOnes.length > 0 ? `Amazon did not produce a report for ${failedOnes.join(', ')}` : null;
  return {
    job: finish(job, 'done', error, now),
    effects: [{ type: 'saveSnapshots', snapshots: [...snapshots.values()] }],
  };
}
