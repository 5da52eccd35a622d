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

/** What a scan leaves for its member to confirm: who scanned (sealed, and its hash), and when. */
export interface ScannedBy {
  sealedOpenid: string;
  openidHash: string;
  hint: string;
}

/**
 * A scan of the member's QR code: the scene is spent, and the WeChat user that scanned waits for
 * the member's confirmation (relay/routes/wechat.ts) before anything is sent to it.
 */
export function scannedStatement(db: D1Database, binding: PendingScene, scanned: ScannedBy, now: number): D1PreparedStatement {
  return db
    .prepare('UPDATE oa_bindings SET scanned_openid = ?, scanned_openid_hash = ?, scanned_hint = ?, scanned_at = ?, scene_expires_at = ?, updated_at = ? WHERE member_id = ?')
    .bind(scanned.sealedOpenid, scanned.openidHash, scanned.hint, now, now, now, binding.member_id);
}

export interface BindingRow {
  member_id: string;
  workspace_id: string;
  state: 'pending' | 'bound' | 'disabled';
  channel_id: string | null;
  scanned_openid: string | null;
  scanned_openid_hash: string | null;
  scanned_hint: string | null;
  scanned_at: number | null;
  hint: string | null;
}

/** The member's binding, with the bound channel's masked id. */
export async function findBinding(db: D1Database, memberId: string): Promise<BindingRow | null> {
  return db
    .prepare(
      `SELECT b.member_id, b.workspace_id, b.state, b.channel_id, b.scanned_openid, b.scanned_openid_hash, b.scanned_hint, b.scanned_at, c.secret_hint AS hint
       FROM oa_bindings b LEFT JOIN channels c ON c.id = b.channel_id WHERE b.member_id = ?`,
    )
    .bind(memberId)
    .first<BindingRow>();
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
      .prepare(
        `UPDATE oa_bindings SET state = 'bound', openid_hash = ?, channel_id = ?, scene_expires_at = ?, scanned_openid = NULL, scanned_openid_hash = NULL,
           scanned_hint = NULL, scanned_at = NULL, updated_at = ? WHERE member_id = ?`,
      )
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
    // Someone who scanned and left before the member confirmed: nothing left to confirm.
    db.prepare('UPDATE oa_bindings SET scanned_openid = NULL, scanned_openid_hash = NULL, scanned_hint = NULL, scanned_at = NULL, updated_at = ? WHERE scanned_openid_hash = ?').bind(now, openidHash),
  ];
}

/** Whether WeChat's event FromUserName + CreateTime was handled already. */
export async function callbackSeen(db: D1Database, fromUser: string, createTime: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM wechat_callbacks_seen WHERE from_user = ? AND create_time = ?').bind(fromUser, createTime).first()) !== null;
}

/**
 * Records WeChat's timestamp + nonce with the body's hash and answers the hash first recorded for
 * them: another body under the same signature is a replay (the plaintext-mode signature does not
 * cover the body).
 */
export async function firstBodyFor(db: D1Database, timestamp: string, nonce: string, bodyHash: string, now: number, windowMs: number): Promise<string | null> {
  const [, , first] = await db.batch<{ body_hash: string }>([
    // Past the window WeChat's timestamp is refused anyway: those nonces need not be kept.
    db.prepare('DELETE FROM wechat_nonces WHERE seen_at < ?').bind(now - windowMs),
    db.prepare('INSERT INTO wechat_nonces (timestamp, nonce, body_hash, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').bind(timestamp, nonce, bodyHash, now),
    db.prepare('SELECT body_hash FROM wechat_nonces WHERE timestamp = ? AND nonce = ?').bind(timestamp, nonce),
  ]);
  return first?.results[0]?.body_hash ?? null;
}

export function markCallbackSeen(db: D1Database, fromUser: string, createTime: string, now: number): D1PreparedStatement {
  return db.prepare('INSERT INTO wechat_callbacks_seen (from_user, create_time, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').bind(fromUser, createTime, now);
}
