/**
 * "Connect with Amazon" states: hashed, single use, expiring, bound to the member who started, to
 * the browser that opened the relay's start page (SHA-256 of a cookie's secret), and to the store
 * being re-authorized, if any.
 */
import type { Region } from '../../shared/types.ts';

export interface OAuthState {
  workspaceId: string;
  workspaceName: string;
  memberId: string;
  region: Region;
  browserHash: string | null;
  storeId: string | null;
  /** Held between Amazon's redirect and the confirmation: the sealed code and the seller. */
  pendingCode: string | null;
  pendingSeller: string | null;
}

interface Row {
  workspace_id: string;
  workspace_name: string;
  member_id: string;
  region: Region;
  browser_hash: string | null;
  store_id: string | null;
  pending_code: string | null;
  pending_seller: string | null;
}

const toState = (r: Row): OAuthState => ({
  workspaceId: r.workspace_id,
  workspaceName: r.workspace_name,
  memberId: r.member_id,
  region: r.region,
  browserHash: r.browser_hash,
  storeId: r.store_id,
  pendingCode: r.pending_code,
  pendingSeller: r.pending_seller,
});

export async function insertOAuthState(
  db: D1Database,
  s: { stateHash: string; workspaceId: string; memberId: string; region: Region; expiresAt: number; storeId: string | null },
  now: number,
): Promise<void> {
  await db
    .prepare('INSERT INTO oauth_states (state_hash, workspace_id, member_id, region, expires_at, created_at, store_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(s.stateHash, s.workspaceId, s.memberId, s.region, s.expiresAt, now, s.storeId)
    .run();
}

/** The first browser to open the start page claims the state; later ones get null. */
export async function claimOAuthBrowser(db: D1Database, stateHash: string, browserHash: string, now: number): Promise<Region | null> {
  const row = await db
    .prepare('UPDATE oauth_states SET browser_hash = ? WHERE state_hash = ? AND browser_hash IS NULL AND used_at IS NULL AND expires_at > ? RETURNING region')
    .bind(browserHash, stateHash, now)
    .first<{ region: Region }>();
  return row?.region ?? null;
}

/** The live (unused, unexpired) state, without using it up: the confirmation page reads it. */
export async function peekOAuthState(db: D1Database, stateHash: string, now: number): Promise<OAuthState | null> {
  const row = await db
    .prepare(
      `SELECT s.workspace_id, w.name AS workspace_name, s.member_id, s.region, s.browser_hash, s.store_id, s.pending_code, s.pending_seller
       FROM oauth_states s JOIN workspaces w ON w.id = s.workspace_id WHERE s.state_hash = ? AND s.used_at IS NULL AND s.expires_at > ?`,
    )
    .bind(stateHash, now)
    .first<Row>();
  return row ? toState(row) : null;
}

/** Amazon's answer, kept on the live state until the person confirms (the newest answer wins). */
export async function holdConsent(db: D1Database, stateHash: string, sealedCode: string, sellerId: string, now: number): Promise<void> {
  await db
    .prepare('UPDATE oauth_states SET pending_code = ?, pending_seller = ? WHERE state_hash = ? AND used_at IS NULL AND expires_at > ?')
    .bind(sealedCode, sellerId, stateHash, now)
    .run();
}

/** Uses the state up in one UPDATE: a replay, or a state past its expiry, gets null. */
export async function consumeOAuthState(db: D1Database, stateHash: string, now: number): Promise<OAuthState | null> {
  const row = await db
    .prepare(
      `UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING workspace_id, (SELECT name FROM workspaces WHERE id = oauth_states.workspace_id) AS workspace_name, member_id, region, browser_hash, store_id,
         pending_code, pending_seller`,
    )
    .bind(now, stateHash, now)
    .first<Row>();
  if (!row) return null;
  // Read above (RETURNING gives the row as updated, so the same statement could not clear it).
  await db.prepare('UPDATE oauth_states SET pending_code = NULL WHERE state_hash = ?').bind(stateHash).run();
  return toState(row);
}
