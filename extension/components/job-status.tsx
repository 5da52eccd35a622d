import type { JobProgress } from '../lib/cache/cache-db.ts';
import { JOB_LABELS, isJobActive, jobFraction, ownJobError } from '../lib/derive/job-progress.ts';
import { useT } from './i18n-context.tsx';

/** Where a refresh stands, live; a failure says why in the relay's (or Amazon's) words. */
export function JobStatus({ job }: { job: JobProgress }) {
  const t = useT();
  const own = ownJobError(job.error);
  const reason = own ? t(own) : job.error || t('jobFailedUnknown');
  const text = job.state === 'failed' ? t('jobFailed', { reason }) : t(JOB_LABELS[job.state]);
  return (
    <div class={`sw-job sw-job-${job.state}`} role="status" aria-live="polite">
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
