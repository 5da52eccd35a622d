/**
 * Workspaces, members and their API tokens (a token is a member's device). Every read that starts
 * from a token is scoped by it; every read by id takes the workspace and puts it in the WHERE.
 */
import type { Caller } from '../auth/caller.ts';

/** A device's last use is written at most this often: one write per token per few minutes, not per request. */
export const LAST_SEEN_EVERY_MS = 5 * 60_000;

export interface NewMember {
  workspaceId: string;
  memberId: string;
  name: string;
  role: Caller['role'];
  tokenId: string;
  tokenHash: string;
  device: string;
}

/** Statements that add a member with its first token (to run in one batch with others). */
export function insertMemberStatements(db: D1Database, m: NewMember, now: number): D1PreparedStatement[] {
  return [db.prepare('INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)').bind(m.memberId, m.workspaceId, m.name, m.role, now), insertTokenStatement(db, m, now)];
}

/**
 * The member an enrolment code creates, unless an earlier device of the same code already did:
 * profiles pairing at once with one code all land on one member.
 */
export function ensureMemberStatement(db: D1Database, m: { workspaceId: string; memberId: string; name: string }, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, ?, ?, 'member', ?) ON CONFLICT (id) DO NOTHING")
    .bind(m.memberId, m.workspaceId, m.name, now);
}

/** One more device (token) of a member. */
export function insertTokenStatement(db: D1Database, t: { workspaceId: string; memberId: string; tokenId: string; tokenHash: string; device: string }, now: number): D1PreparedStatement {
  return db
    .prepare('INSERT INTO api_tokens (id, workspace_id, member_id, token_hash, device, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(t.tokenId, t.workspaceId, t.memberId, t.tokenHash, t.device, now);
}

/** A member of the workspace (live or removed), or null: enrolment codes check who they enrol. */
export async function findMember(db: D1Database, workspaceId: string, memberId: string): Promise<{ id: string; role: Caller['role']; revoked: boolean } | null> {
  const row = await db
    .prepare('SELECT id, role, revoked_at FROM members WHERE id = ? AND workspace_id = ?')
    .bind(memberId, workspaceId)
    .first<{ id: string; role: Caller['role']; revoked_at: number | null }>();
  return row ? { id: row.id, role: row.role, revoked: row.revoked_at !== null } : null;
}

/**
 * A workspace and its first owner, in one transaction with `extra` (the owner's enrolment code).
 * With `onlyIfFirst` the workspace row takes its creation time only while the relay has no
 * workspace: otherwise the time is NULL, the NOT NULL constraint fails the statement and D1 rolls
 * the whole batch back, so two racing setups cannot both pass and nothing of the refused one is
 * written. False when it was refused so.
 */
export async function createWorkspace(
  db: D1Database,
  workspaceName: string,
  owner: Omit<NewMember, 'role'>,
  now: number,
  extra: readonly D1PreparedStatement[] = [],
  onlyIfFirst = false,
): Promise<boolean> {
  const workspace = onlyIfFirst
    ? db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?1, ?2, (SELECT ?3 WHERE NOT EXISTS (SELECT 1 FROM workspaces)))').bind(owner.workspaceId, workspaceName, now)
    : db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(owner.workspaceId, workspaceName, now);
  try {
    await db.batch([workspace, ...insertMemberStatements(db, { ...owner, role: 'owner' }, now), ...extra]);
  } catch (error) {
    if (onlyIfFirst && error instanceof Error && /NOT NULL constraint failed: workspaces\.created_at/.test(error.message)) return false;
    throw error;
  }
  return true;
}

/** The caller behind a token hash, if the token and its member are both live, with the token's id and last use. */
export async function findCallerByTokenHash(db: D1Database, tokenHash: string): Promise<(Caller & { tokenId: string; lastSeenAt: number | null }) | null> {
  const row = await db
    .prepare(
      `SELECT m.id AS member_id, m.workspace_id, m.role, t.id AS token_id, t.last_seen_at FROM api_tokens t JOIN members m ON m.id = t.member_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND m.revoked_at IS NULL`,
    )
    .bind(tokenHash)
    .first<{ member_id: string; workspace_id: string; role: Caller['role']; token_id: string; last_seen_at: number | null }>();
  return row ? { workspaceId: row.workspace_id, memberId: row.member_id, role: row.role, tokenId: row.token_id, lastSeenAt: row.last_seen_at } : null;
}

/** Notes a device's use, unless it was noted less than LAST_SEEN_EVERY_MS ago (the caller checks first, so most requests write nothing). */
export async function touchToken(db: D1Database, tokenId: string, now: number): Promise<void> {
  await db
    .prepare('UPDATE api_tokens SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at <= ?)')
    .bind(now, tokenId, now - LAST_SEEN_EVERY_MS)
    .run();
}

