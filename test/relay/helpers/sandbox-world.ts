/**
 * A pipeline test world against the sandbox Amazon (test/sandbox/, reached through Miniflare's
 * outboundService - test/support/sandbox-outbound.ts): one workspace with one demo store of the
 * chosen region in real D1, pipeline deps whose fetch carries this world's sandbox name, a clock
 * the test moves (the sandbox's with it), and a recording queue so the test decides when each
 * step runs. Every D1 call, queue send and outbound fetch is counted, per step, against the
 * Workers Free budget of 50 subrequests.
 */
import { env } from 'cloudflare:test';
import { keyringFromEnv, refreshTokenContext, seal } from '../../../relay/crypto/secrets.ts';
import type { Env } from '../../../relay/env.ts';
import { accessTokenFor } from '../../../relay/pipeline/access-token.ts';
import { type PipelineDeps, advanceJob, pollStore } from '../../../relay/pipeline/consumer.ts';
import type { StoreEvent } from '../../../shared/alerts/rules.ts';
import type { JobMessage } from '../../../relay/pipeline/messages.ts';
import { SANDBOX_CONTROL, SANDBOX_EPOCH, SANDBOX_HEADER } from '../../support/sandbox-wire.ts';
import { type Counter, countingDb } from './counting-db.ts';

export interface SandboxSeller {
  sellerId: string;
  region: 'na' | 'eu' | 'fe';
  refreshToken: string;
  marketplaces: Array<{ id: string; countryCode: string }>;
}

export interface SandboxWorld {
  name: string;
  env: Env;
  deps: PipelineDeps;
  /** Messages the pipeline sent, oldest first, until a test takes them. */
  sent: Array<{ body: JobMessage; delaySeconds: number }>;
  fannedOut: StoreEvent[];
  clock: { now: number };
  ctx: { waitUntil(p: Promise<unknown>): void };
  seller: SandboxSeller;
  storeId: string;
  workspaceId: string;
  /** Subrequests (D1 calls, queue sends, outbound fetches) so far. */
  subrequests: Counter;
  /** Moves this world's clock and its sandbox's. */
  advance(ms: number): Promise<void>;
  /** The sandbox's control API (`/_sandbox/...`). */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** A fetch that reaches this world's sandbox (for the relay's own routes too). */
  fetch: typeof fetch;
  /**
   * Runs queued messages in order, moving the clock by each one's delay (bounded). `replay`
   * delivers every step message twice; `crashBeforeSave` makes the consumer die between the
   * Amazon call and the save of the steps it picks (the queue then redelivers the message).
   */
  drain(options?: { replay?: boolean; crashBeforeSave?: (stepNumber: number) => boolean }): Promise<{ steps: number; maxSubrequestsPerStep: number }>;
  /** What the last `drain` took: step messages run, and the most subrequests one of them made. */
  lastDrain: { steps: number; maxSubrequestsPerStep: number };
  /** A scheduled poll of the store, drained; returns the job id. */
  poll(options?: Parameters<SandboxWorld['drain']>[0]): Promise<string>;
}

let serial = 0;

export async function sandboxWorld(region: SandboxSeller['region'], name = `world-${crypto.randomUUID()}`): Promise<SandboxWorld> {
  const clock = { now: SANDBOX_EPOCH };
  const subrequests: Counter = { n: 0 };
  const outbound: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    request.headers.set(SANDBOX_HEADER, name);
    return fetch(request);
  };
  const counted: typeof fetch = (input, init) => {
    subrequests.n++;
    return outbound(input, init);
  };
  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await outbound(`${SANDBOX_CONTROL}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed = (await res.json()) as T;
    if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  }
  await control('POST', '/__clock', { at: clock.now });
  const state = await control<{ sellers: SandboxSeller[] }>('GET', '/_sandbox/state');
  const seller = state.sellers.find((s) => s.region === region);
  if (!seller) throw new Error(`the sandbox has no demo seller in ${region}`);

  const sent: SandboxWorld['sent'] = [];
  const queue = {
    async send(body: JobMessage, options?: { delaySeconds?: number }) {
      subrequests.n++;
      sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: JobMessage; delaySeconds?: number }>) {
      subrequests.n++;
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? 0 });
    },
  } as unknown as Queue;
  const testEnv = { ...env, DB: countingDb(env.DB, subrequests), JOBS: queue } as Env;

  const n = ++serial;
  const workspaceId = `ws-${name}`;
  const storeId = `store-${name}`;
  const keyring = await keyringFromEnv(testEnv);
  const sealed = await seal(keyring, seller.refreshToken, refreshTokenContext(workspaceId, storeId));
  await env.DB.batch([
    env.DB.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(workspaceId, `Team ${n}`, clock.now),
    env.DB.prepare(
      `INSERT INTO stores (id, workspace_id, name, region, seller_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    ).bind(storeId, workspaceId, `Demo ${region}`, region, seller.sellerId, sealed.ciphertext, sealed.iv, sealed.keyId, clock.now, clock.now),
    ...seller.marketplaces.map((m) =>
      env.DB.prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, ?)').bind(storeId, workspaceId, m.id, m.countryCode),
    ),
  ]);

  const fannedOut: StoreEvent[] = [];
  const deps: PipelineDeps = {
    now: () => clock.now,
    newId: (prefix) => `${prefix}_${name}_${++serial}`,
    fetch: counted,
    accessToken: (e, store) => accessTokenFor(e, keyring, store.id, counted, clock.now),
    async fanOut(_e, events) {
      fannedOut.push(...events);
    },
  };
  const ctx = { waitUntil: (_p: Promise<unknown>) => undefined };

  async function advance(ms: number): Promise<void> {
    clock.now += ms;
    await control('POST', '/__clock', { at: clock.now });
  }

  const world: SandboxWorld = {
    name,
    env: testEnv,
    deps,
    sent,
    fannedOut,
    clock,
    ctx,
    seller,
    storeId,
    workspaceId,
    subrequests,
    advance,
    control,
    fetch: outbound,
    lastDrain: { steps: 0, maxSubrequestsPerStep: 0 },
    async drain(options = {}) {
      let steps = 0;
      let maxSubrequestsPerStep = 0;
      for (let i = 0; i < 200 && sent.length > 0; i++) {
        const message = sent.shift()!;
        if (message.delaySeconds > 0) await advance(message.delaySeconds * 1000);
        if (message.body.kind !== 'step') continue;
        steps++;
        const { jobId, version } = message.body;
        const before = subrequests.n;
        if (options.crashBeforeSave?.(steps)) {
          // The step token is made after the Amazon call, right before the save: die there.
          const newId = deps.newId;
          deps.newId = (prefix) => {
            if (prefix === 'step') throw new Error('the consumer died before saving');
            return newId(prefix);
          };
          await advanceJob(testEnv, deps, ctx, jobId, version).catch(() => undefined);
          deps.newId = newId;
        }
        await advanceJob(testEnv, deps, ctx, jobId, version);
        if (options.replay) await advanceJob(testEnv, deps, ctx, jobId, version);
        maxSubrequestsPerStep = Math.max(maxSubrequestsPerStep, subrequests.n - before);
      }
      if (sent.length > 0) throw new Error(`the job did not settle: ${sent.length} messages left`);
      world.lastDrain = { steps, maxSubrequestsPerStep };
      return world.lastDrain;
    },
    async poll(options) {
      const jobId = await pollStore(testEnv, deps, ctx, storeId);
      if (!jobId) throw new Error('the store was not polled');
      await world.drain(options);
      return jobId;
    },
  };
  return world;
}

export async function count(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}
