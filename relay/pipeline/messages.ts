/**
 * Messages on the JOBS queue: a store is due (from the cron), a job has a step to take, or a
 * store's identity is due its daily re-read. A step message names the job version it was sent
 * for, so a duplicate, a redelivery or a resend by the cron finds the job already moved on and
 * does nothing (shared/report-job.ts `wake`).
 */
export type JobMessage =
  /** `report`: the feedback report's own poll; absent, the account-health report. */
  | { kind: 'poll'; storeId: string; workspaceId: string; report?: 'feedback' }
  | { kind: 'step'; jobId: string; version: number }
  /** The store's daily re-read of Amazon's identity of it (relay/pipeline/identity.ts). */
  | { kind: 'identity'; storeId: string; workspaceId: string };

export function isJobMessage(body: unknown): body is JobMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.kind === 'poll') return typeof m.storeId === 'string' && typeof m.workspaceId === 'string' && (m.report === undefined || m.report === 'feedback');
  if (m.kind === 'identity') return typeof m.storeId === 'string' && typeof m.workspaceId === 'string';
  return m.kind === 'step' && typeof m.jobId === 'string' && Number.isInteger(m.version);
}

export function stepMessage(jobId: string, version: number): JobMessage {
  return { kind: 'step', jobId, version };
}

/** Cloudflare Queues take at most 100 messages per sendBatch (docs/operations.md). */
export const QUEUE_BATCH = 100;

/** One `poll` message per due store, in sendBatch-sized groups. */
export function pollBatches(stores: ReadonlyArray<{ id: string; workspace_id: string }>, report?: 'feedback'): Array<Array<{ body: JobMessage }>> {
  const batches: Array<Array<{ body: JobMessage }>> = [];
  for (let i = 0; i < stores.length; i += QUEUE_BATCH) {
    batches.push(
      stores.slice(i, i + QUEUE_BATCH).map((s) => ({ body: { kind: 'poll', storeId: s.id, workspaceId: s.workspace_id, ...(report ? { report } : {}) } })),
    );
  }
  return batches;
}
