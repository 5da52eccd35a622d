/**
 * The JOBS queue consumer: the thin shell around shared/report-job.ts (load -> decide -> act ->
 * save). For each message it loads the job, wakes it, makes the round of Amazon calls the job
 * asked for, hands the outcome to the state machine, and saves the step with a compare-and-set
 * in one D1 batch together with everything the step writes (snapshots, events, the store's
 * status). Only the consumer whose save won sends the next message and tells alerting, so a
 * crash, a redelivery or a second consumer never applies a step twice.
 *
 * What a replay can repeat is the Amazon call itself (the save comes after it): a crash between
 * call and save means one more createReport, getReport or download - harmless, and cheaper than
 * a D1 write before every call to claim it.
 */
import type { StoreEvent } from '../../shared/alerts/rules.ts';
import { SP_API_HOSTS } from '../../shared/marketplaces.ts';
import type { Effect, Failure, Outcome, ReportJob, ReportKind, Step } from '../../shared/report-job-types.ts';
import { nextStep, startJob } from '../../shared/report-job.ts';
import type { Env } from '../env.ts';
import { performCall } from './amazon-calls.ts';
import { touchStoreStatements } from '../db/overview-changes.ts';
import { planFeedbackWrites } from './feedback-writes.ts';
import { rereadIdentity } from './identity.ts';
import { STEP_GUARD, createJob, loadJob, saveStep } from './jobs-db.ts';
import { type JobMessage, isJobMessage, stepMessage } from './messages.ts';
import { type PlannedWrites, type StepTarget, eventStatement, planSnapshotWrites } from './snapshots.ts';
import { type StoreRow, forgetAccessToken, jobFinishedStatement, loadStore, markAuthLostStatements, storeMarketplaces } from './store-db.ts';
import { allowsLoopbackUpstreams } from '../upstream-map.ts';
import { redactSecrets } from '../log-redaction.ts';

