/**
 * When a report job tries again: back-off after throttling and server errors, how many tries it
 * gets, and how often a job waiting for Amazon's report asks again.
 */
import type { AmazonCall, JobTrigger } from './report-job-types.ts';

/**
 * Back-off base after a 429, per operation: the time Amazon's token bucket needs to refill one
 * request (docs/domain/amazon-limits.md: createReport and getReportDocument 0.0167 req/s = one a
 * minute, getReport 2 req/s). 429s carry no rate-limit header, so the published rate is all we
 * have.
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
 * A refresh has a person watching and a budget of 2 s over the generation time
 * (docs/architecture.md#performance-budgets), and getReport allows 2 requests a second: every
 * second for the first 20 rounds, then slower. A scheduled poll has no one watching, and every
 * round costs a D1 write: 5 s, growing by half each round, up to a minute.
 */
export function pollDelaySeconds(trigger: JobTrigger, polls: number): number {
  if (trigger === 'refresh') return polls < 20 ? 1 : Math.min(60, Math.ceil(1.5 ** (polls - 19)));
  return Math.min(60, Math.ceil(5 * 1.5 ** Math.min(polls, 20)));
}
