/**
 * A small world for the alert tests in workerd: a workspace with an owner, a member and a store;
 * the sandbox's WeChat side as `fetch` (test/sandbox/wechat.ts); recording DELIVERIES and DIGESTS queues (nothing reaches the
 * real queues or the network); an injected clock; and the relay's real app (`createApp`), called with each
 * member's real API token.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { fanOutEvents } from '../../../relay/alerts/fan-out.ts';
import { handleDeliveryQueue } from '../../../relay/alerts/queue.ts';
import { sweepOutbox } from '../../../relay/alerts/sweep.ts';
import type { DeliveryJob } from '../../../relay/alerts/wake.ts';
import { handleDigestQueue } from '../../../relay/digest/digest-queue.ts';
import { createApp } from '../../../relay/app.ts';
import { hashSecret } from '../../../relay/auth/tokens.ts';
import { insertEventStatement } from '../../../relay/db/events.ts';
import { insertMemberStatements } from '../../../relay/db/members.ts';
import type { Env } from '../../../relay/env.ts';
import { type DeliveryCheckpoint, type Platform, type PlatformDeps, platformDeps } from '../../../relay/platform-deps.ts';
import type { StoreEvent } from '../../../shared/alerts/rules.ts';
import type { HealthEvent } from '../../../shared/types.ts';
import { fixtureCatalog } from '../../support/message-catalog.ts';
import { type WechatSide, createWechatSide } from '../../sandbox/wechat.ts';

export const US = 'ATVPDKIKX0DER';
export const DE = 'A1PA6795UKMFR9';
export const JP = 'A1VC38T7YXB528';
export const WECOM_KEY = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
export const WECHAT_TOKEN = 'callback-token';
/** 2026-03-10 12:00 in Shanghai. */
export const T0 = Date.UTC(2026, 2, 10, 4, 0);

/**
 * The other owners' tables, only as far as the alert code reads them, for as long as their
 * migrations are not in relay/migrations (CREATE ... IF NOT EXISTS defers to theirs).
 */
async function ensureDirectoryTables(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare('CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, role TEXT NOT NULL, revoked_at INTEGER)'),
    db.prepare('CREATE TABLE IF NOT EXISTS stores (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL)'),
    db.prepare(
      `CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, workspace_id TEXT NOT NULL, store_id TEXT NOT NULL, key TEXT NOT NULL UNIQUE,
       kind TEXT NOT NULL, severity TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL)`,
    ),
  ]);
}

interface QueuedJob {
  body: DeliveryJob;
  due: number;
}

export class World {
  now = T0;
  readonly wechat: WechatSide;
  readonly queued: QueuedJob[] = [];
  /** What was put on the DIGESTS queue and not yet consumed, with when it is due. */
  readonly digestJobs: Array<{ body: unknown; due: number }> = [];
  readonly env: Env;
  crashAt: DeliveryCheckpoint | null = null;
  private ids = 0;
  readonly platform: Platform;
  readonly deps: PlatformDeps;
  readonly app: ReturnType<typeof createApp>;

