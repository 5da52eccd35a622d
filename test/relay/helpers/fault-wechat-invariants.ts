/**
 * What must hold after every run of the WeChat fault suite, read from D1 and from what the WeChat
 * stand-in saw (the phone's view), never from the relay's own counters:
 *   - every event that passes the rules made exactly one alert, with one delivery per channel;
 *   - nothing is left pending, failed or sending once the run is quiet;
 *   - a healthy channel showed each alert in exactly one message - a second copy only when a
 *     consumer was killed after the channel accepted the message and before it was recorded, or
 *     the channel's answer was lost after it took the message, and then as a resend of the same
 *     message marked as a possible repeat (WeCom, ServerChan and PushPlus have no idempotency
 *     key); the Official Account de-duplicates by client_msg_id, so it may only repeat once that
 *     10-minute window has passed;
 *   - a channel that answered a permanent error got no request after that answer, is marked
 *     broken, and its owners see it (GET /v1/channels);
 *   - a rejected OA token is refetched once per send, never in a loop;
 *   - each message shows as many changes as the relay claimed for it.
 */
import { expect } from 'vitest';
import { classifyEvent, withDefaults } from '../../../shared/alerts/rules.ts';
import type { HealthEvent } from '../../../shared/types.ts';
import { createApp } from '../../../relay/app.ts';
import type { AcceptedSend } from './fault-wechat-stand-in.ts';
import { ownerToken } from './fault-wechat-team.ts';
import type { WechatFaultWorld } from './fault-wechat-world.ts';

/** The number of changes a message shows, from its text (zh-CN, the channels' default language). */
function changesShown(sent: AcceptedSend): number {
  const counted = sent.type === 'oa' ? /等(\d+)项/.exec(sent.text) : /(\d+) 项变化/.exec(sent.text);
  return counted ? Number(counted[1]) : 1;
}

/** The owner's view of the channels, through the real route. */
async function ownersView(world: WechatFaultWorld): Promise<Array<{ id: string; state: string; brokenReason: string | null }>> {
  const app = createApp({ now: () => world.now, fetch: world.wechat.fetch, newId: world.alertDeps.newId });
  const res = await app.request('/v1/channels', { headers: { authorization: `Bearer ${ownerToken(world)}` } }, world.pipeline.env);
  expect(res.status).toBe(200);
  return ((await res.json()) as { channels: Array<{ id: string; state: string; brokenReason: string | null }> }).channels;
}

/** A channel's story for a failure message: each request's answer, and each accepted message's claim. */
function history(world: WechatFaultWorld, channelId: string): string {
  const sends = world.wechat.sends.filter((s) => s.channelId === channelId).map((s) => `${s.at - world.startedAt}ms ${s.answer} ${s.messageKey}`);
  const shown = world.wechat.accepted
    .filter((s) => s.channelId === channelId)
    .map((s) => `${s.at - world.startedAt}ms ${s.messageKey}${s.markedResend ? ' (resend)' : ''}${s.deduplicated ? ' (dedup)' : ''}: ${s.alertKeys.join(' ')}`);
  return `requests: ${sends.join('; ')} | accepted: ${shown.join('; ')} | interrupted: ${[...world.interruptedKeys].join(' ')}`;
}

/** How long the Official Account drops a second message with the same client_msg_id. */
const OA_DEDUPE_MS = 10 * 60_000;

export interface RunFigures {
  /** OA resends that got through only after the 10-minute client_msg_id window: real, unmarkable repeats. */
  lateOaRepeats: number;
  alerts: number;
  messages: number;
  /** Marked repeats after a consumer was killed between the channel's answer and the record. */
  crashRepeats: number;
  /** Marked repeats after the channel took a message and its answer was lost. */
  lostAnswerRepeats: number;
  falseAlarms: number;
  brokenChannels: number;
}

