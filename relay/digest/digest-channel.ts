/**
 * One channel's daily digest, in the digest queue's consumer (relay/digest/digest-queue.ts): the
 * cron only picked the channel (relay/digest/digest-dispatch.ts); here it is looked at, and its
 * digest composed and sent.
 *
 * - A first look only sets the day counted as served (`digestBaseline`: a channel added after its
 *   hour starts the next morning).
 * - When shared/digest/digest-due.ts says a local day is due, the digest is composed from the
 *   overview the popup shows and the alerts of the last 24 hours, and kept as the one row of
 *   (channel, day): a repeated message or an overlapping consumer finds the day taken.
 * - Each open digest of the channel whose time has come is sent under a claim (a lease), confirmed
 *   by the channel's own answer, retried with back-off on a passing failure, and given up on a
 *   permanent one (a broken channel is marked so).
 * - Last, the channel's next look is stored: its next hour, or an open digest's retry, whichever
 *   is first. A consumer that dies midway leaves the claim to run out and the cron to pick again.
 */
import * as v from 'valibot';
import { DEFAULT_PREFS } from '../../shared/alerts/rules.ts';
import { renderDigest } from '../../shared/digest/digest-compose.ts';
import { digestBaseline, digestDueDay, nextDigestAt } from '../../shared/digest/digest-due.ts';
import { digestStores } from '../../shared/digest/digest-from-overview.ts';
import { OverviewResponse } from '../../shared/api/overview.ts';
import type { RenderedMessage } from '../../shared/messages/render.ts';
import { markChannelState } from '../alerts/channels-db.ts';
import { loadPrefs } from '../alerts/settings.ts';
import { sendToChannel } from '../channels/send.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
// The overview read and built exactly as GET /v1/overview answers it.
import { overviewStores } from '../routes/overview.ts';
import {
  DIGEST_LEASE_MS,
  type DigestOutcome,
  type DigestRow,
  claimDigests,
  queueDigest,
  readChannelDigests,
  recentAlerts,
  recordDigestStatement,
  retireChannelDigests,
  setBaseline,
  settleNextLookStatement,
} from './digest-db.ts';
import { type ChannelWithDigest, digestSettingsOf } from './digest-settings.ts';

/** Alerts a digest reads: far more than one message can show. */
const ALERTS_LIMIT = 200;
const DAY_MS = 86_400_000;
/** Sends of one digest before it is given up. */
const MAX_ATTEMPTS = 5;

/** What one look at a channel did, for the caller's log and the tests. */
export type DigestLook = 'gone' | 'retired' | 'baseline' | 'looked';

async function workspaceOverview(db: D1Database, workspaceId: string): Promise<OverviewResponse> {
  // Through the contract's own parser, as the extension reads it: the compact wire filled back in.
  return v.parse(OverviewResponse, { full: true, stores: await overviewStores(db, workspaceId), removed: [], cursor: null });
}

/** The digest of `day` for a channel, rendered for its kind and language. */
async function composeDigest(env: Env, deps: AlertDeps, channel: ChannelWithDigest, day: string, now: number): Promise<RenderedMessage> {
  const settings = digestSettingsOf(channel);
  const [overview, alerts, prefsByMember] = await Promise.all([
    workspaceOverview(env.DB, channel.workspace_id),
    recentAlerts(env.DB, channel.workspace_id, now - DAY_MS, ALERTS_LIMIT),
    // A personal channel speaks its member's language and covers the stores they follow.
    channel.member_id ? loadPrefs(env.DB, [channel.member_id]) : null,
  ]);
  const prefs = channel.member_id ? (prefsByMember?.get(channel.member_id) ?? DEFAULT_PREFS) : null;
  const stores = digestStores(overview.stores, prefs?.stores ?? 'all');
  const followed = new Set(stores.map((s) => s.storeId));
  return renderDigest(
    channel.type,
    {
      day,
      stores,
      events: alerts.filter((a) => followed.has(a.storeId)),
      language: prefs?.language ?? (channel.language === 'en' ? 'en' : 'zh-CN'),
      timeZone: settings.timeZone,
      now,
    },
    deps.catalog,
  );
}

