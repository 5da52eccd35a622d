/**
 * One run's world for the WeChat fault suite: the pipeline world (a store, scripted Amazon, the
 * JOBS queue recorded) wired to the real alerting - fan-out, the outbox, the DELIVERIES consumer
 * and the cron sweep - with the misbehaving WeChat of fault-wechat-stand-in.ts, a team and its
 * channels in D1, and a consumer that dies at the outbox's checkpoints when the run says so.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { type DeliveryCheckpoint, type PlatformDeps, platformDeps } from '../../../relay/platform-deps.ts';
import { fanOutEvents } from '../../../relay/alerts/fan-out.ts';
import { handleDeliveryQueue } from '../../../relay/alerts/queue.ts';
import { sweepOutbox } from '../../../relay/alerts/sweep.ts';
import type { DeliveryJob } from '../../../relay/alerts/wake.ts';
import type { ChannelType } from '../../../shared/alerts/channel-verdicts.ts';
import { OUTBOX } from '../../../shared/alerts/outbox.ts';
import { fixtureCatalog } from '../../support/message-catalog.ts';
import { FaultyWechat } from './fault-wechat-stand-in.ts';
import type { WechatTally } from './fault-wechat-tally.ts';
import { seedTeam } from './fault-wechat-team.ts';
import { type PipelineWorld, pipelineWorld } from './pipeline-world.ts';

/** The cron trigger's period: the sweep runs on these boundaries. */
export const TICK_MS = 5 * 60_000;
/** Events younger than this are left to the pipeline's own fan-out (relay/alerts/sweep.ts). */
const SWEEP_GRACE_MS = 60_000;
/** The queue's own redelivery delay when a consumer asks for a retry without one. */
const DEFAULT_RETRY_S = 30;

export interface RunChannel {
  id: string;
  type: ChannelType;
  secret: string;
  memberId: string | null;
}

interface Queued {
  body: DeliveryJob;
  due: number;
}

export class WechatFaultWorld {
  readonly pipeline: PipelineWorld;
  readonly wechat: FaultyWechat;
  readonly alertDeps: PlatformDeps;
  readonly queued: Queued[] = [];
  readonly channels: RunChannel[] = [];
  readonly ownerId: string;
  /** Message keys left in `sending` by a killed consumer (with unanswered sends, the only ones a resend mark may carry). */
  readonly interruptedKeys = new Set<string>();
  /** Of those, keys the channel had accepted before the kill: the only ones that may repeat. */
  readonly repeatWindowKeys = new Set<string>();
  /** Where the consumer dies next (armed by the run, fired by the outbox's checkpoint). */
  crashAt: DeliveryCheckpoint | null = null;
  private crashed = false;
  /** Promises the pipeline handed to `waitUntil` (the immediate delivery attempt). */
  private readonly background: Promise<unknown>[] = [];
  readonly ctx = { waitUntil: (p: Promise<unknown>) => void this.background.push(p) };

  readonly storeId: string;
  readonly workspaceId: string;
  readonly random: () => number;
  readonly tally: WechatTally;
  /** The clock at the start of the run, for failure messages. */
  readonly startedAt: number;

