/**
 * What the pipeline (relay/pipeline/, a later issue) needs of stores: which are due, their
 * refresh token opened for one call, and recording a check or a lost authorization.
 */
import { type Keyring, open, refreshTokenContext } from '../crypto/secrets.ts';
import type { StoreRow } from './stores.ts';

/** Authorized, unpaused stores whose next poll is due, oldest due first (index stores_due). */
export async function dueStores(db: D1Database, now: number, limit: number): Promise<StoreRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, workspace_id, name, region, seller_id, poll_interval_minutes, paused, auth_state, auth_error, last_checked_at, next_poll_at, created_at
       FROM stores WHERE auth_state = 'ok' AND paused = 0 AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?`,
    )
    .bind(now, limit)
    .all<StoreRow>();
  return results;
}

/** The store's refresh token in clear, for the LWA exchange only: never log or return it. */
export async function openRefreshToken(db: D1Database, keyring: Keyring, storeId: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT workspace_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id FROM stores WHERE id = ?')
    .bind(storeId)
    .first<{ workspace_id: string; refresh_token_ciphertext: string; refresh_token_iv: string; refresh_token_key_id: string }>();
  if (!row) return null;
  return open(keyring, { ciphertext: row.refresh_token_ciphertext, iv: row.refresh_token_iv, keyId: row.refresh_token_key_id }, refreshTokenContext(row.workspace_id, storeId));
}

/** Moves a store's next poll out by its interval (call when a poll is scheduled or finished). */
export function recordCheckStatement(db: D1Database, storeId: string, checkedAt: number): D1PreparedStatement {
  return db
    .prepare('UPDATE stores SET last_checked_at = ?, next_poll_at = ? + poll_interval_minutes * 60000, updated_at = ? WHERE id = ?')
    .bind(checkedAt, checkedAt, checkedAt, storeId);
}

/** LWA said `invalid_grant`: stop polling until the seller authorizes again (DOMAIN.md section 3). */
export async function markAuthLost(db: D1Database, storeId: string, reason: string, now: number): Promise<void> {
  await db.prepare("UPDATE stores SET auth_state = 'lost', auth_error = ?, updated_at = ? WHERE id = ?").bind(reason.slice(0, 500), now, storeId).run();
}