/** Back-off between sends of one digest: 1, 2, 4, 8 minutes. */
function retryDelayMs(attempts: number): number {
  return 60_000 * 2 ** Math.min(attempts - 1, 4);
}

/** Sends one claimed digest and says what became of it; a broken channel is marked so on the way. */
async function sendOne(env: Env, deps: AlertDeps, channel: ChannelWithDigest, row: DigestRow, now: number): Promise<DigestOutcome & { broken?: true }> {
  const message = JSON.parse(row.message) as RenderedMessage;
  // The key lets the Official Account drop a repeat (client_msg_id); the others have none.
  const verdict = await sendToChannel(env, deps, channel, message, `digest:${row.channel_id}:${row.day}`, now);
  switch (verdict.outcome) {
    case 'sent':
      return { state: 'sent', at: now };
    case 'broken':
      await markChannelState(env.DB, { id: channel.id, state: 'broken', broken_reason: verdict.reason, broken_at: now }, verdict.unfollowed, now);
      return { state: 'dead', error: `${verdict.code} ${verdict.reason}`, broken: true };
    case 'rejected':
      return { state: 'dead', error: `${verdict.code} ${verdict.reason}` };
    default: {
      if (row.attempts >= MAX_ATTEMPTS) return { state: 'dead', error: `${verdict.code} ${verdict.reason}` };
      const retryAt = Math.max(now + retryDelayMs(row.attempts), verdict.outcome === 'retry' ? (verdict.notBefore ?? 0) : 0);
      return { state: 'pending', retryAt, error: `${verdict.code} ${verdict.reason}` };
    }
  }
}

/**
 * Looks at one channel's digest: queues the day that is due, sends what is due, stores the next
 * look. Safe to run twice at once or again after a crash anywhere (see the file comment).
 */
export async function digestChannel(env: Env, deps: AlertDeps, channelId: string, now: number): Promise<DigestLook> {
  const db = env.DB;
  const { channel, open } = await readChannelDigests(db, channelId);
  if (!channel) return 'gone';
  const settings = digestSettingsOf(channel);
  if (channel.state !== 'ok' || !settings.enabled) {
    await retireChannelDigests(db, channel.id, channel.state === 'ok' ? 'the digest was switched off' : `the channel is broken: ${channel.broken_reason ?? ''}`.trim());
    return 'retired';
  }
  if (!channel.digest_last_day) {
    const baseline = digestBaseline(settings, now);
    await setBaseline(db, channel.id, baseline, nextDigestAt(settings, baseline, now));
    return 'baseline';
  }
  let lastDay = channel.digest_last_day;
  let claimable = open.some((d) => d.next_attempt_at <= now);
  const day = digestDueDay(settings, lastDay, now);
  if (day) {
    const message = await composeDigest(env, deps, channel, day, now);
    // Until the send below is recorded, the cron comes back when the claim would have run out.
    await queueDigest(db, channel, day, JSON.stringify(message), now + DIGEST_LEASE_MS, now);
    lastDay = day;
    claimable = true;
  }
  const token = deps.newId();
  const claimed = claimable ? await claimDigests(db, channel.id, token, now) : [];
  const records: D1PreparedStatement[] = [];
  let broken = false;
  // Oldest day first (usually there is one); once the channel answered that it is broken, an
  // older day's retry does not make it send today's.
  for (const row of claimed.sort((a, b) => a.day.localeCompare(b.day))) {
    const outcome: DigestOutcome & { broken?: true } = broken ? { state: 'dead', error: 'the channel is broken' } : await sendOne(env, deps, channel, row, now);
    broken ||= outcome.broken === true;
    records.push(recordDigestStatement(db, row, token, outcome));
  }
  await db.batch([...records, settleNextLookStatement(db, channel.id, nextDigestAt(settings, lastDay, now))]);
  return 'looked';
}
