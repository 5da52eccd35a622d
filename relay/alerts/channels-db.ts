/** Writes of the channels a person manages (the reads are in settings.ts): add within the caps, edit, remove, and a test's lease. */
import type { ChannelRow } from './settings.ts';

/**
 * Adds a channel while its owner - the team (member_id NULL) or one member - has fewer than `cap`
 * channels besides the Official Account binding (one per member by construction). One statement
 * counts and inserts, so a burst of requests cannot pass the cap together; false when at the cap.
 */
export async function insertChannel(db: D1Database, row: ChannelRow, cap: number): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO channels (id, workspace_id, member_id, type, name, secret, secret_hint, language, time_zone, state, next_send_at, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'ok', 0, ?10, ?11
       WHERE (SELECT COUNT(*) FROM channels WHERE workspace_id = ?2 AND member_id IS ?3 AND type != 'oa') < ?12`,
    )
    .bind(row.id, row.workspace_id, row.member_id, row.type, row.name, row.secret, row.secret_hint, row.language, row.time_zone, row.created_at, row.updated_at, cap)
    .run();
  return result.meta.changes === 1;
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
 * Takes the channel for a test: its lease (as a delivery would), and the test's own minute, in one
 * statement that holds only when no sender has the channel, its spacing has passed and the last
 * test is a minute old (the predicate of shared/alerts/channel-test-gate.ts). Null when not now.
 */
export async function leaseForTest(db: D1Database, channelId: string, lease: string, now: number, leaseMs: number, testIntervalMs: number): Promise<ChannelRow | null> {
  return db
    .prepare(
      `UPDATE channels SET lease_token = ?1, lease_until = ?2, last_test_at = ?3
       WHERE id = ?4 AND (lease_until IS NULL OR lease_until <= ?3) AND next_send_at <= ?3 AND (last_test_at IS NULL OR last_test_at + ?5 <= ?3)
       RETURNING *`,
    )
    .bind(lease, now + leaseMs, now, channelId, testIntervalMs)
    .first<ChannelRow>();
}

/** What blocks a test right now: the lease, the spacing and the last test of the channel. */
export async function testGateOf(db: D1Database, channelId: string): Promise<{ last_test_at: number | null; next_send_at: number; lease_until: number | null } | null> {
  return db.prepare('SELECT last_test_at, next_send_at, lease_until FROM channels WHERE id = ?').bind(channelId).first();
}

/**
 * After a test: what the channel's answer said about it, its next send time (spacing after a sent
 * message), the lease released - in one batch, which also answers when the channel's earliest
 * waiting delivery is due (null when none), so the caller can wake it.
 */
export async function releaseAfterTest(
  db: D1Database,
  next: Pick<ChannelRow, 'id' | 'state' | 'broken_reason' | 'broken_at'>,
  lease: string,
  nextSendAt: number,
  unfollowed: boolean,
  at: number,
): Promise<number | null> {
  const results = await db.batch([
    db
      .prepare(
        `UPDATE channels SET state = ?1, broken_reason = ?2, broken_at = ?3, next_send_at = MAX(next_send_at, ?4), updated_at = ?5, lease_token = NULL, lease_until = NULL
         WHERE id = ?6 AND lease_token = ?7`,
      )
      .bind(next.state, next.broken_reason, next.broken_at, nextSendAt, at, next.id, lease),
    ...(unfollowed ? [db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE channel_id = ?").bind(at, next.id)] : []),
    db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE channel_id = ? AND state IN ('pending', 'failed')").bind(next.id),
  ]);
  const row = results.at(-1)?.results[0] as { at: number | null } | undefined;
  return row?.at ?? null;
}

/** A channel's state after a send outside the outbox (the daily digest): broken, or unfollowed on the Official Account. */
export async function markChannelState(db: D1Database, next: Pick<ChannelRow, 'id' | 'state' | 'broken_reason' | 'broken_at'>, unfollowed: boolean, at: number): Promise<void> {
  await db.prepare('UPDATE channels SET state = ?, broken_reason = ?, broken_at = ?, updated_at = ? WHERE id = ?').bind(next.state, next.broken_reason, next.broken_at, at, next.id).run();
  if (unfollowed) await db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE channel_id = ?").bind(at, next.id).run();
}
