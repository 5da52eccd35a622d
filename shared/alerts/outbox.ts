/**
 * The delivery outbox as a pure state machine. One delivery is one alert x one channel:
 *
 *   pending --claim--> sending --sent--> sent
 *   failed  --claim--> sending --retry--> failed (again at next_attempt_at) | dead (attempts used up)
 *   sending (claimed too long ago: its consumer died) --claim--> sending
 *   sending --rejected/broken--> dead
 *
 * The unit of work is a channel: every due delivery of one channel is claimed together and goes
 * out as ONE message (WeCom takes 20 a minute per robot, ServerChan's free tier 5 a day).
 *
 * Delivery guarantee: at-least-once, made exactly-once wherever the channel lets us. A consumer
 * can die after the channel accepted a message and before we recorded it; nobody can know then
 * whether it went out. We resend after `stuckAfterMs` rather than risk losing it - a missed
 * warning is what sellers complain about most (issue 5) - and:
 *  - a resend carries exactly the deliveries of the interrupted message under the same message key,
 *    and the Official Account sends that key as `client_msg_id`, which WeChat de-duplicates for
 *    10 minutes (docs/domain/wechat.md); `stuckAfterMs` is well under 10 minutes: exactly once;
 *  - WeCom, ServerChan and PushPlus have no idempotency key, so such a resend is marked as a
 *    possible repeat in the message itself (`resend: true`). A real repeat needs the Worker to be
 *    killed between the channel's answer and one D1 write (which is itself retried in-process),
 *    or the channel's answer to be lost after it took the message (timeout, reset); a resend that
 *    fails again stays a resend, under the same key, until it gets a clear answer;
 *    a consumer killed after claiming but before sending also resends with the mark - a false
 *    alarm, not a repeat, since the two cannot be told apart.
 * Every other crash or replay (claim twice, queue redelivery, sweeper racing the consumer, replayed
 * verdicts) is exactly once: claims are compare-and-set and verdicts only apply to the claim token
 * that sent.
 */
import type { ChannelType, ChannelVerdict } from './channel-verdicts.ts';

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'dead';

export interface Delivery {
  id: string;
  channelId: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  claimToken: string | null;
  claimedAt: number | null;
  /** The message this delivery went out in; kept on a resend, so the Official Account de-duplicates it. */
  messageKey: string | null;
  lastError: string | null;
  sentAt: number | null;
  messageId: string | null;
}

/** The channel as the outbox sees it. */
export interface OutboxChannel {
  id: string;
  type: ChannelType;
  state: 'ok' | 'broken';
  /** Earliest time the channel may take another message (its rate limit). */
  nextSendAt: number;
}

export const OUTBOX = {
  /** A `sending` claim older than this belongs to a dead consumer. Under OA's 10-minute dedupe window. */
  stuckAfterMs: 2 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  /** About a day of retries at the cap before a delivery is given up as dead. */
  maxAttempts: 30,
  /** How often a delivery held by the relay's own fault (a wrong encryption key) is tried again. */
  operatorFaultRetryMs: 10 * 60_000,
} as const;

/**
 * Minimum time between two messages on one channel: WeCom's 20 a minute per robot; ServerChan's
 * free 5 a day and PushPlus's 200 a day favour fewer, fuller batches. The Official Account sends
 * per person with a large daily quota.
 */
export const CHANNEL_SPACING_MS: Record<ChannelType, number> = {
  wecom: 3_000,
  oa: 0,
  serverchan: 5 * 60_000,
  pushplus: 60_000,
};

/** May a consumer claim this delivery now? (The relay's claim UPDATE checks the same predicate.) */
export function isClaimable(d: Delivery, now: number): boolean {
  if (d.state === 'pending' || d.state === 'failed') return d.nextAttemptAt <= now;
  if (d.state === 'sending') return d.claimedAt !== null && d.claimedAt + OUTBOX.stuckAfterMs <= now;
  return false;
}

