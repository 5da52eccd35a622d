/**
 * The JOBS queue consumer: the thin shell around shared/report-job.ts. For each message it loads
 * the job, makes the one Amazon call the job planned, asks the state machine what that means,
 * and saves the step with a compare-and-set in one D1 batch together with everything the step
 * writes. Only the consumer whose save won acts on the effects (the next queue message, alerts),
 * so a crash, a redelivery or a second consumer never applies a step twice.
 */
import { type Outcome, nextStep, plannedCall, startJob } from '../../shared/report-job.ts';
import type { HealthEvent, Region } from '../../shared/types.ts';
import { SP_API_HOSTS } from '../../shared/marketplaces.ts';
import type { Env } from '../env.ts';
import { performCall } from './amazon-calls.ts';
import { STEP_GUARD, createJob, loadJob, saveStep } from './jobs-db.ts';
import { type JobMessage, isJobMessage } from './messages.ts';
import { planSnapshotWrites } from './snapshots.ts';

/** A store's polls failing this many times in a row raise a `polling_failing` event. */
export const FAILURES_BEFORE_EVENT = 3;

export interface StoreRow {
  id: string;
  workspace_id: string;
  region: Region;
  auth_state: string;
}

export type StoreEventRow = HealthEvent & { storeId: string; workspaceId: string; createdAt: number };

