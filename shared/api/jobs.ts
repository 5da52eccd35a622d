/** Contract of report jobs as the API shows them: the refresh and job routes of the pipeline issue. */
import * as v from 'valibot';
import type { JobState } from '../report-job-types.ts';

/** The states of shared/report-job.ts as values for the schema (`satisfies`: none outside JobState). */
export const JOB_STATES = ['queued', 'requesting', 'waiting', 'downloading', 'done', 'failed'] as const satisfies readonly JobState[];

/** `GET /v1/jobs/:id`: one store's report job, for live progress. */
export const JobView = v.object({
  id: v.string(),
  storeId: v.string(),
  state: v.picklist(JOB_STATES),
  /** Why it failed (or what it is waiting out), in words; null when all is well. */
  error: v.nullable(v.string()),
  startedAt: v.number(),
  finishedAt: v.nullable(v.number()),
});
export type JobView = v.InferOutput<typeof JobView>;

/** `POST /v1/stores/:id/refresh` -> 202: the job started, or the running one joined. */
export const RefreshStoreResponse = v.object({ jobId: v.string() });
export type RefreshStoreResponse = v.InferOutput<typeof RefreshStoreResponse>;

/**
 * `POST /v1/refresh` -> 202: one row per authorized, unpaused store; `jobId` is null with `error`
 * saying why when that store could not start (e.g. refreshed moments ago).
 */
export const RefreshAllResponse = v.object({
  jobs: v.array(v.object({ storeId: v.string(), jobId: v.nullable(v.string()), error: v.optional(v.string()) })),
});
export type RefreshAllResponse = v.InferOutput<typeof RefreshAllResponse>;