  private constructor(pipeline: PipelineWorld, storeId: string, workspaceId: string, random: () => number, tally: WechatTally) {
    this.pipeline = pipeline;
    this.storeId = storeId;
    this.workspaceId = workspaceId;
    this.random = random;
    this.tally = tally;
    this.startedAt = pipeline.clock.now;
    this.ownerId = `${workspaceId}-owner`;
    const appId = `wx-${workspaceId}`; // its own app id: the OA token cache is per app, so runs do not share it
    this.wechat = new FaultyWechat({ now: () => this.now, db: pipeline.env.DB, appId, appSecret: 'wx-secret', templateId: 'tpl-1' });
    const record = (body: DeliveryJob, delaySeconds = 0) => this.queued.push({ body, due: this.now + delaySeconds * 1000 });
    const deliveries = {
      send: async (body: DeliveryJob, options?: { delaySeconds?: number }) => record(body, options?.delaySeconds),
      sendBatch: async (messages: Iterable<{ body: DeliveryJob; delaySeconds?: number }>) => {
        if (this.random() < 0.05) {
          this.tally.lostWakes++;
          throw new Error('worker died before the wake-ups were queued');
        }
        for (const m of messages) record(m.body, m.delaySeconds);
      },
    } as unknown as Queue; // only send/sendBatch are used by the alert code
    Object.assign(pipeline.env, {
      DELIVERIES: deliveries,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'wx-secret',
      WECHAT_TEMPLATE_ID: 'tpl-1',
      WECHAT_API_BASE: 'https://wx-forwarder.test/',
    });
    let ids = 0;
    const platform = { now: () => this.now, fetch: this.wechat.fetch, newId: () => `${workspaceId}-${++ids}` };
    this.alertDeps = platformDeps(pipeline.env, platform, {
      catalog: fixtureCatalog,
      checkpoint: (step) => {
        if (this.crashAt !== step) return;
        this.crashAt = null;
        this.crashed = true;
        this.tally.crashes[step]++;
        throw new Error(`consumer killed after ${step}`);
      },
    });
    pipeline.deps.fanOut = async (e, events, ctx) => {
      if (this.random() < 0.08) {
        this.tally.crashes.before_fan_out++;
        throw new Error('pipeline killed after writing events, before fan-out'); // the sweep decides them
      }
      await fanOutEvents(e, events, this.now, { ctx, deps: this.alertDeps });
    };
  }

  get now(): number {
    return this.pipeline.clock.now;
  }

  set now(value: number) {
    this.pipeline.clock.now = value;
  }

