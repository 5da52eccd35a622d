/**
 * The worst cases the per-invocation budgets are held to, built on the alert world: a workspace
 * with 44 channels (every team robot the cap allows, every member's personal channels and Official
 * Account binding), a store
 * whose report is about to breach, the scripted Amazon and the sandbox's WeChat behind one metered
 * fetch, and each Worker entry (HTTP, cron, job queue, delivery queue) run as one invocation with a
 * fresh tally (test/relay/helpers/invocation-meter.ts).
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { handleDeliveryQueue } from '../../../relay/alerts/queue.ts';
import { handleDigestQueue } from '../../../relay/digest/digest-queue.ts';
import { createApp } from '../../../relay/app.ts';
import { hashSecret } from '../../../relay/auth/tokens.ts';
import { keyringFromEnv, refreshTokenContext, seal } from '../../../relay/crypto/secrets.ts';
import { insertMemberStatements } from '../../../relay/db/members.ts';
import type { Env } from '../../../relay/env.ts';
import { handleJobQueue } from '../../../relay/pipeline/consumer.ts';
import { pipelineDeps } from '../../../relay/pipeline/deps.ts';
import { type Platform, platformDeps } from '../../../relay/platform-deps.ts';
import { handleScheduled } from '../../../relay/scheduled.ts';
import { LIMITS } from '../../../shared/api/limits.ts';
import type { Region } from '../../../shared/types.ts';
import { buildReport } from '../../support/report-documents.ts';
import { fixtureCatalog } from '../../support/message-catalog.ts';
import { World, apiTokenOf, bindOfficialAccount } from './alerts-world.ts';
import { type Tally, meteredEnv, meteredFetch, newTally } from './invocation-meter.ts';
import { ScriptedAmazon } from './scripted-amazon.ts';

export const STORE = 'store-budget';
export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';
const REFRESH_TOKEN = `Atzr|${STORE}`;
/** Members besides the seeded owner1 and member1, each with a full set of personal channels. */
const MORE_MEMBERS = ['member2', 'member3'];

export class BudgetWorld {
  readonly alerts = new World();
  readonly amazon: ScriptedAmazon;
  /** What the seller's report says now, per marketplace (ODR defects of 250 orders). */
  readonly defects: Record<string, number>;
  /** Messages left on the job queue by the last invocations, oldest first. */
  readonly jobs: Array<{ body: unknown; due: number }> = [];
  readonly deliveries: Array<{ body: unknown; due: number }> = [];
  readonly digests: Array<{ body: unknown; due: number }> = [];

  readonly region: Region;
  readonly marketplaces: ReadonlyArray<readonly [string, string]>;

  /** The store's region and marketplaces (id, country): by default a North American seller in two. */
  constructor(
    region: Region = 'na',
    marketplaces: ReadonlyArray<readonly [string, string]> = [
      [US, 'US'],
      [CA, 'CA'],
    ],
  ) {
    this.region = region;
    this.marketplaces = marketplaces;
    this.defects = Object.fromEntries(marketplaces.map(([id]) => [id, 0]));
    this.amazon = new ScriptedAmazon({
      sellers: {
        [REFRESH_TOKEN]: { documents: Object.fromEntries(marketplaces.map(([id]) => [id, () => buildReport({ marketplaceId: id, odrMfn: { defects: this.defects[id]!, orders: 250 } })])) },
      },
      pollsUntilDone: 0,
    });
  }

  get now(): number {
    return this.alerts.now;
  }

  /** Stands in for D1 when a test needs to step between the relay's calls (a racing writer). */
  db: D1Database | null = null;

  get env(): Env {
    return { ...this.alerts.env, ...(this.db ? { DB: this.db } : {}), LWA_CLIENT_ID: 'client', LWA_CLIENT_SECRET: 'secret' };
  }

  /** Amazon's hosts to the scripted Amazon, everything else to the sandbox's WeChat. */
  private readonly outbound: typeof fetch = (input, init) => {
    const host = new URL(new Request(input, init).url).hostname;
    return host.includes('amazon') ? this.amazon.fetch(input, init) : this.alerts.wechat.fetch(input, init);
  };

  async seed(): Promise<void> {
    await this.alerts.seed();
    const db = this.alerts.env.DB;
    await db.batch(['report_jobs', 'access_tokens', 'snapshots', 'store_marketplaces', 'rate_limits'].map((t) => db.prepare(`DELETE FROM ${t}`)));
    const members = await Promise.all(
      MORE_MEMBERS.map(async (id) => ({ memberId: id, workspaceId: 'w1', name: id, role: 'member' as const, tokenId: `t-${id}`, tokenHash: await hashSecret(apiTokenOf(id)), device: 'test' })),
    );
    const sealed = await seal(await keyringFromEnv(this.env), REFRESH_TOKEN, refreshTokenContext('w1', STORE));
    await db.batch([
      ...members.flatMap((m) => insertMemberStatements(db, m, 0)),
      db
        .prepare(
          `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, created_at, updated_at)
           VALUES (?, 'w1', 'Budget Co', ?, ?, ?, ?, 0, 0, 0)`,
        )
        .bind(STORE, this.region, sealed.ciphertext, sealed.iv, sealed.keyId),
      ...this.marketplaces.map(([id, country]) => db.prepare("INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, 'w1', ?, ?)").bind(STORE, id, country)),
    ]);
    // Every team robot the cap allows, each its own key (the sandbox limits each robot to 20 a minute).
    for (let i = 0; i < LIMITS.teamChannelsPerWorkspace; i++) {
      const key = `0b1c2d3e-4f50-6172-8394-a5b6c7d8e9${i.toString(16).padStart(2, '0')}`;
      await this.must('owner1', { type: 'wecom', name: `群${i}`, secret: key });
    }
    for (const member of ['owner1', 'member1', ...MORE_MEMBERS]) {
      for (let i = 0; i < LIMITS.personalChannelsPerMember; i++) {
        await this.must(member, { type: 'pushplus', name: `p${i}`, secret: `${member}pushplus${i}`.padEnd(32, '0') });
      }
    }
    // And the Official Account bindings, whose sends fetch an access token first: 44 channels.
    for (const member of ['owner1', 'member1', ...MORE_MEMBERS]) await bindOfficialAccount(this.alerts, member, `openid-${member}`);
  }

