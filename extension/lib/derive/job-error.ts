/**
 * A report job's outcome in the person's language. The relay words a job's `error` in English for
 * its logs (shared/report-job.ts); here each of those sentences is read back into a reason and
 * the marketplaces it names, so the popup says "德国站未更新：亚马逊没有生成报告" rather than
 * "Amazon ended the report FATAL". test/extension/job-error.test.ts drives the real job state
 * machine to every failure it words, so a changed sentence breaks a test, not the screen.
 */
export type JobReason =
  | 'auth_lost'
  | 'refused'
  | 'throttled'
  | 'amazon_failing'
  | 'report_ended'
  | 'unreadable'
  | 'deadline'
  | 'no_marketplaces'
  | 'url_expired'
  | 'other';

/** Why one marketplace got no new numbers in a job that otherwise finished. */
export type MarketReason = 'refused' | 'cancelled' | 'fatal' | 'no_data' | 'unreadable' | 'not_done';

export interface JobErrorFacts {
  reason: JobReason;
  /** The marketplaces the sentence names, each with its own reason; empty when it names none. */
  marketplaces: { marketplaceId: string; why: MarketReason }[];
}

const REASONS: readonly [RegExp, JobReason][] = [
  [/^Amazon authorization lost/, 'auth_lost'],
  [/^Amazon refused /, 'refused'],
  [/^Amazon is throttling /, 'throttled'],
  [/^Amazon kept failing /, 'amazon_failing'],
  [/^Amazon ended the report /, 'report_ended'],
  [/^Amazon gave no data for /, 'report_ended'],
  [/^The report could not be read/, 'unreadable'],
  [/did not finish within/, 'deadline'],
  [/no marketplaces/, 'no_marketplaces'],
  [/download URL expired/, 'url_expired'],
];

const MARKETPLACE_ID = /\b([A-Z0-9]{10,20})\b(?:\s*\(([^)]*)\)|:\s*([^;)]*))?/g;

function marketReason(reason: JobReason, detail: string): MarketReason {
  if (reason === 'unreadable') return 'unreadable';
  if (reason === 'refused') return 'refused';
  if (detail === 'CANCELLED') return 'cancelled';
  if (detail === 'FATAL') return 'fatal';
  if (/no data/.test(detail)) return 'no_data';
  if (/^(IN_QUEUE|IN_PROGRESS|DONE|no report)$/.test(detail)) return 'not_done';
  return 'refused';
}

export function readJobError(error: string): JobErrorFacts {
  const reason = REASONS.find(([pattern]) => pattern.test(error))?.[1] ?? 'other';
  const marketplaces: JobErrorFacts['marketplaces'] = [];
  for (const m of error.matchAll(MARKETPLACE_ID)) {
    marketplaces.push({ marketplaceId: m[1]!, why: marketReason(reason, (m[2] ?? m[3] ?? '').trim()) });
  }
  return { reason, marketplaces };
}
