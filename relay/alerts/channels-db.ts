/** Writes of the channels a person manages (the reads are in settings.ts): add, edit, remove, mark. */
import type { ChannelRow } from './settings.ts';

export async function insertChannel(db: D1Database, row: ChannelRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, language, time_zone, state, next_send_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', 0, ?, ?)`,
    )
    .bind(row.id, row.workspace_id, row.member_id, row.type, row.name, row.secret, row.secret_hint, row.language, row.time_zone, row.created_at, row.updated_at)
    .run();
}

/** Saves what a person may change of a channel: its name, language, time zone, secret and state. */
export async function updateChannel(db: D1Database, next: ChannelRow): Promise<void> {
  await db
    .prepare(
      `UPDATE channels SET name = ?, language = ?, time_zone = ?, secret = ?, secret_hint = ?, state = ?, broken_reason = ?, broken_at = ?, updated_at = ?
       WHERE id = ?`,
    )
    .bind(next.name, next.language, next.time_zone, next.secret, next.secret_hint, next.state, next.broken_reason, next.broken_at, next.updated_at, next.id)
    .run();
}

/** Removes a channel and its Official Account binding together. */
export async function deleteChannel(db: D1Database, channelId: string): Promise<void> {
  await db.batch([db.prepare('DELETE FROM oa_bindings WHERE channel_id = ?').bind(channelId), db.prepare('DELETE FROM channels WHERE id = ?').bind(channelId)]);
}

/**
 * Records what a channel's own answer said about it; a person who unfollowed the Official Account
 * also disables their binding, so no new QR scan is needed to see why.
 */
export async function markChannelState(db: D1Database, next: Pick<ChannelRow, 'id' | 'state' | 'broken_reason' | 'broken_at'>, unfollowed: boolean, at: number): Promise<void> {
  await db.prepare('UPDATE channels SET state = ?, broken_reason = ?, broken_at = ?, updated_at = ? WHERE id = ?').bind(next.state, next.broken_reason, next.broken_at, at, next.id).run();
  if (unfollowed) await db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE channel_id = ?").bind(at, next.id).run();
}
