/**
 * Messages on the JOBS queue: a store is due (from the cron), or a job has a step to take. A step
 * message names the job version it was sent for, so a duplicate, a redelivery or a resend by the
 * cron finds the job already moved on and does nothing (shared/report-job.ts `wake`).
 */
export type JobMessage = { kind: 'poll'; storeId: string; workspaceId: string } | { kind: 'step'; jobId: string; version: number };

export function isJobMessage(body: unknown): body is JobMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.kind === 'poll') return typeof m.storeId === 'string' && typeof m.workspaceId === 'string';
  return m.kind === 'step' && typeof m.jobId === 'string' && Number.isInteger(m.version);
}

export function stepMessage(jobId: string, version: number): JobMessage {
  return { kind: 'step', jobId, version };
}

/** Cloudflare Queues take at most 100 messages per sendBatch (docs/operations.md). */
export const QUEUE_BATCH = 100;

/** One `poll` message per due store, in sendBatch-sized groups. */
export function pollBatches(stores: ReadonlyArray<{ id: string; workspace_id: string }>): Array<Array<{ body: JobMessage }>> {
  const batches: Array<Array<{ body: JobMessage }>> = [];
  for (let i = 0; i < stores.length; i += QUEUE_BATCH) {
    batches.push(stores.slice(i, i + QUEUE_BATCH).map((s) => ({ body: { kind: 'poll', storeId: s.id, workspaceId: s.workspace_id } })));
  }
  return batches;
}
