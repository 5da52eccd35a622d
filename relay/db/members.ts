/** Workspaces, members and their API tokens. Every read that starts from a token is scoped by it. */
import type { Caller } from '../auth/caller.ts';

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
  return [
    db.prepare('INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)').bind(m.memberId, m.workspaceId, m.name, m.role, now),
    db
      .prepare('INSERT INTO api_tokens (id, workspace_id, member_id, token_hash, device, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(m.tokenId, m.workspaceId, m.memberId, m.tokenHash, m.device, now),
  ];
}

/**
 * A workspace and its first owner, in one transaction. With `onlyIfFirst` the workspace row takes
 * its creation time only while the relay has no workspace: otherwise the time is NULL, the NOT NULL
 * constraint fails the statement and D1 rolls the whole batch back, so two racing setups cannot
 * both pass and nothing of the refused one is written. False when it was refused so.
 */
export async function createWorkspace(db: D1Database, workspaceName: string, owner: Omit<NewMember, 'role'>, now: number, onlyIfFirst = false): Promise<boolean> {
  const workspace = onlyIfFirst
    ? db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?1, ?2, (SELECT ?3 WHERE NOT EXISTS (SELECT 1 FROM workspaces)))').bind(owner.workspaceId, workspaceName, now)
    : db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(owner.workspaceId, workspaceName, now);
  try {
    await db.batch([workspace, ...insertMemberStatements(db, { ...owner, role: 'owner' }, now)]);
  } catch (error) {
    if (onlyIfFirst && error instanceof Error && /NOT NULL constraint failed: workspaces\.created_at/.test(error.message)) return false;
    throw error;
  }
  return true;
}

/** The caller behind a token hash, if the token and its member are both live. */
export async function findCallerByTokenHash(db: D1Database, tokenHash: string): Promise<Caller | null> {
  const row = await db
    .prepare(
      `SELECT m.id AS member_id, m.workspace_id, m.role FROM api_tokens t JOIN members m ON m.id = t.member_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND m.revoked_at IS NULL`,
    )
    .bind(tokenHash)
    .first<{ member_id: string; workspace_id: string; role: Caller['role'] }>();
  return row ? { workspaceId: row.workspace_id, memberId: row.member_id, role: row.role } : null;
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
