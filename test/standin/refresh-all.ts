/**
 * A refresh of a whole workspace against the stand-in, as the benchmark and the whole-stack test run
 * it: the stand-in answers every Amazon host (the relay's outbound map sends them there; WeChat's
 * stay on the sandbox), one seller per store with three North American marketplaces, each store
 * added through `POST /v1/stores` as a person pastes a refresh token, then `POST /v1/refresh` and
 * `GET /v1/overview` (by cursor, as the extension syncs) until every marketplace has data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack.ts';
import { sandboxRelayVars } from '../../scripts/local-relay.ts';
import { mapLimit } from '../../scripts/relay-api.ts';
import type { HealthProfile } from './health.ts';
import { type Listening, listen } from './listen.ts';
import { CA, MX, US } from './marketplaces.ts';
import { type StandIn, type StandInSeller, createStandIn } from './stand-in.ts';

export const REFRESH_ALL_MARKETPLACES = [US, CA, MX];

export interface RefreshAllSetup {
  stores: number;
  generationMs: readonly [number, number];
  faultRate: number;
  seed: number;
}

export interface RefreshAllStack {
  stack: LocalStack;
  standIn: StandIn;
  standInUrl: string;
  /** Store id -> the seller behind it. */
  stores: Map<string, StandInSeller>;
  close(): Promise<void>;
}

/** Every tenth seller breached in the US, every tenth near its target there, the rest fine. */
export function profileFor(n: number): HealthProfile {
  return n % 10 === 0 ? 'breach' : n % 10 === 1 ? 'near' : 'ok';
}

/** Adds one store, pressing again (a few times, a second apart) when Amazon answered 5xx or 429. */
async function addStore(stack: LocalStack, seller: StandInSeller, name: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await stack.owner.call('POST', '/v1/stores', { name, region: seller.region, refreshToken: seller.refreshToken });
      return String(created.id);
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1000);
    }
  }
}

export async function startRefreshAllStack(setup: RefreshAllSetup): Promise<RefreshAllStack> {
  // The relay's own LWA app credentials in local runs: the stand-in checks them as LWA would.
  const vars = sandboxRelayVars('http://127.0.0.1', 'http://127.0.0.1');
  const standIn = createStandIn({
    now: Date.now,
    seed: setup.seed,
    generationMs: setup.generationMs,
    faultRate: setup.faultRate,
    client: { id: vars.LWA_CLIENT_ID!, secret: vars.LWA_CLIENT_SECRET! },
  });
  const listening: Listening = await listen(standIn);
  let stack: LocalStack | null = null;
  try {
    const overrides = JSON.stringify({ 'api.amazon.com': listening.url, '*.amazon.com': listening.url, '*.amazonaws.com': listening.url });
    stack = await startLocalStack({ reportProcessingMs: 3000, upstreamOverrides: overrides });
    const sellers = Array.from({ length: setup.stores }, (_, n): StandInSeller => {
      const sellerId = `A${String(setup.seed).padStart(3, '0')}SI${String(n).padStart(8, '0')}`;
      return { sellerId, refreshToken: `Atzr|standin-${sellerId}`, region: 'na', marketplaceIds: REFRESH_ALL_MARKETPLACES, storeName: `Stand-in Store ${n}`, health: { [US]: profileFor(n) } };
    });
    for (const seller of sellers) standIn.addSeller(seller);
    const running = stack;
    const ids = await mapLimit(sellers, 8, (seller, n) => addStore(running, seller, `Stand-in ${n}`));
    const stores = new Map(ids.map((id, i) => [id, sellers[i]!]));
    return {
      stack,
      standIn,
      standInUrl: listening.url,
      stores,
      async close() {
        await running.close();
        await listening.close();
      },
    };
  } catch (error) {
    await stack?.close().catch(() => undefined);
    await listening.close();
    throw error;
  }
}

export type Overview = v.InferOutput<typeof OverviewResponse>;
export type OverviewStore = Overview['stores'][number];

/** Whether every one of the store's three marketplaces has been downloaded and read. */
export function hasData(store: OverviewStore): boolean {
  return REFRESH_ALL_MARKETPLACES.every((id) => {
    const m = store.marketplaces.find((x) => x.marketplaceId === id);
    return m !== undefined && m.fetchedAt !== null && m.level !== 'unknown';
  });
}

export async function overview(stack: LocalStack, since?: string): Promise<Overview> {
  return v.parse(OverviewResponse, await stack.owner.call('GET', `/v1/overview${since ? `?since=${since}` : ''}`));
}

export interface RefreshAllResult {
  /** From the refresh-all press to the overview that first showed every store with data. */
  elapsedMs: number;
  withData: number;
  total: number;
  overviewCalls: number;
}

/**
 * Presses refresh-all, then follows the overview by cursor every `pollMs` until every store has
 * data, or `limitMs` passed (then `withData < total`).
 */
export async function refreshAllUntilData(
  run: RefreshAllStack,
  pollMs: number,
  limitMs: number,
  hooks: { log?: (line: string) => void; afterPress?: () => void } = {},
): Promise<RefreshAllResult> {
  const log = hooks.log ?? (() => undefined);
  const first = await overview(run.stack);
  const seen = new Map(first.stores.map((s) => [s.id, s]));
  let cursor = first.cursor ?? undefined;
  const pressed = performance.now();
  await run.stack.owner.call('POST', '/v1/refresh');
  hooks.afterPress?.();
  let calls = 0;
  let lastLog = pressed;
  // Bounded by the deadline: one overview every pollMs.
  while (performance.now() - pressed < limitMs) {
    const page = await overview(run.stack, cursor);
    calls += 1;
    if (page.full) seen.clear();
    for (const store of page.stores) seen.set(store.id, store);
    cursor = page.cursor ?? cursor;
    const withData = [...seen.values()].filter(hasData).length;
    if (withData === run.stores.size) return { elapsedMs: performance.now() - pressed, withData, total: run.stores.size, overviewCalls: calls };
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      log(`${Math.round((lastLog - pressed) / 1000)} s: ${withData} of ${run.stores.size} stores have data; stand-in ${JSON.stringify(run.standIn.stats.throttled)} throttled`);
    }
    await sleep(pollMs);
  }
  const withData = [...seen.values()].filter(hasData).length;
  return { elapsedMs: performance.now() - pressed, withData, total: run.stores.size, overviewCalls: calls };
}
