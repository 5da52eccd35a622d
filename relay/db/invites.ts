/**
 * Enrolment (pairing) codes: stored as the code's hash, expiring, good for `devices` pairings,
 * each adding a device (API token) to one member. Refused presentations are counted; a code
 * presented wrongly too often (used up, expired) locks.
 */

/** A code stops working after this many refused presentations, even unexpired. */
export const MAX_INVITE_ATTEMPTS = 5;

export interface NewInvite {
  id: string;
  workspaceId: string;
  createdBy: string;
  codeHash: string;
  expiresAt: number;
  devices: number;
  /** The member the devices join: an existing one, or the id the first pairing will create. */
  memberId: string;
  newMember: boolean;
  /** The new member's name (default: the first device's label). */
  memberName: string | null;
}

/** The statement that stores an invite (run alone, or in one batch with the workspace it belongs to). */
export function insertInviteStatement(db: D1Database, invite: NewInvite, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO invites (id, workspace_id, created_by, code_hash, expires_at, created_at, devices, member_id, new_member, member_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(invite.id, invite.workspaceId, invite.createdBy, invite.codeHash, invite.expiresAt, now, invite.devices, invite.memberId, Number(invite.newMember), invite.memberName);
}

export interface ClaimedInvite {
  ok: true;
  inviteId: string;
  workspaceId: string;
  /** null only for codes made before enrolment codes existed: a new member per pairing. */
  memberId: string | null;
  newMember: boolean;
  memberName: string | null;
}

/**
 * Takes one pairing of the code if it has one left: one UPDATE, so pairings racing for the last
 * use cannot both win. A refused presentation of a known code counts toward its lock.
 */
export async function claimInvite(
  db: D1Database,
  codeHash: string,
  now: number,
): Promise<ClaimedInvite | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' }> {
  const claimed = await db
    .prepare(
      `UPDATE invites SET uses = uses + 1, used_at = CASE WHEN uses + 1 >= devices THEN ? ELSE used_at END
       WHERE code_hash = ? AND uses < devices AND expires_at > ? AND attempts < ?
       RETURNING id, workspace_id, member_id, new_member, member_name`,
    )
    .bind(now, codeHash, now, MAX_INVITE_ATTEMPTS)
    .first<{ id: string; workspace_id: string; member_id: string | null; new_member: number; member_name: string | null }>();
  if (claimed) {
    return { ok: true, inviteId: claimed.id, workspaceId: claimed.workspace_id, memberId: claimed.member_id, newMember: claimed.new_member === 1, memberName: claimed.member_name };
  }
  const row = await db
    .prepare('UPDATE invites SET attempts = attempts + 1 WHERE code_hash = ? RETURNING uses, devices, expires_at')
    .bind(codeHash)
    .first<{ uses: number; devices: number; expires_at: number }>();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.uses >= row.devices) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'locked' };
}

/** Records who used an invite (after the member row exists); the latest device's member for enrolment codes. */
export function markInviteUsedByStatement(db: D1Database, inviteId: string, memberId: string): D1PreparedStatement {
  return db.prepare('UPDATE invites SET used_by = ? WHERE id = ?').bind(memberId, inviteId);
}
