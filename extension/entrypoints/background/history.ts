/**
 * Sparkline history per marketplace: answered from the cache at once, refreshed from the relay in
 * the background when newer data arrived for the marketplace since it was read (a refresh moved
 * the numbers), or when older than HISTORY_MAX_AGE_MS.
 */
import { AHR_SERIES } from '../../../shared/api/history-series.ts';
import type { Cache, HistorySeries } from '../../lib/cache/cache-db.ts';
import type { Credentials } from '../../lib/platform/credentials.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';

export const HISTORY_MAX_AGE_MS = 30 * 60_000;
/** How far back a sparkline reaches: the 90 days the relay keeps by default. */
export const HISTORY_SPAN_MS = 90 * 86_400_000;

export interface HistoryDeps {
  cache: Cache;
  /** The pairing and its token (lib/platform/credentials.ts); null when not paired. */
  credentials: () => Promise<Credentials | null>;
  relayFor: (baseUrl: string, token: string) => RelayClient;
  now: () => number;
  changed: () => Promise<void>;
}

export function createHistory(deps: HistoryDeps) {
  const loading = new Set<string>();

  async function load(storeId: string, marketplaceId: string, metrics: readonly string[], dataAt: number | null): Promise<void> {
    const credentials = await deps.credentials();
    if (!credentials) return;
    const relay = deps.relayFor(credentials.pairing.relayUrl, credentials.token);
    let wrote = false;
    for (const metric of metrics) {
      const r = await relay.history(storeId, marketplaceId, metric, deps.now() - HISTORY_SPAN_MS);
      if (!r.ok) break;
      await deps.cache.saveHistory({ storeId, marketplaceId, metric, points: r.value.points, fetchedAt: deps.now(), dataAt });
      wrote = true;
    }
    if (wrote) await deps.changed();
  }

  /** The marketplace's full detail into the cache; false when it could not be had (offline: the cache stands). */
  async function loadDetail(storeId: string, marketplaceId: string): Promise<boolean> {
    const credentials = await deps.credentials();
    if (!credentials) return false;
    const r = await deps.relayFor(credentials.pairing.relayUrl, credentials.token).marketplace(storeId, marketplaceId);
    return r.ok && (await deps.cache.mergeMarketplaceDetail(storeId, r.value.marketplace));
  }

  return {
    /**
     * Cached series now; stale or missing ones are fetched after, announced through `changed`. The
     * marketplace in full (every metric: the overview lists only those needing attention) comes
     * first, into the cached store, so the opened detail shows every metric and its sparkline.
     */
    async forMarketplace(storeId: string, marketplaceId: string): Promise<{ series: HistorySeries[]; loading: Promise<void> }> {
      const series = await deps.cache.historyOf(storeId, marketplaceId);
      const key = `${storeId}/${marketplaceId}`;
      if (loading.has(key)) return { series, loading: Promise.resolve() };
      loading.add(key);
      const find = async () => (await deps.cache.snapshot()).stores.find((s) => s.id === storeId)?.marketplaces.find((m) => m.marketplaceId === marketplaceId);
      const done = (async () => {
        // Amazon's own status comes only with the detail: cached metrics that all carry it are the full set.
        const cached = Object.values((await find())?.metrics ?? {});
        const full = cached.length > 0 && cached.every((m) => m.amazonStatus !== undefined);
        if (!full && (await loadDetail(storeId, marketplaceId))) await deps.changed();
        const market = await find();
        const dataAt = market?.fetchedAt ?? null;
        const fresh = new Set(series.filter((s) => deps.now() - s.fetchedAt < HISTORY_MAX_AGE_MS && (s.dataAt ?? null) === dataAt).map((s) => s.metric));
        // The rating's score has a sparkline of its own beside it, when Amazon gives a score.
        const wanted = [...Object.keys(market?.metrics ?? {}), ...(typeof market?.ahr?.score === 'number' ? [AHR_SERIES] : [])];
        const due = wanted.filter((m) => !fresh.has(m));
        if (due.length) await load(storeId, marketplaceId, due, dataAt);
      })().finally(() => loading.delete(key));
      return { series, loading: done };
    },
  };
}
