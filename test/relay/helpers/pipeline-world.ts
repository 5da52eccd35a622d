/**
 * A workspace with one store, its sealed refresh token and marketplaces in real D1, plus pipeline
 * deps wired to a scripted Amazon and a clock the test moves. Queue sends are recorded instead of
 * going to the real queue, so the test decides when each step runs.
 */
import { env } from 'cloudflare:test';
import { keyringFromEnv, refreshTokenContext, seal } from '../../../relay/crypto/secrets.ts';
import type { Env } from '../../../relay/env.ts';
import { accessTokenFor } from '../../../relay/pipeline/access-token.ts';
import type { PipelineDeps } from '../../../relay/pipeline/consumer.ts';
import type { StoreEvent } from '../../../shared/alerts/rules.ts';
import type { JobMessage } from '../../../relay/pipeline/messages.ts';
import { buildReport, type MarketplaceFigures } from '../../support/report-documents.ts';
import { ScriptedAmazon } from './scripted-amazon.ts';

export const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';

export interface PipelineWorld {
  env: Env;
  deps: PipelineDeps;
  amazon: ScriptedAmazon;
  /** The store's refresh token, as the scripted Amazon knows it. */
  refreshToken: string;
  sent: Array<{ body: JobMessage; delaySeconds: number }>;
  fannedOut: StoreEvent[];
  clock: { now: number };
  /** What the seller's report says now, per marketplace. */
  figures: Record<string, Omit<MarketplaceFigures, 'marketplaceId'>>;
  ctx: { waitUntil(p: Promise<unknown>): void };
}

let serial = 0;

export async function pipelineWorld(storeId = 'store-1', workspaceId = 'ws-1'): Promise<PipelineWorld> {
  const clock = { now: T0 };
  const sent: PipelineWorld['sent'] = [];
  const figures: PipelineWorld['figures'] = { [US]: { odrMfn: { defects: 0, orders: 250 } }, [CA]: { odrMfn: { defects: 0, orders: 1000 } } };
  const refreshToken = `Atzr|${storeId}`;
  const amazon = new ScriptedAmazon({
    sellers: {
      [refreshToken]: {
        documents: Object.fromEntries([US, CA].map((id) => [id, () => buildReport({ marketplaceId: id, ...figures[id] })])),
      },
    },
  });
  const queue = {
    async send(body: JobMessage, options?: { delaySeconds?: number }) {
      sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: JobMessage; delaySeconds?: number }>) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? 0 });
    },
  } as unknown as Queue;
  const testEnv = { ...env, JOBS: queue, LWA_CLIENT_ID: 'client', LWA_CLIENT_SECRET: 'secret' } as Env;
  const keyring = await keyringFromEnv(testEnv);
  const sealed = await seal(keyring, refreshToken, refreshTokenContext(workspaceId, storeId));
  await env.DB.batch([
    env.DB.prepare('INSERT OR IGNORE INTO workspaces (id, name, created_at) VALUES (?, ?, ?)').bind(workspaceId, 'Team', T0),
    env.DB.prepare(
      `INSERT INTO stores (id, workspace_id, name, region, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, created_at, updated_at)
       VALUES (?, ?, 'Demo', 'na', ?, ?, ?, 0, ?, ?)`,
    ).bind(storeId, workspaceId, sealed.ciphertext, sealed.iv, sealed.keyId, T0, T0),
    env.DB.prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, ?)').bind(storeId, workspaceId, US, 'US'),
    env.DB.prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code) VALUES (?, ?, ?, ?)').bind(storeId, workspaceId, CA, 'CA'),
  ]);
  const fannedOut: StoreEvent[] = [];
  const pending: Promise<unknown>[] = [];
  const deps: PipelineDeps = {
    now: () => clock.now,
    newId: (prefix) => `${prefix}_${++serial}`,
    fetch: amazon.fetch,
    accessToken: (e, store) => accessTokenFor(e, keyring, store.id, amazon.fetch, clock.now),
    async fanOut(_e, events) {
      fannedOut.push(...events);
    },
  };
  return { env: testEnv, deps, amazon, refreshToken, sent, fannedOut, clock, figures, ctx: { waitUntil: (p) => void pending.push(p) } };
}

export async function count(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}
