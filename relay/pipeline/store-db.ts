/**
 * What the pipeline reads and writes of a store: its polling state, its marketplaces, its cached
 * access token, and the store updates that ride in a step's batch behind the step guard.
 */
import type { Region } from '../../shared/types.ts';
import { STEP_GUARD } from './jobs-db.ts';

export interface StoreRow {
  id: string;
  workspace_id: string;
  region: Region;
  auth_state: string;
  paused: number;
  poll_failures: number;
}

/** The step a statement rides with: it applies only in the batch whose `saveStep` won. */
export interface StepGuard {
  jobId: string;
  stepToken: string;
}

export async function loadStore(db: D1Database, storeId: string): Promise<StoreRow | null> {
  return db.prepare('SELECT id, workspace_id, region, auth_state, paused, poll_failures FROM stores WHERE id = ?').bind(storeId).first<StoreRow>();
}

export async function storeMarketplaces(db: D1Database, storeId: string): Promise<string[]> {
  const { results } = await db.prepare('SELECT marketplace_id FROM store_marketplaces WHERE store_id = ? ORDER BY marketplace_id').bind(storeId).all<{ marketplace_id: string }>();
  return results.map((r) => r.marketplace_id);
}

/** Drops the store's cached LWA access token, so the next call asks Login with Amazon again. */
export async function forgetAccessToken(db: D1Database, storeId: string): Promise<void> {
  await db.prepare('DELETE FROM access_tokens WHERE store_id = ?').bind(storeId).run();
}

function guarded(db: D1Database, guard: StepGuard, sql: string, ...binds: unknown[]): D1PreparedStatement {
  return db.prepare(`${sql} AND ${STEP_GUARD}`).bind(...binds, guard.jobId, guard.stepToken);
}

/** The authorization is lost; the cached access token goes too: after re-authorization it must not be used again. */
export function markAuthLostStatements(db: D1Database, guard: StepGuard, storeId: string, reason: string, now: number): D1PreparedStatement[] {
  return [
    guarded(db, guard, "UPDATE stores SET auth_state = 'lost', auth_error = ?, updated_at = ? WHERE id = ?", reason.slice(0, 500), now, storeId),
    guarded(db, guard, 'DELETE FROM access_tokens WHERE store_id = ?', storeId),
  ];
}

/** A finished job's mark on its store: checked (and the schedule moved), or one more failure in a row. */
export function jobFinishedStatement(db: D1Database, guard: StepGuard, storeId: string, outcome: 'done' | 'failed', error: string | null, now: number): D1PreparedStatement {
  return outcome === 'done'
    ? // A fresh check also counts for the schedule: a refresh right before a due poll saves that poll.
      guarded(
        db,
        guard,
        'UPDATE stores SET last_checked_at = ?1, next_poll_at = MAX(next_poll_at, ?1 + poll_interval_minutes * 60000), poll_failures = 0, last_poll_error = NULL WHERE id = ?2',
        now,
        storeId,
      )
    : guarded(db, guard, 'UPDATE stores SET poll_failures = poll_failures + 1, last_poll_error = ? WHERE id = ?', (error ?? '').slice(0, 500), storeId);
}
