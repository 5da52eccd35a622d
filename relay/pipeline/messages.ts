/** Messages on the JOBS queue: a store is due (from the cron or a refresh), or a job has a step to take. */
export type JobMessage = { kind: 'poll'; storeId: string; workspaceId: string } | { kind: 'step'; jobId: string };

export function isJobMessage(body: unknown): body is JobMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.kind === 'poll') return typeof m.storeId === 'string' && typeof m.workspaceId === 'string';
  return m.kind === 'step' && typeof m.jobId === 'string';
}