  constructor() {
    // Its Official Account posts scan events straight into this world's routes, signed with WECHAT_TOKEN.
    this.wechat = createWechatSide(() => this.now, {
      fetch: async (input, init) => this.app.request(new Request(input, init), undefined, this.env),
      officialAccount: { appId: 'wx-app', appSecret: 'wx-secret', templateIds: ['tpl-1'], callbackUrl: 'https://relay.test/wechat/callback', callbackToken: WECHAT_TOKEN },
    });
    const record = (body: DeliveryJob, delaySeconds = 0) => this.queued.push({ body, due: this.now + delaySeconds * 1000 });
    // Records what would be queued; tests drain it into the consumer when they choose.
    const deliveries = {
      send: async (body: DeliveryJob, options?: { delaySeconds?: number }) => record(body, options?.delaySeconds),
      sendBatch: async (messages: Iterable<{ body: DeliveryJob; delaySeconds?: number }>) => {
        for (const m of messages) record(m.body, m.delaySeconds);
      },
    } as unknown as Queue; // only send/sendBatch are used by the alert code
    const digests = {
      send: async (body: unknown, options?: { delaySeconds?: number }) => this.digestJobs.push({ body, due: this.now + (options?.delaySeconds ?? 0) * 1000 }),
      sendBatch: async (messages: Iterable<{ body: unknown; delaySeconds?: number }>) => {
        for (const m of messages) this.digestJobs.push({ body: m.body, due: this.now + (m.delaySeconds ?? 0) * 1000 });
      },
    } as unknown as Queue; // only send/sendBatch are used by the digest code
    this.env = {
      ...env,
      DELIVERIES: deliveries,
      DIGESTS: digests,
      TOKEN_ENCRYPTION_KEY: btoa(String.fromCharCode(...Array.from({ length: 32 }, () => 7))),
      WECHAT_APP_ID: 'wx-app',
      WECHAT_APP_SECRET: 'wx-secret',
      WECHAT_TOKEN,
      WECHAT_TEMPLATE_ID: 'tpl-1',
      WECHAT_API_BASE: 'https://wx-forwarder.test/',
    };
    this.platform = {
      now: () => this.now,
      fetch: this.wechat.fetch,
      newId: () => `id-${String(++this.ids).padStart(4, '0')}-${Math.random().toString(16).slice(2, 10)}`,
    };
    this.deps = platformDeps(this.env, this.platform, {
      catalog: fixtureCatalog,
      checkpoint: (step) => {
        if (this.crashAt === step) {
          this.crashAt = null;
          throw new Error(`simulated crash after ${step}`);
        }
      },
    });
    this.app = createApp(this.platform);
  }

  /** Storage is shared by the tests of a file: each starts from empty tables. */
  async seed(): Promise<void> {
    const db = this.env.DB;
    await ensureDirectoryTables(db);
    const tables = ['deliveries', 'alerts', 'alert_fanouts', 'oa_bindings', 'channels', 'member_prefs', 'alert_rules', 'oa_tokens', 'wechat_callbacks_seen', 'wechat_nonces', 'events', 'stores', 'api_tokens', 'members'];
    await db.batch(tables.map((t) => db.prepare(`DELETE FROM ${t}`)));
    await db.prepare('DELETE FROM workspaces').run();
    // The relay schema (0001_init.sql) wants workspaces first, names and times, and a sealed token.
    const members = [
      { memberId: 'owner1', workspaceId: 'w1', name: 'Owner', role: 'owner' },
      { memberId: 'member1', workspaceId: 'w1', name: 'Member', role: 'member' },
      { memberId: 'owner2', workspaceId: 'w2', name: 'Owner 2', role: 'owner' },
    ] as const;
    const tokens = await Promise.all(members.map(async (m) => ({ ...m, tokenId: `t-${m.memberId}`, tokenHash: await hashSecret(apiTokenOf(m.memberId)), device: 'test' })));
    await db.batch([
      db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES ('w1', 'Acme', 0), ('w2', 'Other', 0)"),
      ...tokens.flatMap((m) => insertMemberStatements(db, m, 0)),
      db.prepare(
        `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, created_at, updated_at)
         VALUES ('s1', 'w1', 'Acme Home', 'na', 'x', 'x', 'x', 0, 0), ('s2', 'w2', 'Other Co', 'na', 'x', 'x', 'x', 0, 0)`,
      ),
    ]);
  }

