/** Following a relay report job the way a client does: GET /v1/jobs/:id until it ends. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RelayApi } from '../../scripts/relay-api.ts';

/** How often the benchmark asks: fine enough that it adds little to what it measures. */
export const JOB_POLL_MS = 50;

/**
 * Resolves with `performance.now()` of the first answer that says `done`; throws when the job
 * failed or did not end within `limitMs`.
 */
export async function waitForJobDone(owner: RelayApi, jobId: string, limitMs: number): Promise<number> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const job = await owner.call('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
    if (job.state === 'done') return performance.now();
    if (job.state === 'failed') throw new Error(`job ${jobId} failed: ${String(job.error)}`);
    await sleep(JOB_POLL_MS);
  }
  throw new Error(`job ${jobId} did not finish within ${limitMs} ms`);
}