/** FNV-1a of `text` as a fraction in [0, 1): the same input always jitters the same way. */
export function jitterFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/** Delay before retry number `attempts` + 1: doubling from 30 s, capped at an hour, jittered -20 %..0. */
export function backoffMs(attempts: number, seed: string): number {
  const raw = OUTBOX.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(OUTBOX.maxDelayMs, raw);
  return Math.round(capped * (0.8 + 0.2 * jitterFraction(`${seed}:${attempts}`)));
}

export interface ChannelBatchState {
  channel: OutboxChannel;
  deliveries: Delivery[];
}

export type OutboxInput =
  | { type: 'claim'; token: string }
  | { type: 'verdict'; token: string; verdict: ChannelVerdict };

export type OutboxEffect =
  /** Send these deliveries as one message; `resend` = it may have gone out before (see above). */
  | { type: 'send'; token: string; messageKey: string; deliveryIds: string[]; resend: boolean }
  /** Look at this channel again at `at` (queue with delay; the sweeper is the safety net). */
  | { type: 'wake'; at: number }
  | { type: 'channel_ok'; nextSendAt: number }
  | { type: 'channel_broken'; reason: string }
  | { type: 'disable_binding' };

export interface OutboxStep {
  state: ChannelBatchState;
  effects: OutboxEffect[];
}

function claim(state: ChannelBatchState, token: string, now: number): OutboxStep {
  const { channel } = state;
  if (channel.state === 'broken') {
    // Nothing can go out until a person fixes the channel; the feed shows these as dead.
    const deliveries = state.deliveries.map((d) =>
      isClaimable(d, now) ? { ...d, state: 'dead' as const, lastError: 'channel broken', claimToken: null } : d,
    );
    return { state: { channel, deliveries }, effects: [] };
  }
  const due = state.deliveries.filter((d) => isClaimable(d, now));
  if (due.length === 0) {
    const next = nextWake(state.deliveries);
    return { state, effects: next === null ? [] : [{ type: 'wake', at: next }] };
  }
  if (channel.nextSendAt > now) return { state, effects: [{ type: 'wake', at: channel.nextSendAt }] };
  // An interrupted message is resent on its own, exactly as it was, before anything new: one whose
  // sender died, or whose last attempt may have reached the channel (a failed row that kept its key).
  const stuck = due
    .filter((d) => d.state === 'sending' || (d.state === 'failed' && d.messageKey !== null))
    .sort((a, b) => (a.claimedAt ?? 0) - (b.claimedAt ?? 0));
  const resend = stuck.length > 0;
  const messageKey = resend ? (stuck[0]!.messageKey ?? stuck[0]!.claimToken ?? token) : token;
  const batch = resend ? stuck.filter((d) => (d.messageKey ?? d.claimToken ?? token) === messageKey) : due;
  const ids = new Set(batch.map((d) => d.id));
  const deliveries = state.deliveries.map((d) =>
    ids.has(d.id) ? { ...d, state: 'sending' as const, attempts: d.attempts + 1, claimToken: token, claimedAt: now, messageKey } : d,
  );
  return { state: { channel, deliveries }, effects: [{ type: 'send', token, messageKey, deliveryIds: [...ids], resend }] };
}

function nextWake(deliveries: readonly Delivery[]): number | null {
  let at: number | null = null;
  for (const d of deliveries) {
    const when =
      d.state === 'pending' || d.state === 'failed'
        ? d.nextAttemptAt
        : d.state === 'sending' && d.claimedAt !== null
          ? d.claimedAt + OUTBOX.stuckAfterMs
          : null;
    if (when !== null && (at === null || when < at)) at = when;
  }
  return at;
}