  async request(path: string, init: RequestInit & { as?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.as) headers.set('authorization', `Bearer ${apiTokenOf(init.as)}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return this.app.request(path, { ...init, headers }, this.env);
  }

  async addWecom(name = '运营群'): Promise<string> {
    const res = await this.request('/v1/channels', {
      method: 'POST',
      as: 'owner1',
      body: JSON.stringify({ type: 'wecom', name, secret: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}` }),
    });
    if (res.status !== 201) throw new Error(`add channel: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { channel: { id: string } }).channel.id;
  }

  /** Writes an event as the pipeline does and returns it. */
  async recordEvent(event: Partial<HealthEvent> & { key: string }, storeId = 's1', workspaceId = 'w1'): Promise<StoreEvent> {
    const full: HealthEvent = {
      kind: 'level_changed',
      severity: 'warning',
      marketplaceId: US,
      metric: 'odrMfn',
      from: 'ok',
      to: 'warn',
      detail: {},
      ...event,
    };
    const stored: StoreEvent = { ...full, storeId, workspaceId, createdAt: this.now };
    // The pipeline's own insert, with a guard that always holds (the pipeline's is its step guard).
    await insertEventStatement(this.env.DB, stored, { sql: '1', binds: [] }).run();
    return stored;
  }

  /** The pipeline's call after writing events: fan out and deliver at once under waitUntil. */
  async fanOut(events: StoreEvent[]): Promise<void> {
    const ctx = createExecutionContext();
    await fanOutEvents(this.env, events, this.now, { ctx, deps: this.deps });
    await waitOnExecutionContext(ctx).catch(() => undefined);
  }

  /** Runs the DELIVERIES consumer on every queued job due by now; returns how many it took. */
  async drainQueue(): Promise<number> {
    const due = this.queued.filter((q) => q.due <= this.now);
    if (due.length === 0) return 0;
    for (const q of due) this.queued.splice(this.queued.indexOf(q), 1);
    const batch = createMessageBatch<unknown>(
      'storewatch-deliveries',
      due.map((q, i) => ({ id: `m${i}`, timestamp: this.now, attempts: 1, body: q.body })),
    );
    const ctx = createExecutionContext();
    await handleDeliveryQueue(batch, this.env, this.deps);
    await getQueueResult(batch, ctx);
    return due.length;
  }

  /**
   * Runs the DIGESTS consumer on every message due by now, one message per invocation as
   * wrangler.toml configures it; `copies` > 1 delivers each message that many times at once (the
   * queue's at-least-once delivery). What the consumer hands back is queued again. Returns how many
   * messages it took.
   */
  async drainDigests(copies = 1): Promise<number> {
    const due = this.digestJobs.filter((q) => q.due <= this.now);
    for (const q of due) this.digestJobs.splice(this.digestJobs.indexOf(q), 1);
    await Promise.all(
      due.flatMap((q, i) =>
        Array.from({ length: copies }, async (_, copy) => {
          const batch = createMessageBatch<unknown>('storewatch-digests', [{ id: `g${i}-${copy}`, timestamp: new Date(this.now), attempts: 1, body: q.body }]);
          const ctx = createExecutionContext();
          await handleDigestQueue(batch, this.env, this.deps);
          const result = await getQueueResult(batch, ctx);
          for (const retried of result.retryMessages) this.digestJobs.push({ body: q.body, due: this.now + (retried.delaySeconds ?? 0) * 1000 });
        }),
      ),
    );
    return due.length;
  }

  /** The cron tick: sweep, then let the consumer take what the sweep queued. */
  async tick(): Promise<void> {
    await sweepOutbox(this.env, this.now, this.deps);
    await this.drainQueue();
  }

  /** Moves the clock and runs every cron tick (5 minutes unless told) and queue wake-up on the way. */
  async advance(ms: number, tickEvery = 300_000): Promise<void> {
    const end = this.now + ms;
    for (let guard = 0; this.now < end && guard < 2000; guard++) {
      const nextQueued = Math.min(...this.queued.map((q) => q.due).filter((d) => d > this.now), Infinity);
      const nextTick = Math.floor(this.now / tickEvery) * tickEvery + tickEvery;
      this.now = Math.min(end, nextQueued, nextTick);
      await this.drainQueue();
      if (this.now === nextTick) await this.tick();
    }
  }

  async deliveries(): Promise<Array<{ channel_id: string; state: string; attempts: number; purpose: string; last_error: string | null }>> {
    const { results } = await this.env.DB.prepare('SELECT channel_id, state, attempts, purpose, last_error FROM deliveries ORDER BY id').all<{
      channel_id: string;
      state: string;
      attempts: number;
      purpose: string;
      last_error: string | null;
    }>();
    return results;
  }
}

/** The API token the seeded member `memberId` calls with (its hash is in api_tokens). */
export function apiTokenOf(memberId: string): string {
  return `sw_test-token-of-${memberId}`;
}

/** An ODR event with the numbers a message needs. */
export function odrEvent(key: string, over: Partial<HealthEvent> = {}, detail: HealthEvent['detail'] = {}): Partial<HealthEvent> & { key: string } {
  return {
    key,
    kind: 'level_changed',
    severity: 'critical',
    marketplaceId: US,
    metric: 'odrMfn',
    from: 'warn',
    to: 'breach',
    ...over,
    detail: {
      valueFrom: 0.0089,
      valueTo: 0.0112,
      target: { value: 0.01, condition: 'LESS_THAN' },
      headroom: 2,
      window: { from: '2026-01-09T00:00:00Z', to: '2026-03-09T00:00:00Z' },
      ...detail,
    },
  };
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The query WeChat puts on a callback: signature = sha1(sort([token, timestamp, nonce]).join('')). */
export async function wechatSignature(timestampS: number, nonce = 'n0nce', token = WECHAT_TOKEN): Promise<string> {
  const timestamp = String(timestampS);
  const signature = await sha1Hex([token, timestamp, nonce].sort().join(''));
  return `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
}

