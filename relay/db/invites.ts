/** Pairing invites: stored as the code's hash, single use, expiring, with a count of presentations. */

/** A code stops working after this many presentations, even unexpired (guessing a live code). */
export const MAX_INVITE_ATTEMPTS = 5;

export async function insertInvite(
  db: D1Database,
  invite: { id: string; workspaceId: string; createdBy: string; codeHash: string; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .prepare('INSERT INTO invites (id, workspace_id, created_by, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(invite.id, invite.workspaceId, invite.createdBy, invite.codeHash, invite.expiresAt, now)
    .run();
}

/**
 * Takes the invite if it is live: one UPDATE, so two pairings racing for one code cannot both win.
 * Any presentation of a known code counts as an attempt. Returns the workspace or why not.
 */
export async function claimInvite(
  db: D1Database,
  codeHash: string,
  now: number,
): Promise<{ ok: true; workspaceId: string; inviteId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' }> {
  const claimed = await db
    .prepare(
      `UPDATE invites SET used_at = ?, attempts = attempts + 1
       WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?
       RETURNING id, workspace_id`,
    )
    .bind(now, codeHash, now, MAX_INVITE_ATTEMPTS)
    .first<{ id: string; workspace_id: string }>();
  if (claimed) return { ok: true, workspaceId: claimed.workspace_id, inviteId: claimed.id };
  const row = await db
    .prepare('UPDATE invites SET attempts = attempts + 1 WHERE code_hash = ? RETURNING used_at, expires_at, attempts')
    .bind(codeHash)
    .first<{ used_at: number | null; expires_at: number; attempts: number }>();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'locked' };
}

/** Records who used an invite (after the member row exists). */
export function markInviteUsedByStatement(db: D1Database, inviteId: string, memberId: string): D1PreparedStatement {
  return db.prepare('UPDATE invites SET used_by = ? WHERE id = ?').bind(memberId, inviteId);
}
