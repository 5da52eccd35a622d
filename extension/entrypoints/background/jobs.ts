/**
 * Refresh: ask the relay for a new report and follow the job until it is done or failed, writing
 * each step to the cache so the popup and the panels show it live. On `done` the overview is
 * synced at once, so the new numbers appear without waiting for the next alarm.
 */
import type { Cache, JobProgress } from '../../lib/cache/cache-db.ts';
import { JOB_ERROR_TIMEOUT, JOB_ERROR_UNREACHABLE, JOB_POLL_LIMIT, isJobActive, jobPollDelay } from '../../lib/derive/job-progress.ts';
import type { ActionResult } from '../../lib/platform/protocol.ts';
import type { Credentials } from '../../lib/platform/credentials.ts';
import { type RelayClient, type RelayFailure, describeFailure } from '../../lib/relay/relay-client.ts';

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

/** Reasons the surfaces word themselves (lib/derive/job-progress.ts); others are the relay's own. */
export function failureReason(failure: RelayFailure): string {
  return failure.kind === 'offline' ? JOB_ERROR_UNREACHABLE : describeFailure(failure);
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

  async function follow(relay: RelayClient, jobId: string, storeId: string): Promise<void> {
    if (following.has(jobId)) return;
    following.add(jobId);
    let failures = 0;
    let last: JobProgress['state'] = 'queued';
    try {
      for (let attempt = 0; attempt < JOB_POLL_LIMIT; attempt++) {
        await deps.sleep(jobPollDelay(attempt));
        const r = await relay.job(jobId);
        if (!r.ok) {
          if (++failures < POLL_FAILURES_ALLOWED) continue;
          await save({ storeId, jobId, state: 'failed', error: failureReason(r.failure), updatedAt: deps.now() });
          return;
        }
        failures = 0;
        const job = r.value;
        if (job.state !== last || !isJobActive(job.state)) {
          last = job.state;
          await save({ storeId, jobId: job.id, state: job.state, error: job.error, updatedAt: deps.now() });
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
        return { ok: false, error: describeFailure(r.failure) };
      }
      // "Refresh all" is shown per store once the relay says which jobs it started.
      if (!storeId) await deps.cache.clearJob('*');
      for (const job of r.value) {
        if (job.jobId === null) {
          // The relay started the others; this store's line says why it did not.
          await save({ storeId: job.storeId, jobId: null, state: 'failed', error: job.error, updatedAt: deps.now() });
          continue;
        }
        await save({ storeId: job.storeId, jobId: job.jobId, state: 'queued', error: null, updatedAt: deps.now() });
        const followed = follow(relay, job.jobId, job.storeId).finally(() => inFlight.delete(followed));
        inFlight.add(followed);
      }
      if (r.value.length === 0) await deps.changed();
      return { ok: true };
    },

    /** Resolves when every job being followed has finished (for tests and shutdown). */
    async settled(): Promise<void> {
      for (let round = 0; round < 10 && inFlight.size; round++) await Promise.all(inFlight);
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
