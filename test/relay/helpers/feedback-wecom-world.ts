/**
 * A sandbox pipeline world (sandbox-world.ts) wired to alerting as production wires it, delivering
 * to the simulated WeCom robot of one team channel: the feedback report's cron schedule and the
 * account-health polls run through the JOBS consumer, their events through the rules and the
 * outbox, and the test reads what the team's phone got.
 */
import { createExecutionContext, createMessageBatch, env } from 'cloudflare:test';
import { LIMITS } from '../../../shared/api/limits.ts';
import { fanOutEvents } from '../../../relay/alerts/fan-out.ts';
import { insertChannel } from '../../../relay/alerts/channels-db.ts';
import { deliverChannel } from '../../../relay/alerts/deliver.ts';
import { sweepOutbox } from '../../../relay/alerts/sweep.ts';
import { channelSecretBinding } from '../../../relay/crypto/secrets.ts';
import { insertMemberStatements } from '../../../relay/db/members.ts';
import { handleJobQueue } from '../../../relay/pipeline/consumer.ts';
import { scheduleDueFeedback } from '../../../relay/pipeline/schedule.ts';
import { platformDeps } from '../../../relay/platform-deps.ts';
import type { Env } from '../../../relay/env.ts';
import { createWechatSide } from '../../sandbox/wechat.ts';
import { sandboxWorld } from './sandbox-world.ts';

const WECOM_KEY = '3f2e1d0c-4b5a-6978-8a9b-0c1d2e3f4a5b';

export async function feedbackWorld() {
  const w = await sandboxWorld('na');
  const wechat = createWechatSide(() => w.clock.now);
  const pending: Promise<unknown>[] = [];
  const deliveries = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
  const alertEnv = (e: Env) => ({ ...e, DELIVERIES: deliveries }) as Env;
  const alertDeps = platformDeps(alertEnv(w.env), { now: () => w.clock.now, fetch: wechat.fetch, newId: () => crypto.randomUUID() });
  // The world's consumer context keeps what alerting hands to waitUntil, so a test can await it.
  w.ctx.waitUntil = (p: Promise<unknown>) => void pending.push(p);
  w.deps.fanOut = async (e, events, ctx) => {
    await fanOutEvents(alertEnv(e), events, w.clock.now, { ctx, deps: alertDeps });
  };
  await env.DB.batch(insertMemberStatements(env.DB, { memberId: `m-${w.name}`, workspaceId: w.workspaceId, name: 'Lin', role: 'owner', tokenId: `t-${w.name}`, tokenHash: `h-${w.name}`, device: 'test' }, w.clock.now));
  await insertChannel(env.DB, {
    id: `ch-${w.name}`,
    workspace_id: w.workspaceId,
    member_id: null,
    type: 'wecom',
    name: '运营群',
    secret: await alertDeps.secrets.seal(WECOM_KEY, channelSecretBinding(`ch-${w.name}`)),
    secret_hint: '3f2e…4a5b',
    language: 'zh-CN',
    time_zone: 'Asia/Shanghai',
    state: 'ok',
    broken_reason: null,
    broken_at: null,
    next_send_at: 0,
    lease_token: null,
    lease_until: null,
    created_at: w.clock.now,
    updated_at: w.clock.now,
  }, LIMITS.teamChannelsPerWorkspace);

  /** One cron tick's feedback schedule, its poll message through the JOBS consumer, the job drained. */
  async function tick(): Promise<string[]> {
    const before = w.sent.length;
    await scheduleDueFeedback(w.env, w.clock.now);
    // The D1 of a test file is shared: other tests' stores are due too, and are not this world's to poll.
    const polls = w.sent.splice(before).map((m) => m.body).filter((m) => m.kind === 'poll' && m.storeId === w.storeId);
    const ctx = createExecutionContext();
    const messages = polls.map((body, i) => ({ id: `poll-${i}`, timestamp: new Date(w.clock.now), attempts: 1, body }));
    await handleJobQueue(createMessageBatch('storewatch-jobs', messages), w.env, { ...ctx, waitUntil: (p: Promise<unknown>) => void pending.push(p) }, w.deps);
    await w.drain();
    await Promise.all(pending.splice(0));
    return polls.map((p) => (p.kind === 'poll' ? (p.report ?? 'performance') : p.kind));
  }

  /** An account-health poll of the store, its events alerted and delivered. */
  async function healthPoll(): Promise<void> {
    await w.poll();
    await Promise.all(pending.splice(0));
  }

  /** The cron's alert sweep (undecided and held events, due deliveries), delivered. */
  async function sweep(): Promise<void> {
    await sweepOutbox(alertEnv(w.env), w.clock.now, alertDeps);
    await Promise.all(pending.splice(0));
  }

  /** Delivers what is due to the team channel (the queue's part in production). */
  async function deliver(): Promise<void> {
    await deliverChannel(alertEnv(w.env), alertDeps, `ch-${w.name}`, w.clock.now);
  }

  /** Waits for the deliveries alerting started under `w.ctx.waitUntil`. */
  async function settle(): Promise<void> {
    await Promise.all(pending.splice(0));
  }

  return { w, tick, healthPoll, sweep, deliver, settle, wecom: () => wechat.messagesTo('wecom') };
}