  private async must(as: string, body: unknown): Promise<void> {
    const res = await this.alerts.request('/v1/channels', { method: 'POST', as, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`add channel: ${res.status} ${await res.text()}`);
  }

  /** The platform of one invocation: the world's clock and ids, its outbound fetch metered into `tally`. */
  private platform(tally: Tally): Platform {
    return { ...this.alerts.platform, fetch: meteredFetch(this.outbound, tally) };
  }

  /** Keeps what an invocation queued, to run later as the queue would. */
  private keep(tally: Tally): void {
    for (const m of tally.messages.JOBS ?? []) this.jobs.push({ body: m.body, due: this.now + m.delaySeconds * 1000 });
    for (const m of tally.messages.DELIVERIES ?? []) this.deliveries.push({ body: m.body, due: this.now + m.delaySeconds * 1000 });
    for (const m of tally.messages.DIGESTS ?? []) this.digests.push({ body: m.body, due: this.now + m.delaySeconds * 1000 });
  }

  /** One HTTP request as its own invocation. */
  async http(path: string, init: RequestInit & { as?: string } = {}): Promise<{ tally: Tally; status: number }> {
    const tally = newTally();
    const env = meteredEnv(this.env, tally);
    const headers = new Headers(init.headers);
    if (init.as) headers.set('authorization', `Bearer ${apiTokenOf(init.as)}`);
    if (init.body) headers.set('content-type', 'application/json');
    const ctx = createExecutionContext();
    const res = await createApp(this.platform(tally)).fetch(new Request(`https://relay.test${path}`, { ...init, headers }), env, ctx);
    await res.arrayBuffer();
    await waitOnExecutionContext(ctx);
    this.keep(tally);
    return { tally, status: res.status };
  }

  /** One cron tick. */
  async cron(): Promise<Tally> {
    const tally = newTally();
    const env = meteredEnv(this.env, tally);
    await handleScheduled(createScheduledController({ scheduledTime: new Date(this.now), cron: '*/5 * * * *' }), env, platformDeps(env, this.platform(tally), { catalog: fixtureCatalog }));
    this.keep(tally);
    return tally;
  }

  /** One JOBS message (the consumer takes one per invocation), with whatever it left under waitUntil. */
  async jobStep(body: unknown): Promise<Tally> {
    const tally = newTally();
    const env = meteredEnv(this.env, tally);
    const ctx = createExecutionContext();
    const batch = createMessageBatch<unknown>('storewatch-jobs', [{ id: `j${this.now}`, timestamp: new Date(this.now), attempts: 1, body }]);
    await handleJobQueue(batch, env, ctx, pipelineDeps(platformDeps(env, this.platform(tally), { catalog: fixtureCatalog })));
    await getQueueResult(batch, ctx);
    await waitOnExecutionContext(ctx);
    this.keep(tally);
    return tally;
  }

  /** One DELIVERIES batch of the given messages. */
  async deliveryBatch(bodies: unknown[]): Promise<Tally> {
    const tally = newTally();
    const env = meteredEnv(this.env, tally);
    const ctx = createExecutionContext();
    const batch = createMessageBatch<unknown>('storewatch-deliveries', bodies.map((body, i) => ({ id: `d${this.now}-${i}`, timestamp: new Date(this.now), attempts: 1, body })));
    await handleDeliveryQueue(batch, env, platformDeps(env, this.platform(tally), { catalog: fixtureCatalog }));
    const result = await getQueueResult(batch, ctx);
    this.keep(tally);
    // What the consumer handed back comes again, as the queue would redeliver it.
    for (const retried of result.retryMessages) {
      const message = batch.messages.find((m) => m.id === retried.msgId);
      if (message) this.deliveries.push({ body: message.body, due: this.now + (retried.delaySeconds ?? 0) * 1000 });
    }
    return tally;
  }

  /** One DIGESTS message (the consumer takes one per invocation). */
  async digestMessage(body: unknown): Promise<Tally> {
    const tally = newTally();
    const env = meteredEnv(this.env, tally);
    const ctx = createExecutionContext();
    const batch = createMessageBatch<unknown>('storewatch-digests', [{ id: `g${this.now}`, timestamp: new Date(this.now), attempts: 1, body }]);
    await handleDigestQueue(batch, env, platformDeps(env, this.platform(tally), { catalog: fixtureCatalog }));
    await getQueueResult(batch, ctx);
    this.keep(tally);
    return tally;
  }

  /** Runs a store's poll to the end, one invocation per job message, returning each invocation's tally. */
  async pollToEnd(): Promise<Tally[]> {
    const tallies = [await this.jobStep({ kind: 'poll', storeId: STORE, workspaceId: 'w1' })];
    for (let guard = 0; guard < 30 && this.jobs.length > 0; guard++) {
      const next = this.jobs.shift()!;
      this.alerts.now = Math.max(this.alerts.now, next.due);
      tallies.push(await this.jobStep(next.body));
    }
    return tallies;
  }
}
