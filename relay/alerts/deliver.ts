/**
 * The outbox shell for one channel: lease -> load -> decide (shared/alerts/outbox.ts) -> save
 * (compare-and-set) -> send -> decide -> save -> wake. Called right after fan-out, by the
 * DELIVERIES queue consumer and via the cron sweep; any of them may run twice or die anywhere,
 * and the outcome is still one message per batch (see the guarantee in shared/alerts/outbox.ts).
 */
import type { ChannelVerdict } from '../../shared/alerts/channel-verdicts.ts';
import { type Delivery, type DeliveryState, OUTBOX, type OutboxEffect, nextStep } from '../../shared/alerts/outbox.ts';
import type { AlertCategory, Language } from '../../shared/alerts/rules.ts';
import type { MessageItem } from '../../shared/messages/facts.ts';
import { renderForChannel } from '../../shared/messages/render.ts';
import type { HealthEvent } from '../../shared/types.ts';
import { sendToChannel } from '../channels/send.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
import { type ChannelRow, prefsFromJson } from './settings.ts';
import { wakeChannels } from './wake.ts';

interface DeliveryDbRow {
  id: number;
  channel_id: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  claim_token: string | null;
  claimed_at: number | null;
  message_key: string | null;
  last_error: string | null;
  sent_at: number | null;
  message_id: string | null;
}

function toDelivery(r: DeliveryDbRow): Delivery {
  return {
    id: String(r.id),
    channelId: r.channel_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    claimToken: r.claim_token,
    claimedAt: r.claimed_at,
    messageKey: r.message_key,
    lastError: r.last_error,
    sentAt: r.sent_at,
    messageId: r.message_id,
  };
}

/** At most this many deliveries in one message; more wait for the next (the message summarises anyway). */
const BATCH_LIMIT = 200;

export type DeliverResult =
  /** Another sender holds the channel's lease (or the channel is gone): nothing to do here. */
  | { status: 'busy' }
  | { status: 'idle' }
  | { status: 'sent' | 'failed'; verdict: ChannelVerdict; deliveryIds: string[] };

/**
 * One delivery as a D1 write that only lands if the row is still the version we decided on
 * (same state, claim and attempts): whoever changed it first wins, we change nothing.
 */
function saveIfUnchanged(db: D1Database, before: Delivery, after: Delivery): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, claim_token = ?, claimed_at = ?, message_key = ?,
         last_error = ?, sent_at = ?, message_id = ?
       WHERE id = ? AND state = ? AND claim_token IS ? AND attempts = ?`,
    )
    .bind(
      after.state,
      after.attempts,
      after.nextAttemptAt,
      after.claimToken,
      after.claimedAt,
      after.messageKey,
      after.lastError,
      after.sentAt,
      after.messageId,
      Number(before.id),
      before.state,
      before.claimToken,
      before.attempts,
    );
}

function changed(before: readonly Delivery[], after: readonly Delivery[]): Array<[Delivery, Delivery]> {
  return before.map((b, i) => [b, after[i]!] as [Delivery, Delivery]).filter(([b, a]) => b !== a);
}

/** D1 can fail a write transiently; after a send, losing the record is what causes a repeat. */
async function batchWithRetry(db: D1Database, statements: D1PreparedStatement[]): Promise<D1Result[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.batch(statements);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * The alerts behind the deliveries this claim took (found by the claim token: no id list to bind),
 * with their store's name. Runs in the claim's own batch, after its writes.
 */
function messageItemsStatement(db: D1Database, token: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT d.purpose, a.id AS alert_id, a.store_id, s.name AS store_name, a.payload, a.category, a.created_at
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN stores s ON s.id = a.store_id
       WHERE d.claim_token = ? AND d.state = 'sending' ORDER BY d.id`,
    )
    .bind(token);
}

interface ItemRow {
  purpose: string;
  alert_id: number;
  store_id: string;
  store_name: string | null;
  payload: string;
  category: AlertCategory;
  created_at: number;
}

function toMessageItem(r: ItemRow): MessageItem {
  return {
    alertId: String(r.alert_id),
    storeName: r.store_name ?? r.store_id,
    event: JSON.parse(r.payload) as HealthEvent,
    category: r.category,
    reminder: r.purpose === 'reminder',
    createdAt: r.created_at,
  };
}

/** A personal channel speaks its member's language and time zone; a team channel its own. */
function audience(channel: ChannelRow, memberPrefs: string | null): { language: Language; timeZone: string } {
  if (channel.member_id && memberPrefs !== null) {
    const prefs = prefsFromJson(memberPrefs);
    return { language: prefs.language, timeZone: prefs.timeZone };
  }
  return { language: channel.language === 'en' ? 'en' : 'zh-CN', timeZone: channel.time_zone };
}

function effectStatements(db: D1Database, channel: ChannelRow, effects: readonly OutboxEffect[], now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const e of effects) {
    if (e.type === 'channel_ok') {
      out.push(
        db
          .prepare("UPDATE channels SET state = 'ok', broken_reason = NULL, broken_at = NULL, next_send_at = ?, updated_at = ? WHERE id = ?")
          .bind(e.nextSendAt, now, channel.id),
      );
    } else if (e.type === 'channel_broken') {
      out.push(
        db
          .prepare("UPDATE channels SET state = 'broken', broken_reason = ?, broken_at = ?, updated_at = ? WHERE id = ?")
          .bind(e.reason, now, now, channel.id),
      );
    } else if (e.type === 'disable_binding') {
      out.push(db.prepare("UPDATE oa_bindings SET state = 'disabled', updated_at = ? WHERE channel_id = ?").bind(now, channel.id));
    }
  }
  return out;
}

