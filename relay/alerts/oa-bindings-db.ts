/**
 * Official Account bindings in D1: the member's pending QR scene, binding it to a channel when
 * WeChat reports the scan, disabling it on unfollow, and the callbacks already seen (replays).
 * The write helpers return statements, so a callback's changes and its "seen" mark go in one batch.
 */
import { maskSecret } from '../../shared/alerts/channel-secrets.ts';

/** One QR per member: a new one replaces the scene of the last, which then binds nothing. */
export async function savePendingScene(db: D1Database, binding: { memberId: string; workspaceId: string; scene: string; expiresAt: number }, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO oa_bindings (member_id, workspace_id, scene, scene_expires_at, state, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT(member_id) DO UPDATE SET scene = excluded.scene, scene_expires_at = excluded.scene_expires_at,
         state = CASE WHEN oa_bindings.state = 'bound' THEN 'bound' ELSE 'pending' END, updated_at = excluded.updated_at`,
    )
    .bind(binding.memberId, binding.workspaceId, binding.scene, binding.expiresAt, now)
    .run();
}

export interface PendingScene {
  member_id: string;
  workspace_id: string;
  channel_id: string | null;
}

/** The binding waiting for this scene, unless it has expired or was spent. */
export async function findPendingScene(db: D1Database, scene: string, now: number): Promise<PendingScene | null> {
  return db.prepare('SELECT member_id, workspace_id, channel_id FROM oa_bindings WHERE scene = ? AND scene_expires_at > ?').bind(scene, now).first<PendingScene>();
}

/**
 * Statements that bind the member's Official Account channel to `sealedOpenid` (creating the
 * channel the first time) and spend the scene: the same QR, or a replay of its scan, binds nothing more.
 */
export function bindStatements(
  db: D1Database,
  binding: PendingScene,
  channel: { id: string; sealedOpenid: string; openid: string; openidHash: string },
  now: number,
): D1PreparedStatement[] {
  const upsertChannel = binding.channel_id
    ? db
        .prepare("UPDATE channels SET secret = ?, secret_hint = ?, state = 'ok', broken_reason = NULL, broken_at = NULL, updated_at = ? WHERE id = ?")
        .bind(channel.sealedOpenid, maskSecret(channel.openid), now, channel.id)
    : db
        .prepare(
          `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, state, next_send_at, created_at, updated_at)
           VALUES (?, ?, ?, 'oa', '微信公众号', ?, ?, 'ok', 0, ?, ?)`,
        )
        .bind(channel.id, binding.workspace_id, binding.member_id, channel.sealedOpenid, maskSecret(channel.openid), now, now);
  return [
    upsertChannel,
    db
      .prepare("UPDATE oa_bindings SET state = 'bound', openid_hash = ?, channel_id = ?, scene_expires_at = ?, updated_at = ? WHERE member_id = ?")
      .bind(channel.openidHash, channel.id, now, now, binding.member_id),
  ];
}

/** Statements that mark the person's channel broken and their binding disabled (they unfollowed). */
export function unfollowStatements(db: D1Database, openidHash: string, now: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE channels SET state = 'broken', broken_reason = 'the user unfollowed the Official Account', broken_at = ?, updated_at = ?
         WHERE id IN (SELECT channel_id FROM oa_bindings WHERE openid_hash = ?)`,
      )
      .bind(now, now, openidHash),
    db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE openid_hash = ?").bind(now, openidHash),
  ];
}

/** Whether WeChat's event FromUserName + CreateTime was handled already. */
export async function callbackSeen(db: D1Database, fromUser: string, createTime: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM wechat_callbacks_seen WHERE from_user = ? AND create_time = ?').bind(fromUser, createTime).first()) !== null;
}

export function markCallbackSeen(db: D1Database, fromUser: string, createTime: string, now: number): D1PreparedStatement {
  return db.prepare('INSERT INTO wechat_callbacks_seen (from_user, create_time, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').bind(fromUser, createTime, now);
}