function settle(state: ChannelBatchState, token: string, verdict: ChannelVerdict, now: number): OutboxStep {
  const mine = state.deliveries.filter((d) => d.state === 'sending' && d.claimToken === token);
  // A replayed or late verdict for a claim someone else has taken over changes nothing.
  if (mine.length === 0) return { state, effects: [] };
  const { channel } = state;
  const effects: OutboxEffect[] = [];
  let update: (d: Delivery) => Delivery;
  switch (verdict.outcome) {
    case 'sent': {
      const nextSendAt = now + CHANNEL_SPACING_MS[channel.type];
      update = (d) => ({ ...d, state: 'sent', sentAt: now, messageId: verdict.messageId, lastError: null, claimToken: null });
      effects.push({ type: 'channel_ok', nextSendAt });
      break;
    }
    case 'retry':
    case 'refresh_token': {
      if (verdict.outcome === 'retry' && verdict.operatorFault) {
        // The relay could not even try (its keys do not open the channel's secret): the operator
        // must act. The attempt is not counted, so nothing is given up while the key is wrong, and
        // nothing went out, so the rows rejoin the next batch as they were.
        const at = Math.max(verdict.notBefore ?? 0, now + OUTBOX.operatorFaultRetryMs);
        update = (d) => ({ ...d, state: 'failed', attempts: d.attempts - 1, nextAttemptAt: at, lastError: verdict.reason, claimToken: null, messageKey: d.messageKey === token ? null : d.messageKey });
        effects.push({ type: 'wake', at });
        break;
      }
      // The batch retries together so it stays one message: the most-tried member sets the pace.
      const attempts = Math.max(...mine.map((d) => d.attempts));
      const notBefore = verdict.outcome === 'retry' ? (verdict.notBefore ?? 0) : 0;
      const at = Math.max(notBefore, now + backoffMs(attempts, channel.id));
      const gaveUp = attempts >= OUTBOX.maxAttempts;
      // The message may be out already if this attempt was itself a resend, or if no answer came
      // (a timeout or reset can follow delivery): it keeps its key, so the next attempt resends it
      // as it was, marked, and the Official Account's client_msg_id still de-duplicates it. A clear
      // refusal (45009, -1, 5xx) means it never went: the rows rejoin the next batch as new.
      const mayBeOut = verdict.code === 'network' || mine.some((d) => d.messageKey !== token);
      update = (d) =>
        gaveUp
          ? { ...d, state: 'dead', lastError: `gave up after ${d.attempts} attempts: ${verdict.reason}`, claimToken: null }
          : { ...d, state: 'failed', nextAttemptAt: at, lastError: verdict.reason, claimToken: null, messageKey: mayBeOut ? d.messageKey : null };
      if (!gaveUp) effects.push({ type: 'wake', at });
      break;
    }
    case 'rejected':
      update = (d) => ({ ...d, state: 'dead', lastError: verdict.reason, claimToken: null });
      break;
    case 'broken':
      update = (d) => ({ ...d, state: 'dead', lastError: verdict.reason, claimToken: null });
      effects.push({ type: 'channel_broken', reason: verdict.reason });
      if (verdict.unfollowed) effects.push({ type: 'disable_binding' });
      break;
  }
  const ids = new Set(mine.map((d) => d.id));
  const deliveries = state.deliveries.map((d) => (ids.has(d.id) ? update(d) : d));
  const nextChannel: OutboxChannel =
    verdict.outcome === 'broken'
      ? { ...channel, state: 'broken' }
      : verdict.outcome === 'sent'
        ? { ...channel, state: 'ok', nextSendAt: now + CHANNEL_SPACING_MS[channel.type] }
        : channel;
  return { state: { channel: nextChannel, deliveries }, effects };
}

/** The outbox's one transition function: load -> `nextStep` -> save (compare-and-set) -> act. */
export function nextStep(state: ChannelBatchState, input: OutboxInput, now: number): OutboxStep {
  return input.type === 'claim' ? claim(state, input.token, now) : settle(state, input.token, input.verdict, now);
}