/** What the shell needs from the rest of the relay, passed in so tests control it. */
export interface PipelineDeps {
  now(): number;
  newId(prefix: string): string;
  /** Outbound fetch for Amazon (SP-API and the document host). */
  fetch: typeof fetch;
  /** An LWA access token for the store, or the failure that stops this step (invalid_grant...). */
  accessToken(env: Env, store: StoreRow): Promise<{ token: string } | Failure>;
  /** Hands new events to alerting (issue 5); idempotent per event key. */
  fanOut(env: Env, events: StoreEvent[], ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<void>;
}

type Ctx = Pick<ExecutionContext, 'waitUntil'>;

/**
 * Starts a job for a store (or joins the one running) - the cron's `poll` and a person's refresh.
 * Returns the job, and whether it is new (then its first step message must go out).
 */
export async function startStoreJob(
  db: D1Database,
  store: Pick<StoreRow, 'id' | 'workspace_id' | 'poll_failures'>,
  trigger: ReportJob['trigger'],
  jobId: string,
  now: number,
  kind: ReportKind = 'performance',
): Promise<{ job: ReportJob; created: boolean }> {
  // The store's failed polls count the account-health report only: `polling_failing` speaks of it.
  const priorFailures = kind === 'feedback' ? 0 : store.poll_failures;
  const job = startJob(jobId, store.id, await storeMarketplaces(db, store.id), now, { trigger, priorFailures, kind });
  const { stored, created } = await createJob(db, job, store.workspace_id, now);
  return { job: stored.job, created };
}

/**
 * The cron's `poll` message: starts the store's job (or joins the running one) and takes the
 * first step of a new job at once. Null when the store is gone, paused or unauthorized.
 */
export async function pollStore(
  env: Env,
  deps: PipelineDeps,
  ctx: Ctx,
  storeId: string,
  trigger: ReportJob['trigger'] = 'schedule',
  kind: ReportKind = 'performance',
): Promise<string | null> {
  const store = await loadStore(env.DB, storeId);
  if (!store || store.auth_state !== 'ok' || store.paused === 1) return null;
  const { job, created } = await startStoreJob(env.DB, store, trigger, deps.newId('job'), deps.now(), kind);
  if (created) await advanceJob(env, deps, ctx, job.id, job.version);
  return job.id;
}

async function callAmazon(env: Env, deps: PipelineDeps, job: ReportJob, call: Extract<Effect, { type: 'callAmazon' }>['call']): Promise<Outcome> {
  const store = await loadStore(env.DB, job.storeId);
  if (!store) return { type: 'rejected', error: 'The store was removed' };
  const token = await deps.accessToken(env, store);
  if (!('token' in token)) return token;
  let refused = false;
  const watched: typeof fetch = async (input, init) => {
    const res = await deps.fetch(input, init);
    // Only the store's own SP-API host: a 403 from S3 is an expired document URL, not the token.
    if (res.status === 401 || res.status === 403) refused ||= new URL(new Request(input).url).hostname === SP_API_HOSTS[store.region];
    return res;
  };
  const outcome = await performCall({ region: store.region, accessToken: token.token, fetch: watched, allowLoopbackDocuments: allowsLoopbackUpstreams(env) }, call);
  // A seller who revokes us can leave a cached access token that SP-API now refuses. Forget it,
  // so the next attempt asks Login with Amazon again: invalid_grant then marks the authorization
  // lost, where the cached token would have kept reporting a refusal for up to an hour.
  if (refused) await forgetAccessToken(env.DB, store.id);
  return outcome;
}

const stepGuard = (target: StepTarget) => ({ sql: STEP_GUARD, binds: [target.jobId, target.stepToken] });

/** The D1 statements of one effect, and its events with the index of the statement that writes each. */
async function effectWrites(db: D1Database, effect: Effect, job: ReportJob, target: StepTarget, now: number): Promise<PlannedWrites> {
  switch (effect.type) {
    case 'saveSnapshots':
      // A field of the wrong type failed only its metric (shown as unknown); say which, once per step.
      if (effect.problems?.length) console.warn(`relay: report job ${target.jobId} could not read part of a report: ${effect.problems.join('; ')}`);
      return planSnapshotWrites(db, target, effect.snapshots, now);
    case 'saveFeedback': {
      // The negative-feedback count shows in the overview: a delta sync must see the store changed.
      const planned = await planFeedbackWrites(db, target, effect.documents, now);
      return { ...planned, statements: [...planned.statements, ...touchStoreStatements(db, target.workspaceId, job.storeId, stepGuard(target))] };
    }
    case 'emitEvent': {
      const event: StoreEvent = { ...effect.event, storeId: job.storeId, workspaceId: target.workspaceId, createdAt: now };
      return { statements: [eventStatement(db, event, target)], events: [{ event, statement: 0 }] };
    }
    case 'markAuthLost':
      return { statements: [...markAuthLostStatements(db, target, job.storeId, effect.reason, now), ...touchStoreStatements(db, target.workspaceId, job.storeId, stepGuard(target))], events: [] };
    case 'finish': {
      // A feedback job leaves the store's "last checked" and failed-poll count to the account-health report.
      if (job.kind === 'feedback') return { statements: [], events: [] };
      const finished = jobFinishedStatement(db, target, job.storeId, effect.outcome, effect.error, now);
      // "Last checked" shows in the overview; a failure in a row does not.
      return { statements: effect.outcome === 'done' ? [finished, ...touchStoreStatements(db, target.workspaceId, job.storeId, stepGuard(target))] : [finished], events: [] };
    }
    default:
      return { statements: [], events: [] };
  }
}

/**
 * Steps one invocation takes back to back when the next is due at once (DONE -> download): a
 * queue hop would cost a refresh most of its 2 s budget. Two, not more: each step may make up to
 * ~25 subrequests, and an invocation has 50 on the free plan.
 */
export const MAX_STEPS_IN_A_ROW = 2;

/**
 * Saves a step and acts on it. Returns false when another consumer had already taken this step
 * (its compare-and-set lost), in which case nothing was written and nothing is sent.
 */
async function applyStep(env: Env, deps: PipelineDeps, ctx: Ctx, before: ReportJob, workspaceId: string, step: Step, stepsLeft: number): Promise<boolean> {
  const now = deps.now();
  const target: StepTarget = { jobId: before.id, stepToken: deps.newId('step'), storeId: before.storeId, workspaceId };
  const statements: D1PreparedStatement[] = [saveStep(env.DB, before.version, step.job, target.stepToken, now)];
  const events: PlannedWrites['events'] = [];
  for (const effect of step.effects) {
    const writes = await effectWrites(env.DB, effect, before, target, now);
    events.push(...writes.events.map((e) => ({ event: e.event, statement: e.statement + statements.length })));
    statements.push(...writes.statements);
  }
  // D1 runs a batch as one transaction: the step and its writes happen together or not at all.
  const results = await env.DB.batch(statements);
  // RETURNING rows, not meta.changes, tell what was written: the save that lost the race and an
  // event insert that a replay (ON CONFLICT) or the step guard skipped return none.
  if (results[0]?.results.length !== 1) return false;
  const written = events.filter((e) => (results[e.statement]?.results.length ?? 0) > 0).map((e) => e.event);
  if (written.length > 0) await deps.fanOut(env, written, ctx);
  for (const effect of step.effects) {
    if (effect.type !== 'enqueue') continue;
    if (effect.delaySeconds === 0 && stepsLeft > 1) await advanceJob(env, deps, ctx, step.job.id, step.job.version, stepsLeft - 1);
    else await env.JOBS.send(stepMessage(step.job.id, step.job.version), { delaySeconds: effect.delaySeconds });
  }
  return true;
}

/**
 * Takes the step a `step` message asks for: `version` is the one the message was sent for
 * (without it, the job's current one). True when this call applied a step; false when there
 * was nothing to do, it was early, or another consumer applied it first.
 */
export async function advanceJob(env: Env, deps: PipelineDeps, ctx: Ctx, jobId: string, version?: number, stepsLeft = MAX_STEPS_IN_A_ROW): Promise<boolean> {
  const stored = await loadJob(env.DB, jobId);
  if (!stored) return false;
  const { job, workspaceId } = stored;
  const woken = nextStep(job, { type: 'wake', version: version ?? job.version }, deps.now());
  if (woken.job !== job) return applyStep(env, deps, ctx, job, workspaceId, woken, stepsLeft);
  const call = woken.effects.find((e) => e.type === 'callAmazon');
  if (!call) {
    // Early (a redelivery): back on the queue for the time left, for the same version.
    for (const effect of woken.effects) {
      if (effect.type === 'enqueue') await env.JOBS.send(stepMessage(job.id, job.version), { delaySeconds: effect.delaySeconds });
    }
    return false;
  }
  const outcome = await callAmazon(env, deps, job, call.call);
  const step = nextStep(job, outcome, deps.now());
  if (step.job === job) return false;
  return applyStep(env, deps, ctx, job, workspaceId, step, stepsLeft);
}

/** Seconds before a message whose step threw comes back (a D1 hiccup, a bug). */
const RETRY_DELAY_SECONDS = 10;

/**
 * The queue handler for JOBS: each message is acked or retried on its own, so one bad message
 * never fails the batch. Only a throw retries; every Amazon failure is the state machine's to
 * handle, and a malformed message is dropped with a log line (retrying cannot mend it).
 */
export async function handleJobQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext, deps: PipelineDeps): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    if (!isJobMessage(body)) {
      console.warn(`relay: dropping a malformed JOBS message ${message.id}`);
      message.ack();
      continue;
    }
    try {
      await handleMessage(env, deps, ctx, body);
      message.ack();
    } catch (error) {
      const why = redactSecrets(error instanceof Error ? error.message : String(error));
      console.error(`relay: a report job step failed (message ${message.id}, attempt ${message.attempts}); the queue will redeliver it: ${why}`);
      message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
    }
  }
}

function handleMessage(env: Env, deps: PipelineDeps, ctx: Ctx, body: JobMessage): Promise<unknown> {
  if (body.kind === 'identity') return rereadIdentity(env, deps, ctx, body.storeId);
  return body.kind === 'poll' ? pollStore(env, deps, ctx, body.storeId, 'schedule', body.report ?? 'performance') : advanceJob(env, deps, ctx, body.jobId, body.version);
}
