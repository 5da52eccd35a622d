/**
 * A refresh as the person watches it: queued -> requesting -> generating (Amazon builds the report;
 * the API says `waiting`) -> downloading -> done, or failed with the reason.
 */
import type { JobProgress } from '../cache/cache-db.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export const JOB_LABELS: Readonly<Record<JobProgress['state'], MessageKey>> = {
  starting: 'jobStarting',
  queued: 'jobQueued',
  requesting: 'jobRequesting',
  waiting: 'jobGenerating',
  downloading: 'jobDownloading',
  done: 'jobDone',
  failed: 'jobFailed',
};

/** Failures of our own making, stored as codes and worded by each surface in its language. */
export const JOB_ERROR_UNREACHABLE = 'relay_unreachable';
export const JOB_ERROR_TIMEOUT = 'timeout';
/** The browser (or its service worker) stopped while the job ran and the relay no longer knows it. */
export const JOB_ERROR_INTERRUPTED = 'interrupted';
/** "Refresh all" did not start this store (the relay's reason, if any, is English for its logs). */
export const JOB_ERROR_NOT_STARTED = 'not_started';

const OWN_ERRORS: Readonly<Record<string, MessageKey>> = {
  [JOB_ERROR_UNREACHABLE]: 'jobRelayUnreachable',
  [JOB_ERROR_TIMEOUT]: 'jobTimedOut',
  [JOB_ERROR_INTERRUPTED]: 'jobInterrupted',
  [JOB_ERROR_NOT_STARTED]: 'jobNotStarted',
};

/** The message key for a failure reason we word ourselves, or null for the relay's own words. */
export function ownJobError(error: string | null): MessageKey | null {
  return (error !== null && OWN_ERRORS[error]) || null;
}

/** Steps shown as a progress bar, in order. */
const STEPS: readonly JobProgress['state'][] = ['starting', 'queued', 'requesting', 'waiting', 'downloading', 'done'];

export function isJobActive(state: JobProgress['state']): boolean {
  return state !== 'done' && state !== 'failed';
}

/** 0..1 for the progress bar; a failure shows how far it got. */
export function jobFraction(state: JobProgress['state']): number {
  const i = STEPS.indexOf(state);
  return i < 0 ? 1 : i / (STEPS.length - 1);
}

/** Poll quickly at first (queued jobs usually start within a second), then settle at 3 s. */
export function jobPollDelay(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt), 3000);
}

/** Amazon takes minutes at worst; after this many polls the job is reported as lost. */
export const JOB_POLL_LIMIT = 400;

/** A finished job keeps its line in the popup this long, so "done" is seen, then it goes. */
export const JOB_DONE_VISIBLE_MS = 60_000;

/**
 * The relay ends any job after 30 minutes (shared/report-job.ts JOB_DEADLINE_MS); a cached job
 * still "running" well after that was left behind by a browser that closed mid-refresh and never
 * resumed it. It must not keep the refresh button disabled.
 */
export const JOB_ABANDONED_AFTER_MS = 35 * 60_000;

export function visibleJobs(jobs: readonly JobProgress[], now: number): JobProgress[] {
  return jobs.filter((j) => (isJobActive(j.state) && now - j.updatedAt < JOB_ABANDONED_AFTER_MS) || now - j.updatedAt < JOB_DONE_VISIBLE_MS);
}
