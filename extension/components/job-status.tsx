import type { JobProgress } from '../lib/cache/cache-db.ts';
import { type MarketReason, type JobReason, readJobError } from '../lib/derive/job-error.ts';
import { JOB_LABELS, isJobActive, jobFraction, ownJobError } from '../lib/derive/job-progress.ts';
import { failureText, isFailureCode } from '../lib/i18n/failure-text.ts';
import { formatClock } from '../lib/i18n/format.ts';
import type { MessageKey, Translate } from '../lib/i18n/i18n.ts';
import { useT } from './i18n-context.tsx';
import { marketplaceName } from './labels.ts';

const REASON_KEYS: Readonly<Record<JobReason, MessageKey>> = {
  auth_lost: 'jobWhyAuthLost',
  refused: 'jobWhyRefused',
  throttled: 'jobWhyThrottled',
  amazon_failing: 'jobWhyAmazonFailing',
  report_ended: 'jobWhyReportEnded',
  unreadable: 'jobWhyUnreadable',
  deadline: 'jobWhyDeadline',
  no_marketplaces: 'jobWhyNoMarketplaces',
  url_expired: 'jobWhyUrlExpired',
  other: 'jobWhyOther',
};

const MARKET_KEYS: Readonly<Record<MarketReason, MessageKey>> = {
  refused: 'jobMarketRefused',
  cancelled: 'jobMarketCancelled',
  fatal: 'jobMarketFatal',
  no_data: 'jobMarketNoData',
  unreadable: 'jobMarketUnreadable',
  not_done: 'jobMarketNotDone',
};

/** "德国站：亚马逊生成报告失败；法国站：…": each marketplace the relay named, with its own reason. */
function marketsText(error: string, t: Translate): string | null {
  const { marketplaces } = readJobError(error);
  if (!marketplaces.length) return null;
  return marketplaces.map((m) => t('jobMarketLine', { market: marketplaceName(m.marketplaceId, m.marketplaceId, t.language), why: t(MARKET_KEYS[m.why]) })).join(t('listSeparator'));
}

/** Why a job failed, in the surface's language: our own codes, the relay's, or its job sentence read back. */
export function jobReasonText(error: string | null, t: Translate): string {
  if (!error) return t('jobFailedUnknown');
  const own = ownJobError(error);
  if (own) return t(own);
  if (isFailureCode(error)) return failureText(error, t);
  const facts = readJobError(error);
  const reason = t(REASON_KEYS[facts.reason]);
  // The whole job failed for one reason: the marketplaces are only named.
  const names = facts.marketplaces.map((m) => t('marketSite', { name: marketplaceName(m.marketplaceId, m.marketplaceId, t.language) }));
  return names.length ? t('jobReasonWithMarkets', { reason, markets: names.join(t('listComma')) }) : reason;
}

/** The whole line: live progress, a finish that names what did not update, or a cooldown that says so. */
export function jobText(job: JobProgress, now: number, t: Translate): string {
  if (job.cooldown) {
    const at = job.startedAt ? formatClock(job.startedAt, now, t.language) : '—';
    const outcome = job.state === 'failed' ? t('jobFailed', { reason: jobReasonText(job.error, t) }) : job.error ? t('jobPartial', { markets: marketsText(job.error, t) ?? jobReasonText(job.error, t) }) : t('jobDone');
    return t('jobCooldown', { at, outcome });
  }
  if (job.state === 'failed') return t('jobFailed', { reason: jobReasonText(job.error, t) });
  // Finished with some marketplaces left out: not "done", it names them and why.
  if (job.state === 'done' && job.error) return t('jobPartial', { markets: marketsText(job.error, t) ?? jobReasonText(job.error, t) });
  return t(JOB_LABELS[job.state]);
}

/** Where a refresh stands, live; a failure or a partial result says why in the person's language. */
export function JobStatus({ job, now }: { job: JobProgress; now: number }) {
  const t = useT();
  const text = jobText(job, now, t);
  const tone = job.cooldown ? 'cooldown' : job.state === 'done' && job.error ? 'partial' : job.state;
  return (
    <div class={`sw-job sw-job-${tone}`} role="status" aria-live="polite">
      {isJobActive(job.state) && (
        <span class="sw-job-bar" aria-hidden="true">
          <span style={{ width: `${Math.round(jobFraction(job.state) * 100)}%` }} />
        </span>
      )}
      {/* A failure can be long (one reason per marketplace): two lines here, all of it on hover. */}
      <span class="sw-job-text" title={text}>
        {text}
      </span>
    </div>
  );
}
