/**
 * The Cron Trigger: the pipeline schedules due stores and resumes stalled jobs, the alert sweep
 * keeps the outbox moving, retention prunes. Independent parts: one failing does not stop the others.
 */
import { sweepOutbox } from './alerts/sweep.ts';
import { keysAtStart } from './crypto/key-check.ts';
import type { Env } from './env.ts';
import { redactSecrets } from './log-redaction.ts';
import { resumeStalledJobs, scheduleDuePolls } from './pipeline/schedule.ts';
import type { AlertDeps } from './platform-deps.ts';
import { type RetentionSettings, pruneExpired } from './retention.ts';

export async function handleScheduled(controller: Pick<ScheduledController, 'scheduledTime'>, env: Env & RetentionSettings, deps: AlertDeps): Promise<void> {
  const now = controller.scheduledTime;
  const parts = {
    schedule: scheduleDuePolls(env, now),
    resume: resumeStalledJobs(env, now),
    outbox: sweepOutbox(env, now, deps),
    retention: pruneExpired(env, now),
    keys: keysAtStart(env, now),
  };
  const results = await Promise.allSettled(Object.values(parts));
  Object.keys(parts).forEach((name, i) => {
    const result = results[i];
    if (result?.status === 'rejected') {
      console.error(`relay: the scheduled ${name} task failed: ${redactSecrets(result.reason instanceof Error ? result.reason.message : String(result.reason))}`);
    }
  });
}
