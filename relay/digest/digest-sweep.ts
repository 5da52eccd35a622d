/**
 * The daily digest's part of the Cron Trigger (relay/scheduled.ts). Two halves, each bounded:
 *
 * 1. Channels whose digest may be due (their `digest_next_at` passed, or never worked out) are
 *    looked at. A first look only sets the day counted as served (`digestBaseline`: a channel
 *    added after its hour starts the next morning). When shared/digest/digest-due.ts says a
 *    local day is due, the digest is composed
 *    from the overview the popup shows and the alerts of the last 24 hours, and queued as the one
 *    row of (channel, day) - so repeated or overlapping ticks queue it once; otherwise only the
 *    next look is stored.
 * 2. Queued digests are sent under a short claim, confirmed by the channel's own answer, retried
 *    with back-off on a passing failure, and given up on a permanent one.
 */
import * as v from 'valibot';
import { DEFAULT_PREFS } from '../../shared/alerts/rules.ts';
import { renderDigest } from '../../shared/digest/digest-compose.ts';
import { digestBaseline, digestDueDay, nextDigestAt } from '../../shared/digest/digest-due.ts';
import { digestStores } from '../../shared/digest/digest-from-overview.ts';
import { OverviewResponse } from '../../shared/api/overview.ts';
import type { RenderedMessage } from '../../shared/messages/render.ts';
import { markChannelState } from '../alerts/channels-db.ts';
import { getChannel, loadPrefs } from '../alerts/settings.ts';
import { sendToChannel } from '../channels/send.ts';
import { feedbackCounts } from '../db/feedback-counts.ts';
import { listMerchantIds } from '../db/merchant-ids.ts';
import { latestSnapshotRefs, snapshotsByRef } from '../db/snapshots.ts';
import { listStoreMarketplaces, listStores } from '../db/stores.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
// The overview is built by the same pure function that answers GET /v1/overview.
import { buildOverview } from '../routes/overview.ts';
import { type RecentAlert, channelsToLook, claimDigests, queueDigest, recentAlerts, recordDigest, setBaseline, setNextLook } from './digest-db.ts';
import { type ChannelWithDigest, digestSettingsOf } from './digest-settings.ts';

// Small per tick so the cron invocation stays inside its D1 and subrequest budgets (see
// docs/operations.md): a relay serves one team's few channels, so a digest is at most minutes late.
/** Channels looked at per tick; the rest wait for the next tick. */
const LOOK_LIMIT = 5;
/** Digests sent per tick. */
const SEND_LIMIT = 3;
/** Alerts a digest reads: far more than one message can show. */
const ALERTS_LIMIT = 200;
const DAY_MS = 86_400_000;
/** Sends of one digest before it is given up. */
const MAX_ATTEMPTS = 5;

async function workspaceOverview(db: D1Database, workspaceId: string): Promise<OverviewResponse> {
  const [stores, marketplaces, merchantIds, refs, feedback] = await Promise.all([
    listStores(db, workspaceId),
    listStoreMarketplaces(db, workspaceId),
    listMerchantIds(db, workspaceId),
    latestSnapshotRefs(db, workspaceId),
    feedbackCounts(db, workspaceId),
  ]);
  // Through the contract's own parser, as the extension reads it: the compact wire filled back in.
  const wire = buildOverview(stores, marketplaces, merchantIds, await snapshotsByRef(db, workspaceId, refs), feedback);
  return v.parse(OverviewResponse, { full: true, stores: wire, removed: [], cursor: null });
}

/** Looks at one channel: queues its digest when a day is due, else stores when to look again. */
async function lookAt(env: Env, deps: AlertDeps, channel: ChannelWithDigest, now: number, overviews: Map<string, Promise<[OverviewResponse, RecentAlert[]]>>): Promise<void> {
  const settings = digestSettingsOf(channel);
  if (!channel.digest_last_day) {
    const baseline = digestBaseline(settings, now);
    await setBaseline(env.DB, channel.id, baseline, nextDigestAt(settings, baseline, now));
    return;
  }
  const day = digestDueDay(settings, channel.digest_last_day, now);
  if (!day) {
    await setNextLook(env.DB, channel.id, nextDigestAt(settings, channel.digest_last_day, now));
    return;
  }
  let data = overviews.get(channel.workspace_id);
  if (!data) {
    data = Promise.all([workspaceOverview(env.DB, channel.workspace_id), recentAlerts(env.DB, channel.workspace_id, now - DAY_MS, ALERTS_LIMIT)]);
    overviews.set(channel.workspace_id, data);
  }
  const [overview, alerts] = await data;
  // A personal channel speaks its member's language and covers the stores they follow.
  const prefs = channel.member_id ? ((await loadPrefs(env.DB, [channel.member_id])).get(channel.member_id) ?? DEFAULT_PREFS) : null;
  const stores = digestStores(overview.stores, prefs?.stores ?? 'all');
  const followed = new Set(stores.map((s) => s.storeId));
  const message = renderDigest(
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
  await queueDigest(env.DB, channel, day, JSON.stringify(message), nextDigestAt(settings, day, now), now);
}

/** Back-off between sends of one digest: 1, 2, 4, 8 minutes. */
function retryDelayMs(attempts: number): number {
  return 60_000 * 2 ** Math.min(attempts - 1, 4);
}

async function sendOne(env: Env, deps: AlertDeps, row: Awaited<ReturnType<typeof claimDigests>>[number], token: string, now: number): Promise<void> {
  const channel = await getChannel(env.DB, row.channel_id);
  if (!channel || channel.state !== 'ok') {
    await recordDigest(env.DB, row, token, { state: 'dead', error: channel ? `the channel is broken: ${channel.broken_reason ?? ''}`.trim() : 'the channel was removed' });
    return;
  }
  const message = JSON.parse(row.message) as RenderedMessage;
  // The key lets the Official Account drop a repeat (client_msg_id); the others have none.
  const verdict = await sendToChannel(env, deps, channel, message, `digest:${row.channel_id}:${row.day}`, now);
  switch (verdict.outcome) {
    case 'sent':
      return recordDigest(env.DB, row, token, { state: 'sent', at: now });
    case 'broken':
      await markChannelState(env.DB, { id: channel.id, state: 'broken', broken_reason: verdict.reason, broken_at: now }, verdict.unfollowed, now);
      return recordDigest(env.DB, row, token, { state: 'dead', error: `${verdict.code} ${verdict.reason}` });
    case 'rejected':
      return recordDigest(env.DB, row, token, { state: 'dead', error: `${verdict.code} ${verdict.reason}` });
    default: {
      if (row.attempts >= MAX_ATTEMPTS) return recordDigest(env.DB, row, token, { state: 'dead', error: `${verdict.code} ${verdict.reason}` });
      const retryAt = Math.max(now + retryDelayMs(row.attempts), verdict.outcome === 'retry' ? (verdict.notBefore ?? 0) : 0);
      return recordDigest(env.DB, row, token, { state: 'pending', retryAt, error: `${verdict.code} ${verdict.reason}` });
    }
  }
}

export async function sweepDigests(env: Env, now: number, deps: AlertDeps): Promise<{ looked: number; sent: number }> {
  const channels = await channelsToLook(env.DB, now, LOOK_LIMIT);
  const overviews = new Map<string, Promise<[OverviewResponse, RecentAlert[]]>>();
  for (const channel of channels) await lookAt(env, deps, channel, now, overviews);
  const token = deps.newId();
  const claimed = await claimDigests(env.DB, token, now, SEND_LIMIT);
  for (const row of claimed) await sendOne(env, deps, row, token, now);
  return { looked: channels.length, sent: claimed.length };
}