/** What the shell needs from the rest of the relay, passed in so tests control it. */
export interface PipelineDeps {
  now(): number;
  newId(prefix: string): string;
  /** The relay's outbound fetch (the host map applies in local runs). */
  fetch: typeof fetch;
  /** An LWA access token for the store, or the outcome that stops this step (invalid_grant...). */
  accessToken(env: Env, store: StoreRow): Promise<{ token: string } | Outcome>;
  /** Hands new events to alerting (issue 5); idempotent per event key. */
  fanOut(env: Env, events: StoreEventRow[], ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<void>;
}

async function loadStore(db: D1Database, storeId: string): Promise<StoreRow | null> {
  return db.prepare('SELECT id, workspace_id, region, auth_state FROM stores WHERE id = ?').bind(storeId).first<StoreRow>();
}

async function storeMarketplaces(db: D1Database, storeId: string): Promise<string[]> {
  const { results } = await db.prepare('SELECT marketplace_id FROM store_marketplaces WHERE store_id = ? ORDER BY marketplace_id').bind(storeId).all<{ marketplace_id: string }>();
  return results.map((r) => r.marketplace_id);
}

async function thresholdRules(db: D1Database, workspaceId: string): Promise<Record<string, unknown>> {
  const row = await db.prepare('SELECT rules FROM alert_rules WHERE workspace_id = ?').bind(workspaceId).first<{ rules: string }>();
  if (!row) return {};
  try {
    return ((JSON.parse(row.rules) as { thresholds?: Record<string, unknown> }).thresholds ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** An event insert behind the step guard (and an optional extra condition with its own binds). */
function eventStatement(db: D1Database, event: StoreEventRow, jobId: string, stepToken: string, extra?: { sql: string; binds: unknown[] }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${STEP_GUARD}${extra ? ` AND ${extra.sql}` : ''} ON CONFLICT(key) DO NOTHING RETURNING key`,
    )
    .bind(event.workspaceId, event.storeId, event.key, event.kind, event.severity, JSON.stringify(event), event.createdAt, jobId, stepToken, ...(extra?.binds ?? []));
}

/** Starts (or joins) a job for a store and takes its first step. */
export async function pollStore(env: Env, deps: PipelineDeps, ctx: Pick<ExecutionContext, 'waitUntil'>, storeId: string, trigger: 'schedule' | 'refresh'): Promise<string | null> {
  const store = await loadStore(env.DB, storeId);
  if (!store || store.auth_state !== 'ok') return null;
  const now = deps.now();
  const job = startJob(deps.newId('job'), store.id, await storeMarketplaces(env.DB, store.id), now);
  const { stored, created } = await createJob(env.DB, job, store.workspace_id, trigger, now);
  if (created) await advanceJob(env, deps, ctx, stored.job.id);
  return stored.job.id;
}

/** Steps one invocation may take back to back when the next one is due at once (e.g. DONE -> download). */
const MAX_STEPS_IN_A_ROW = 4;

/**
 * Takes one step of a job - and, when the next step is due at once, the next too (a queue hop
 * costs a second of a refresh's budget). Returns false when there was nothing to do (finished,
 * early, or another consumer took the step).
 */
export async function advanceJob(env: Env, deps: PipelineDeps, ctx: Pick<ExecutionContext, 'waitUntil'>, jobId: string, stepsLeft = MAX_STEPS_IN_A_ROW): Promise<boolean> {
  const stored = await loadJob(env.DB, jobId);
  if (!stored) return false;
  const { job, workspaceId } = stored;
  const call = plannedCall(job);
  const now = deps.now();
  // Finished, or a duplicate message ahead of its time (queues never deliver before delaySeconds,
  // so the real one is still coming; the cron resumes any job whose message got lost).
  if (!call || job.notBefore > now + 1000) return false;

  const store = await loadStore(env.DB, job.storeId);
  let outcome: Outcome;
  if (!store) outcome = { type: 'rejected', error: 'The store was removed' };
  else if (call.call === 'createReports' && call.marketplaceIds.length === 0) outcome = { type: 'rejected', error: 'The store has no marketplaces to watch' };
  else {
    const token = await deps.accessToken(env, store);
    outcome = 'token' in token ? await performCall({ endpoint: `https://${SP_API_HOSTS[store.region]}`, accessToken: token.token, fetch: deps.fetch }, call) : token;
  }

  const { job: next, effects } = nextStep(job, outcome, now);
  if (next === job) return false;
  const stepToken = deps.newId('step');
  const statements: D1PreparedStatement[] = [saveStep(env.DB, job.version, next, stepToken, now)];
  /** Events this step may write, each with the index of its insert: only rows written are news. */
  const events: Array<{ event: StoreEventRow; statement: number }> = [];

  for (const effect of effects) {
    if (effect.type === 'saveSnapshots') {
      const writes = await planSnapshotWrites(env.DB, { jobId, stepToken, storeId: job.storeId, workspaceId, thresholds: await thresholdRules(env.DB, workspaceId) }, effect.snapshots, now);
      const offset = statements.length;
      statements.push(...writes.statements);
      events.push(...writes.events.map((e) => ({ event: e.event, statement: e.statement + offset })));
    } else if (effect.type === 'markAuthLost') {
      const event: StoreEventRow = {
        key: `${job.storeId}|auth_lost|${jobId}`,
        kind: 'auth_lost',
        severity: 'critical',
        marketplaceId: null,
        metric: null,
        from: 'ok',
        to: 'lost',
        detail: {},
        storeId: job.storeId,
        workspaceId,
        createdAt: now,
      };
      statements.push(env.DB.prepare(`UPDATE stores SET auth_state = 'lost', auth_error = ? WHERE id = ? AND ${STEP_GUARD}`).bind(effect.reason, job.storeId, jobId, stepToken));
      events.push({ event, statement: statements.length });
      statements.push(eventStatement(env.DB, event, jobId, stepToken));
    }
  }
  if (next.state === 'failed' && !effects.some((e) => e.type === 'markAuthLost')) {
    statements.push(env.DB.prepare(`UPDATE stores SET poll_failures = poll_failures + 1, last_poll_error = ? WHERE id = ? AND ${STEP_GUARD}`).bind(next.error, job.storeId, jobId, stepToken));
    const failing: StoreEventRow = {
      key: `${job.storeId}|polling_failing|${jobId}`,
      kind: 'polling_failing',
      severity: 'warning',
      marketplaceId: null,
      metric: null,
      from: null,
      to: next.error,
      detail: {},
      storeId: job.storeId,
      workspaceId,
      createdAt: now,
    };
    events.push({ event: failing, statement: statements.length });
    // Raised once per failing streak: when this failure is the third in a row.
    statements.push(eventStatement(env.DB, failing, jobId, stepToken, { sql: '(SELECT poll_failures FROM stores WHERE id = ?) = ?', binds: [job.storeId, FAILURES_BEFORE_EVENT] }));
  }

  const results = await env.DB.batch(statements);
  if (results[0]?.results.length !== 1) return false; // another consumer took this step
  // RETURNING rows, not meta.changes, say which inserts wrote: an insert whose SELECT chose no
  // row must not count (a guarded insert that lost the race, a failure that is not the third).
  const written = events.filter((e) => (results[e.statement]?.results.length ?? 0) > 0).map((e) => e.event);
  if (written.length > 0) await deps.fanOut(env, written, ctx);
  for (const effect of effects) {
    if (effect.type !== 'enqueue') continue;
    // A step due at once is taken here: a queue hop would cost a refresh most of its budget.
    if (effect.delaySeconds === 0 && stepsLeft > 1) {
      await advanceJob(env, deps, ctx, jobId, stepsLeft - 1);
      continue;
    }
    await env.JOBS.send({ kind: 'step', jobId } satisfies JobMessage, { delaySeconds: effect.delaySeconds });
  }
  return true;
}

/** The queue handler for JOBS: one message at a time, each acked or retried on its own. */
export async function handleJobQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext, deps: PipelineDeps): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    if (!isJobMessage(body)) {
      console.warn('Dropping a malformed JOBS message', message.id);
      message.ack();
      continue;
    }
    try {
      if (body.kind === 'poll') await pollStore(env, deps, ctx, body.storeId, 'schedule');
      else await advanceJob(env, deps, ctx, body.jobId);
      message.ack();
    } catch (error) {
      console.error('Report job step failed; the queue will redeliver it', error instanceof Error ? error.message : String(error));
      message.retry({ delaySeconds: 5 });
    }
  }
}