export function eventXml(openid: string, event: string, eventKey: string, createTimeS: number): string {
  return `<xml><ToUserName><![CDATA[gh_storewatch]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTimeS}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey></xml>`;
}

let nonces = 0;

/** WeChat posting a signed event callback, with a fresh nonce as WeChat sends. */
export async function postCallback(world: World, xml: string, query?: string): Promise<Response> {
  const q = query ?? (await wechatSignature(Math.floor(world.now / 1000), `n${++nonces}`));
  return world.app.request(`/wechat/callback?${q}`, { method: 'POST', body: xml, headers: { 'content-type': 'text/xml' } }, world.env);
}

/** The QR codes the simulated Official Account has handed out, oldest first. */
export function qrCodes(world: World): Array<{ ticket: string; scene: string; url: string }> {
  return world.wechat.oa.view().qrCodes;
}

/** The member confirms in options that the WeChat that scanned their code is theirs. */
export async function confirmBinding(world: World, member: string): Promise<Response> {
  return world.request('/v1/wechat/binding/confirm', { method: 'POST', as: member });
}

/** The whole QR binding: the member asks for a QR, scans it, WeChat calls back, the member confirms. Returns the channel id. */
export async function bindOfficialAccount(world: World, member: string, openid: string): Promise<string> {
  const res = await world.request('/v1/wechat/qr', { method: 'POST', as: member });
  if (res.status !== 200) throw new Error(`qr: ${res.status} ${await res.text()}`);
  const { ticket } = (await res.json()) as { ticket: string };
  // The sandbox posts the signed subscribe event to /wechat/callback, as WeChat does on a scan.
  const scan = await world.wechat.oa.scan({ ticket, openid });
  if ('error' in scan || !scan.callback?.accepted) throw new Error(`scan not accepted: ${JSON.stringify(scan)}`);
  const confirmed = await confirmBinding(world, member);
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${await confirmed.text()}`);
  const channel = await world.env.DB.prepare("SELECT channel_id FROM oa_bindings WHERE member_id = ? AND state = 'bound'").bind(member).first<{ channel_id: string }>();
  if (!channel) throw new Error('not bound');
  return channel.channel_id;
}