export async function checkWechatInvariants(world: WechatFaultWorld): Promise<RunFigures> {
  const db = world.pipeline.env.DB;
  const at = `${world.storeId}`;
  const figures: RunFigures = { lateOaRepeats: 0, alerts: 0, messages: 0, crashRepeats: 0, lostAnswerRepeats: 0, falseAlarms: 0, brokenChannels: 0 };

  // Exactly one alert per event that passes the rules (reminders are off in these workspaces).
  const rules = withDefaults({ reminderIntervalHours: 0 });
  const { results: events } = await db.prepare('SELECT key, payload FROM events WHERE store_id = ?').bind(world.storeId).all<{ key: string; payload: string }>();
  const expected = events.filter((e) => classifyEvent({ ...(JSON.parse(e.payload) as HealthEvent), storeId: world.storeId, workspaceId: world.workspaceId, createdAt: 0 }, rules).alert).map((e) => e.key);
  const { results: alerts } = await db.prepare('SELECT event_key FROM alerts WHERE store_id = ?').bind(world.storeId).all<{ event_key: string }>();
  expect(alerts.map((a) => a.event_key).sort(), `${at}: alerts are not exactly the events that pass the rules`).toEqual([...expected].sort());
  figures.alerts = alerts.length;
  const undecided = await db.prepare('SELECT COUNT(*) AS n FROM events e LEFT JOIN alert_fanouts f ON f.event_key = e.key WHERE e.store_id = ? AND f.event_key IS NULL').bind(world.storeId).first<{ n: number }>();
  expect(undecided?.n, `${at}: an event was never decided`).toBe(0);

  const { results: rows } = await db
    .prepare(
      `SELECT d.channel_id, d.state, d.purpose, a.event_key FROM deliveries d JOIN alerts a ON a.id = d.alert_id
       JOIN channels c ON c.id = d.channel_id WHERE c.workspace_id = ?`,
    )
    .bind(world.workspaceId)
    .all<{ channel_id: string; state: string; purpose: string; event_key: string }>();
  const view = await ownersView(world);
  // Sends that may have reached the channel without the relay knowing: killed after the send, or
  // no answer. Only these may be resent marked; only those the channel really took may repeat.
  const unanswered = new Set(world.wechat.sends.filter((s) => ['timeout', 'reset', 'lost_answer'].includes(s.answer)).map((s) => s.messageKey));
  const mayBeMarked = new Set([...world.interruptedKeys, ...unanswered]);
  const mayRepeat = new Set([...world.repeatWindowKeys, ...world.wechat.sends.filter((s) => s.answer === 'lost_answer').map((s) => s.messageKey)]);

  for (const channel of world.channels) {
    const where = `${at} ${channel.type} (${history(world, channel.id)})`;
    const mine = rows.filter((r) => r.channel_id === channel.id);
    // One delivery per alert and subscribed channel (every member follows everything by default).
    expect(mine.map((r) => `${r.purpose}:${r.event_key}`).sort(), `${where}: not one delivery per alert`).toEqual(expected.map((k) => `alert:${k}`).sort());
    expect(mine.filter((r) => !['sent', 'dead'].includes(r.state)), `${where}: a delivery is stuck after quiescence`).toEqual([]);

    const sends = world.wechat.sends.filter((s) => s.channelId === channel.id);
    const permanent = sends.findIndex((s) => s.answer === 'permanent');
    const shown = view.find((v) => v.id === channel.id);
    if (permanent >= 0) {
      figures.brokenChannels++;
      // Nothing after the first permanent answer - unless a kill kept it from being recorded, when
      // the stuck message is resent (nobody can know it was refused) and meets the same answer.
      const after = sends.slice(permanent);
      expect(after.filter((s) => s.answer !== 'permanent'), `${where}: attempts after the first permanent answer`).toEqual([]);
      expect(after.slice(0, -1).filter((s) => !world.interruptedKeys.has(s.messageKey)), `${where}: a permanent answer was recorded and still retried`).toEqual([]);
      expect(shown, `${where}: the owner is not told the channel is broken`).toMatchObject({ state: 'broken', brokenReason: expect.any(String) });
      if (channel.type === 'oa') {
        const binding = await db.prepare('SELECT state FROM oa_bindings WHERE channel_id = ?').bind(channel.id).first<{ state: string }>();
        expect(binding?.state, `${where}: an unfollowed binding stays enabled`).toBe('disabled');
      }
    } else {
      expect(shown?.state, `${where}: a healthy channel is marked broken`).toBe('ok');
      expect(mine.filter((r) => r.state !== 'sent'), `${where}: a healthy channel lost a delivery`).toEqual([]);
    }

    // The phone's view: how many messages showed each alert.
    const accepted = world.wechat.accepted.filter((s) => s.channelId === channel.id);
    for (const sent of accepted) {
      if (sent.deduplicated) continue;
      figures.messages++;
      expect(changesShown(sent), `${where}: the message does not show the changes claimed for it`).toBe(sent.alertKeys.length);
      if (sent.markedResend) {
        expect(mayBeMarked.has(sent.messageKey), `${where}: a resend mark without an interrupted or unanswered send`).toBe(true);
      }
    }
    for (const row of mine) {
      const copies = accepted.filter((s) => !s.deduplicated && s.alertKeys.includes(row.event_key));
      if (row.state === 'sent') expect(copies.length, `${where}: ${row.event_key} was recorded sent but never shown`).toBeGreaterThan(0);
      const [first, ...repeats] = copies;
      for (const repeat of repeats) {
        if (channel.type === 'oa') {
          // client_msg_id de-duplicates for 10 minutes (docs/domain/wechat.md); a resend that only
          // got through later than that cannot be caught, and a template has no room for a mark.
          expect(repeat.at - first!.at, `${where}: the Official Account repeated a message within its de-duplication window`).toBeGreaterThanOrEqual(OA_DEDUPE_MS);
        } else {
          expect(repeat.markedResend, `${where}: a repeated message is not marked as a possible repeat`).toBe(true);
        }
        expect(repeat.messageKey, `${where}: a repeat is not a resend of the same message`).toBe(first!.messageKey);
        expect(mayRepeat.has(repeat.messageKey), `${where}: a repeat outside the crash window`).toBe(true);
      }
    }
    // Counted per message: a repeat is a second copy of a message key the channel showed before.
    const shownMessages = accepted.filter((s) => !s.deduplicated);
    for (const [i, sent] of shownMessages.entries()) {
      const repeat = shownMessages.slice(0, i).some((s) => s.messageKey === sent.messageKey);
      if (repeat && channel.type === 'oa') figures.lateOaRepeats++;
      else if (repeat && world.repeatWindowKeys.has(sent.messageKey)) figures.crashRepeats++;
      else if (repeat) figures.lostAnswerRepeats++;
      else if (sent.markedResend) figures.falseAlarms++;
    }

    // A rejected token is refetched once: at most two template calls per message and moment.
    if (channel.type === 'oa') {
      const perMoment = new Map<string, number>();
      for (const s of sends) perMoment.set(`${s.clientMsgId}@${s.at}`, (perMoment.get(`${s.clientMsgId}@${s.at}`) ?? 0) + 1);
      expect(Math.max(0, ...perMoment.values()), `${where}: the token was refetched in a loop`).toBeLessThanOrEqual(2);
    }
  }
  expect(world.wechat.forcedRefreshes, `${at}: a token refresh was forced without a rejected token`).toBeLessThanOrEqual(world.wechat.tokenRejections);
  expect(world.queued.filter((q) => q.due <= world.now), `${at}: queue messages left unprocessed`).toEqual([]);
  return figures;
}
