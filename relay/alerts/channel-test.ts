/**
 * `POST /v1/channels/:id/test` behind the route: a test is one more message on the channel, so it
 * takes the channel's lease like a delivery, waits for the channel's spacing, and goes at most once
 * a minute (shared/alerts/channel-test-gate.ts). Found by the review of issue 14: tests that skipped
 * all three let a member spend a WeCom robot's 20 messages a minute while real alerts waited.
 */
import { nextTestAt } from '../../shared/alerts/channel-test-gate.ts';
import type { ChannelVerdict } from '../../shared/alerts/channel-verdicts.ts';
import { CHANNEL_SPACING_MS, OUTBOX } from '../../shared/alerts/outbox.ts';
import { CHANNEL_TEST_INTERVAL_MS } from '../../shared/api/limits.ts';
import { renderTest } from '../../shared/messages/render.ts';
import { sendToChannel } from '../channels/send.ts';
import type { Env } from '../env.ts';
import type { AlertDeps } from '../platform-deps.ts';
import { leaseForTest, releaseAfterTest, testGateOf } from './channels-db.ts';
import { type ChannelRow, loadPrefs } from './settings.ts';
import { wakeChannels } from './wake.ts';

export type ChannelTestResult = { tested: true; verdict: ChannelVerdict; channel: ChannelRow } | { tested: false; retryAt: number };

export async function testChannel(env: Env, deps: AlertDeps, channelId: string, now: number): Promise<ChannelTestResult> {
  const lease = deps.newId();
  const row = await leaseForTest(env.DB, channelId, lease, now, OUTBOX.stuckAfterMs, CHANNEL_TEST_INTERVAL_MS);
  if (!row) {
    const gate = await testGateOf(env.DB, channelId);
    const at = gate ? nextTestAt({ lastTestAt: gate.last_test_at, nextSendAt: gate.next_send_at, leaseUntil: gate.lease_until }, now) : now;
    // A gate that cleared between the two reads still answers "a moment": the claim is what decides.
    return { tested: false, retryAt: Math.max(at, now + 1000) };
  }
  let verdict: ChannelVerdict;
  try {
    const prefs = row.member_id ? (await loadPrefs(env.DB, [row.member_id])).get(row.member_id) : undefined;
    const language = prefs?.language ?? (row.language === 'en' ? 'en' : 'zh-CN');
    const message = renderTest(row.type, language, prefs?.timeZone ?? row.time_zone, now);
    verdict = await sendToChannel(env, deps, row, message, deps.newId(), now);
  } catch (error) {
    // The lease must go back whatever happened; the caller sees a retry-later.
    verdict = { outcome: 'retry', code: 'internal', reason: error instanceof Error ? error.message.slice(0, 200) : 'internal error', notBefore: null };
  }
  // The channel's own answer decides its state: a test can both break and mend it.
  let next = row;
  if (verdict.outcome === 'sent') next = { ...row, state: 'ok', broken_reason: null, broken_at: null };
  if (verdict.outcome === 'broken') next = { ...row, state: 'broken', broken_reason: verdict.reason, broken_at: now };
  // Whatever the answer, a message was tried: the channel's next one keeps its spacing.
  const nextSendAt = now + CHANNEL_SPACING_MS[row.type];
  const due = await releaseAfterTest(env.DB, next, lease, nextSendAt, verdict.outcome === 'broken' && verdict.unfollowed === true, now);
  // Deliveries that came while the test held the lease were turned away as "busy": wake them.
  if (due !== null) await wakeChannels(env, [{ channelId, at: Math.max(due, nextSendAt) }], now);
  return { tested: true, verdict, channel: { ...next, next_send_at: Math.max(row.next_send_at, nextSendAt), lease_token: null, lease_until: null } };
}