/**
 * Delivers whatever is due on one channel as one message. Safe to call any number of times.
 *
 * Three D1 round trips whatever the batch holds (issue 14: a delivery used to cost seven): take the
 * lease and read the outbox; claim and read what was claimed; record the verdict, release and look
 * for what is due next. Each is one `db.batch`, which D1 runs as one transaction.
 */
export async function deliverChannel(env: Env, deps: AlertDeps, channelId: string, now: number): Promise<DeliverResult> {
  const db = env.DB;
  const lease = deps.newId();
  // One sender per channel: batches stay whole and the robot's rate limit is ours to keep. The
  // reads run only for the lease holder (they check the lease), in the same transaction.
  const [leased, outbox, memberPrefs] = await db.batch([
    db
      .prepare('UPDATE channels SET lease_token = ?1, lease_until = ?3 WHERE id = ?2 AND (lease_until IS NULL OR lease_until <= ?4) RETURNING *')
      .bind(lease, channelId, now + OUTBOX.stuckAfterMs, now),
    db
      .prepare(
        `SELECT id, channel_id, state, attempts, next_attempt_at, claim_token, claimed_at, message_key, last_error, sent_at, message_id
         FROM deliveries WHERE channel_id = ?2 AND state IN ('pending', 'failed', 'sending')
           AND EXISTS (SELECT 1 FROM channels WHERE id = ?2 AND lease_token = ?1)
         ORDER BY id LIMIT ?3`,
      )
      .bind(lease, channelId, BATCH_LIMIT),
    db.prepare('SELECT p.prefs FROM member_prefs p JOIN channels c ON c.member_id = p.member_id WHERE c.id = ?2 AND c.lease_token = ?1').bind(lease, channelId),
  ]);
  const channel = leased?.results[0] as ChannelRow | undefined;
  if (!channel) return { status: 'busy' };
  const release = db.prepare('UPDATE channels SET lease_token = NULL, lease_until = NULL WHERE id = ? AND lease_token = ?').bind(channelId, lease);
  const wakes: Array<{ channelId: string; at: number }> = [];
  // No try/finally: a consumer that dies keeps its lease and claims until they expire
  // (OUTBOX.stuckAfterMs); every normal exit below releases and schedules explicitly.
  const finish = async <T>(result: T, statements: D1PreparedStatement[] = [release]): Promise<T> => {
    if (statements.length > 0) await batchWithRetry(db, statements);
    if (wakes.length > 0) await wakeChannels(env, wakes, now);
    return result;
  };

  const loaded = ((outbox?.results ?? []) as unknown as DeliveryDbRow[]).map(toDelivery);
  const outboxChannel = { id: channel.id, type: channel.type, state: channel.state, nextSendAt: channel.next_send_at };
  const token = deps.newId();
  const claim = nextStep({ channel: outboxChannel, deliveries: loaded }, { type: 'claim', token }, now);
  const send = claim.effects.find((e) => e.type === 'send');
  for (const e of claim.effects) if (e.type === 'wake') wakes.push({ channelId, at: e.at });

  const claimWrites = changed(loaded, claim.state.deliveries);
  const claimStatements = claimWrites.map(([b, a]) => saveIfUnchanged(db, b, a));
  // Nothing to send (a broken channel's claimable rows still go dead): write, release, done.
  if (!send) return finish({ status: 'idle' }, [...claimStatements, release]);
  const claimResults = await db.batch([...claimStatements, messageItemsStatement(db, token)]);
  // Only what our compare-and-set actually took goes out.
  const taken = new Set(claimWrites.filter((_, i) => (claimResults[i]?.meta.changes ?? 0) > 0).map(([, a]) => a.id));
  if (taken.size === 0) return finish({ status: 'idle' });
  deps.checkpoint?.('claimed');

  const claimed = claim.state.deliveries.filter((d) => taken.has(d.id) && d.state === 'sending');
  let verdict: ChannelVerdict;
  try {
    const items = ((claimResults.at(-1)?.results ?? []) as unknown as ItemRow[]).map(toMessageItem);
    const who = audience(channel, (memberPrefs?.results[0] as { prefs: string } | undefined)?.prefs ?? null);
    const message = renderForChannel(channel.type, { items, ...who, now, resend: send.resend }, deps.catalog);
    verdict = await sendToChannel(env, deps, channel, message, send.messageKey, now);
  } catch (error) {
    verdict = { outcome: 'retry', code: 'internal', reason: error instanceof Error ? error.message.slice(0, 200) : 'internal error', notBefore: null };
  }
  deps.checkpoint?.('sent');

  const settled = nextStep({ ...claim.state, deliveries: claimed }, { type: 'verdict', token, verdict }, now);
  const recorded = await batchWithRetry(db, [
    ...changed(claimed, settled.state.deliveries).map(([b, a]) => saveIfUnchanged(db, b, a)),
    ...effectStatements(db, channel, settled.effects, now),
    release,
    // Deliveries that arrived while we were sending go in the next message, when the channel allows.
    db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE channel_id = ? AND state IN ('pending', 'failed')").bind(channelId),
  ]);
  deps.checkpoint?.('recorded');

  for (const e of settled.effects) if (e.type === 'wake') wakes.push({ channelId, at: e.at });
  const next = recorded.at(-1)?.results[0] as { at: number | null } | undefined;
  if (verdict.outcome !== 'broken' && next?.at != null) wakes.push({ channelId, at: Math.max(next.at, settled.state.channel.nextSendAt) });
  return finish({ status: verdict.outcome === 'sent' ? 'sent' : 'failed', verdict, deliveryIds: [...taken] }, []);
}
