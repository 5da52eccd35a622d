/** "Connect with Amazon" states: hashed, single use, expiring, bound to the member who started. */
import type { Region } from '../../shared/types.ts';

export async function insertOAuthState(
  db: D1Database,
  s: { stateHash: string; workspaceId: string; memberId: string; region: Region; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .prepare('INSERT INTO oauth_states (state_hash, workspace_id, member_id, region, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(s.stateHash, s.workspaceId, s.memberId, s.region, s.expiresAt, now)
    .run();
}

/** Uses the state up in one UPDATE: a replay, or a state past its expiry, gets null. */
export async function consumeOAuthState(
  db: D1Database,
  stateHash: string,
  now: number,
): Promise<{ workspaceId: string; memberId: string; region: Region } | null> {
  const row = await db
    .prepare('UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING workspace_id, member_id, region')
    .bind(now, stateHash, now)
    .first<{ workspace_id: string; member_id: string; region: Region }>();
  return row ? { workspaceId: row.workspace_id, memberId: row.member_id, region: row.region } : null;
}
