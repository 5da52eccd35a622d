/**
 * The Cron Trigger: the pipeline schedules due stores (the account-health report and, at their own
 * cadences, the feedback report and the daily re-read of Amazon's identity of each store) and
 * resumes stalled jobs, the alert sweep keeps the outbox moving, the digest part hands each channel
 * whose daily digest may be due to its queue, retention prunes. Independent parts: one failing does
 * not stop the others.
 */
import { sweepOutbox } from './alerts/sweep.ts';
import { keysAtStart } from './crypto/key-check.ts';
import type { Env } from './env.ts';
import { dispatchDueDigests } from './digest/digest-dispatch.ts';
import { redactSecrets } from './log-redaction.ts';
import { scheduleDueIdentity } from './pipeline/identity.ts';
import { resumeStalledJobs, scheduleDueFeedback, scheduleDuePolls } from './pipeline/schedule.ts';
import type { AlertDeps } from './platform-deps.ts';
import { type RetentionSettings, pruneExpired, pruneFeedbackAndDigests } from './retention.ts';

export async function handleScheduled(controller: Pick<ScheduledController, 'scheduledTime'>, env: Env & RetentionSettings, deps: AlertDeps): Promise<void> {
  const now = controller.scheduledTime;
  const parts = {
    schedule: scheduleDuePolls(env, now),
    feedback: scheduleDueFeedback(env, now),
    identity: scheduleDueIdentity(env, now),
    resume: resumeStalledJobs(env, now),
    outbox: sweepOutbox(env, now, deps),
    digest: dispatchDueDigests(env, now),
    retention: pruneExpired(env, now),
    keys: keysAtStart(env, now),
    feedback_and_digests: pruneFeedbackAndDigests(env, now),
  };
  const results = await Promise.allSettled(Object.values(parts));
  Object.keys(parts).forEach((name, i) => {
    const result = results[i];
    if (result?.status === 'rejected') {
      console.error(`relay: the scheduled ${name} task failed: ${redactSecrets(result.reason instanceof Error ? result.reason.message : String(result.reason))}`);
    }
  });
}