export interface DeviceRow {
  id: string;
  member_id: string;
  device: string;
  created_at: number;
  last_seen_at: number | null;
}

/** Live devices of the workspace (or of one member of it), oldest first. */
export async function listDevices(db: D1Database, workspaceId: string, memberId?: string): Promise<DeviceRow[]> {
  const byMember = memberId === undefined ? '' : ' AND member_id = ?';
  const stmt = db.prepare(`SELECT id, member_id, device, created_at, last_seen_at FROM api_tokens WHERE workspace_id = ? AND revoked_at IS NULL${byMember} ORDER BY created_at, id`);
  const { results } = await (memberId === undefined ? stmt.bind(workspaceId) : stmt.bind(workspaceId, memberId)).all<DeviceRow>();
  return results;
}

/** Live members of the workspace, owners first, then by when they joined. */
export async function listMembers(db: D1Database, workspaceId: string): Promise<Array<{ id: string; name: string; role: Caller['role'] }>> {
  const { results } = await db
    .prepare("SELECT id, name, role FROM members WHERE workspace_id = ? AND revoked_at IS NULL ORDER BY role = 'owner' DESC, created_at, id")
    .bind(workspaceId)
    .all<{ id: string; name: string; role: Caller['role'] }>();
  return results;
}

/** The live device `deviceId` of the workspace, with its member; null if there is none. */
export async function findDevice(db: D1Database, workspaceId: string, deviceId: string): Promise<{ id: string; memberId: string } | null> {
  const row = await db
    .prepare('SELECT id, member_id FROM api_tokens WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL')
    .bind(deviceId, workspaceId)
    .first<{ id: string; member_id: string }>();
  return row ? { id: row.id, memberId: row.member_id } : null;
}

/** Revokes one device (token) of the workspace; true when it was live. */
export async function revokeDevice(db: D1Database, workspaceId: string, deviceId: string, now: number): Promise<boolean> {
  const res = await db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL').bind(now, deviceId, workspaceId).run();
  return res.meta.changes > 0;
}

/**
 * Offboards a member in one transaction: the member and every token of theirs stop at once (the
 * auth lookup checks both), their personal channels go (their deliveries by the foreign key), and
 * their Official Account binding and preferences with them. The member row stays, revoked, for the
 * alert history. False when no live member of the workspace has that id.
 */
export async function offboardMember(db: D1Database, workspaceId: string, memberId: string, now: number): Promise<boolean> {
  const results = await db.batch([
    db.prepare('UPDATE members SET revoked_at = ? WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL').bind(now, memberId, workspaceId),
    db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND workspace_id = ? AND revoked_at IS NULL').bind(now, memberId, workspaceId),
    db.prepare('DELETE FROM channels WHERE member_id = ? AND workspace_id = ?').bind(memberId, workspaceId),
    db.prepare('DELETE FROM oa_bindings WHERE member_id = ? AND workspace_id = ?').bind(memberId, workspaceId),
    db.prepare('DELETE FROM member_prefs WHERE member_id = ? AND workspace_id = ?').bind(memberId, workspaceId),
    // Codes that would enrol more devices of this member die with them.
    db.prepare('UPDATE invites SET used_at = COALESCE(used_at, ?), uses = devices WHERE member_id = ? AND workspace_id = ?').bind(now, memberId, workspaceId),
  ]);
  return (results[0]?.meta.changes ?? 0) > 0;
}

export interface MeRow {
  workspace_id: string;
  workspace_name: string;
  member_id: string;
  name: string;
  role: Caller['role'];
}

export async function describeMember(db: D1Database, caller: Caller): Promise<MeRow | null> {
  return db
    .prepare(
      `SELECT w.id AS workspace_id, w.name AS workspace_name, m.id AS member_id, m.name, m.role
       FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.id = ? AND m.workspace_id = ?`,
    )
    .bind(caller.memberId, caller.workspaceId)
    .first<MeRow>();
}

/** Revokes one token of the caller (by hash); true when it was live. */
export async function revokeToken(db: D1Database, caller: Caller, tokenHash: string, now: number): Promise<boolean> {
  const res = await db
    .prepare('UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND member_id = ? AND workspace_id = ? AND revoked_at IS NULL')
    .bind(now, tokenHash, caller.memberId, caller.workspaceId)
    .run();
  return res.meta.changes > 0;
}

/** Whether a member still belongs to a workspace and is not revoked (OAuth callbacks re-check it). */
export async function isActiveMember(db: D1Database, workspaceId: string, memberId: string): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS ok FROM members WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL').bind(memberId, workspaceId).first();
  return row !== null;
}
