/**
 * Refresh: ask the relay for a new report and follow the job until it is done or failed, writing
 * each step to the cache so the popup and the panels show it live. On `done` the overview is
 * synced at once, so the new numbers appear without waiting for the next alarm. A job the cache
 * still shows running when the worker starts (the browser closed mid-refresh) is asked for again.
 */
import type { Cache, JobProgress } from '../../lib/cache/cache-db.ts';
import { JOB_ERROR_INTERRUPTED, JOB_ERROR_NOT_STARTED, JOB_ERROR_TIMEOUT, JOB_ERROR_UNREACHABLE, JOB_POLL_LIMIT, isJobActive, jobPollDelay } from '../../lib/derive/job-progress.ts';
import { failureCode } from '../../lib/i18n/failure-text.ts';
import type { ActionResult } from '../../lib/platform/protocol.ts';
import type { Credentials } from '../../lib/platform/credentials.ts';
import type { RelayClient, RelayFailure } from '../../lib/relay/relay-client.ts';

export interface JobDeps {
  cache: Cache;
  /** The pairing and its token (lib/platform/credentials.ts); null when not paired. */
  credentials: () => Promise<Credentials | null>;
  relayFor: (baseUrl: string, token: string) => RelayClient;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  changed: () => Promise<void>;
  syncNow: () => Promise<unknown>;
}

/** A failure as a code the surfaces word themselves (lib/derive/job-progress.ts, lib/i18n/failure-text.ts). */
export function failureReason(failure: RelayFailure): string {
  return failure.kind === 'offline' && failureCode(failure) === 'offline' ? JOB_ERROR_UNREACHABLE : failureCode(failure);
}

/** Consecutive failed polls before a job is given up as unreachable. */
const POLL_FAILURES_ALLOWED = 5;

export function createJobs(deps: JobDeps) {
  const following = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  async function save(progress: JobProgress): Promise<void> {
    await deps.cache.saveJob(progress);
    await deps.changed();
  }

  /**
   * Polls the job until it ends. `fresh`: the relay just handed it out for our refresh. A fresh
   * job that has already finished at the first answer is one the relay ran before - inside its
   * two-minute cooldown it answers with the last job instead of starting one - so it is shown as
   * that, with when it ran, rather than as a refresh that just completed.
   */
  async function follow(relay: RelayClient, jobId: string, storeId: string, fresh: boolean): Promise<void> {
    if (following.has(jobId)) return;
    following.add(jobId);
    let failures = 0;
    let answered = false;
    let last: JobProgress['state'] | null = fresh ? 'queued' : null;
    try {
      for (let attempt = 0; attempt < JOB_POLL_LIMIT; attempt++) {
        await deps.sleep(jobPollDelay(attempt));
        const r = await relay.job(jobId);
        if (!r.ok) {
          // The relay no longer has it (pruned, or another workspace now): nothing left to follow.
          if (r.failure.kind === 'http' && r.failure.status === 404) {
            await save({ storeId, jobId, state: 'failed', error: JOB_ERROR_INTERRUPTED, updatedAt: deps.now() });
            return;
          }
          if (++failures < POLL_FAILURES_ALLOWED) continue;
          await save({ storeId, jobId, state: 'failed', error: failureReason(r.failure), updatedAt: deps.now() });
          return;
        }
        failures = 0;
        const job = r.value;
        const cooldown = fresh && !answered && job.finishedAt !== null;
        answered = true;
        if (cooldown) {
          await save({ storeId, jobId: job.id, state: job.state, error: job.error, updatedAt: deps.now(), cooldown: true, startedAt: job.startedAt });
          return;
        }
        if (job.state !== last || !isJobActive(job.state)) {
          last = job.state;
          await save({ storeId, jobId: job.id, state: job.state, error: job.error, updatedAt: deps.now(), startedAt: job.startedAt });
        }
        if (job.state === 'done') {
          await deps.syncNow();
          return;
        }
        if (job.state === 'failed') return;
      }
      await save({ storeId, jobId, state: 'failed', error: JOB_ERROR_TIMEOUT, updatedAt: deps.now() });
    } finally {
      following.delete(jobId);
    }
  }

  function track(followed: Promise<void>): void {
    const tracked = followed.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  return {
    /** Starts a refresh of one store (or all, `null`) and returns once the relay accepted it. */
    async refresh(storeId: string | null): Promise<ActionResult> {
      const credentials = await deps.credentials();
      if (!credentials) return { ok: false, error: 'not_paired' };
      const relay = deps.relayFor(credentials.pairing.relayUrl, credentials.token);
      const key = storeId ?? '*';
      await save({ storeId: key, jobId: null, state: 'starting', error: null, updatedAt: deps.now() });
      const r = await relay.refresh(storeId);
      if (!r.ok) {
        await save({ storeId: key, jobId: null, state: 'failed', error: failureReason(r.failure), updatedAt: deps.now() });
        return { ok: false, error: failureCode(r.failure) };
      }
      // "Refresh all" is shown per store once the relay says which jobs it started.
      if (!storeId) await deps.cache.clearJob('*');
      for (const job of r.value) {
        if (job.jobId === null) {
          // The relay started the others; this store's line says why it did not.
          await save({ storeId: job.storeId, jobId: null, state: 'failed', error: JOB_ERROR_NOT_STARTED, updatedAt: deps.now() });
          continue;
        }
        await save({ storeId: job.storeId, jobId: job.jobId, state: 'queued', error: null, updatedAt: deps.now() });
        track(follow(relay, job.jobId, job.storeId, true));
      }
      if (r.value.length === 0) await deps.changed();
      return { ok: true };
    },

    /**
     * After the worker (re)starts: a job the cache shows running is asked for again, so its line
     * ends as the relay says; one that never got a job id cannot be, and is marked interrupted.
     */
    async resume(jobs: readonly JobProgress[]): Promise<void> {
      const running = jobs.filter((j) => isJobActive(j.state));
      if (!running.length) return;
      const credentials = await deps.credentials();
      for (const job of running) {
        if (!credentials || job.jobId === null) {
          await save({ ...job, state: 'failed', error: JOB_ERROR_INTERRUPTED, updatedAt: deps.now() });
          continue;
        }
        track(follow(deps.relayFor(credentials.pairing.relayUrl, credentials.token), job.jobId, job.storeId, false));
      }
    },

    /** Resolves when every job being followed has finished (for tests and shutdown). */
    async settled(): Promise<void> {
      for (let round = 0; round < 10 && inFlight.size; round++) await Promise.all(inFlight);
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
