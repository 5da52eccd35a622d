/**
 * The report job's data: its state, the calls it plans, what the shell reports back, the effects
 * it asks for (the state machine itself is shared/report-job.ts).
 */
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
  | {
      type: 'saveSnapshots';
      snapshots: MarketplaceSnapshot[];
      /** Parts of the documents that could not be read (`marketplaceId: path ...`), for the log; the rest is saved. */
      problems?: string[];
    }
  | { type: 'markAuthLost'; reason: string }
  | { type: 'emitEvent'; event: HealthEvent }
  | { type: 'finish'; outcome: 'done' | 'failed'; error: string | null };

export interface Step {
  job: ReportJob;
  effects: Effect[];
}