  static async create(run: number, random: () => number, tally: WechatTally): Promise<WechatFaultWorld> {
    const storeId = `wfs-${run}`;
    const workspaceId = `wfw-${run}`;
    const world = new WechatFaultWorld(await pipelineWorld(storeId, workspaceId), storeId, workspaceId, random, tally);
    await seedTeam(world, run);
    return world;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /**
   * Removes the run's alerting rows once checked. The sweep's queries span every workspace (as
   * in production); left behind, a thousand finished runs would make each later tick slower.
   */
  async cleanUp(): Promise<void> {
    const db = this.pipeline.env.DB;
    await db.batch([
      db.prepare('DELETE FROM deliveries WHERE channel_id IN (SELECT id FROM channels WHERE workspace_id = ?)').bind(this.workspaceId),
      db.prepare('DELETE FROM alerts WHERE workspace_id = ?').bind(this.workspaceId),
      db.prepare('DELETE FROM alert_fanouts WHERE event_key IN (SELECT key FROM events WHERE store_id = ?)').bind(this.storeId),
      db.prepare('DELETE FROM events WHERE store_id = ?').bind(this.storeId),
    ]);
  }

  /** Waits for the immediate delivery attempts the pipeline started under `waitUntil`. */
  async settleBackground(): Promise<void> {
    await Promise.allSettled(this.background.splice(0));
    this.crashAt = null; // armed for an attempt that did not happen: the next step decides anew
    await this.noteCrash();
  }

  /**
   * After a kill, the killed sender's deliveries are still `sending`, claimed now: their message
   * key was interrupted, and if the channel had accepted it, a resend may repeat it.
   */
  private async noteCrash(): Promise<void> {
    if (!this.crashed) return;
    this.crashed = false;
    const { results } = await this.pipeline.env.DB.prepare(
      `SELECT DISTINCT d.channel_id, d.message_key FROM deliveries d JOIN channels c ON c.id = d.channel_id
       WHERE c.workspace_id = ? AND d.state = 'sending' AND d.claimed_at = ?`,
    )
      .bind(this.workspaceId, this.now)
      .all<{ channel_id: string; message_key: string }>();
    for (const r of results) {
      this.interruptedKeys.add(r.message_key);
      if (this.wechat.accepted.some((a) => a.channelId === r.channel_id && a.messageKey === r.message_key)) this.repeatWindowKeys.add(r.message_key);
    }
  }

  /** Runs the DELIVERIES consumer on every message due now, with the queue's own misbehaviour. */
  async drainQueue(): Promise<number> {
    const due = this.queued.filter((q) => q.due <= this.now);
    if (due.length === 0) return 0;
    for (const q of due) this.queued.splice(this.queued.indexOf(q), 1);
    const bodies = due.map((q) => q.body);
    if (this.random() < 0.1) {
      bodies.push(this.pick(bodies)); // at-least-once: the same message twice in one batch
      this.tally.redeliveries++;
    }
    const roll = this.random();
    if (roll < 0.25) this.crashAt = this.pick<DeliveryCheckpoint>(['claimed', 'sent', 'sent', 'recorded']);
    const batch = createMessageBatch<unknown>(
      'storewatch-deliveries',
      bodies.map((body, i) => ({ id: `m${i}`, timestamp: this.now, attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await handleDeliveryQueue(batch, this.pipeline.env, this.alertDeps);
    const result = await getQueueResult(batch, ctx);
    this.crashAt = null; // armed but not reached (nothing to send): the next batch decides anew
    for (const retry of result.retryMessages) {
      const body = bodies[Number(retry.msgId.slice(1))]!;
      this.queued.push({ body, due: this.now + (retry.delaySeconds ?? DEFAULT_RETRY_S) * 1000 });
      this.tally.redeliveries++;
    }
    if (roll >= 0.25 && roll < 0.32 && bodies.length > 0) {
      // Acked work delivered once more, later (a consumer that died before its ack reached the queue).
      this.queued.push({ body: this.pick(bodies), due: this.now + DEFAULT_RETRY_S * 1000 });
      this.tally.redeliveries++;
    }
    await this.noteCrash();
    return bodies.length;
  }

  /** The cron trigger: the sweep (undecided events, stuck claims, due retries), then the consumer. */
  async tick(): Promise<void> {
    try {
      await sweepOutbox(this.pipeline.env, this.now, this.alertDeps);
    } catch {
      // The cron run died (a lost wake-up above): the next tick finds the same work.
    }
    await this.drainQueue();
  }

  /** When the sweep would next find work of this run: a retry due, a claim gone stale, an undecided event. */
  private async nextSweepWork(): Promise<number | null> {
    const row = await this.pipeline.env.DB.prepare(
      `SELECT MIN(at) AS at FROM (
         SELECT CASE WHEN d.state = 'sending' THEN d.claimed_at + ?1 ELSE d.next_attempt_at END AS at
         FROM deliveries d JOIN channels c ON c.id = d.channel_id
         WHERE c.workspace_id = ?2 AND d.state IN ('pending', 'failed', 'sending')
         UNION ALL
         SELECT e.created_at + ?3 AS at FROM events e LEFT JOIN alert_fanouts f ON f.event_key = e.key
         WHERE e.store_id = ?4 AND f.event_key IS NULL)`,
    )
      .bind(OUTBOX.stuckAfterMs, this.workspaceId, SWEEP_GRACE_MS, this.storeId)
      .first<{ at: number | null }>();
    return row?.at ?? null;
  }

  /**
   * Lets queue wake-ups and cron ticks run, in time order, until `until` (or, with null, until
   * nothing is left to do). Idle ticks are skipped: a sweep with nothing due changes nothing.
   * Returns false when `steps` ran out first.
   */
  async runAlerts(until: number | null, steps = 400): Promise<boolean> {
    for (let step = 0; step < steps; step++) {
      if ((await this.drainQueue()) > 0) continue;
      const nextQueued = Math.min(...this.queued.map((q) => q.due), Infinity);
      const work = await this.nextSweepWork();
      const nextTick = work === null ? Infinity : Math.ceil(Math.max(work, this.now + 1) / TICK_MS) * TICK_MS;
      const next = Math.min(nextQueued, nextTick);
      if (next === Infinity) return true;
      if (until !== null && next > until) {
        this.now = Math.max(this.now, until);
        return true;
      }
      this.now = Math.max(this.now, next);
      if (next === nextTick) await this.tick();
    }
    return false;
  }
}
