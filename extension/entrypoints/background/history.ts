/**
 * Sparkline history per marketplace: answered from the cache at once, refreshed from the relay in
 * the background when newer data arrived for the marketplace since it was read (a refresh moved
 * the numbers), or when older than HISTORY_MAX_AGE_MS.
 */
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

  return {
    /** Cached series now; stale or missing ones are fetched after, announced through `changed`. */
    async forMarketplace(storeId: string, marketplaceId: string): Promise<{ series: HistorySeries[]; loading: Promise<void> }> {
      const series = await deps.cache.historyOf(storeId, marketplaceId);
      const { stores } = await deps.cache.snapshot();
      const market = stores.find((s) => s.id === storeId)?.marketplaces.find((m) => m.marketplaceId === marketplaceId);
      const dataAt = market?.fetchedAt ?? null;
      const fresh = new Set(series.filter((s) => deps.now() - s.fetchedAt < HISTORY_MAX_AGE_MS && (s.dataAt ?? null) === dataAt).map((s) => s.metric));
      const due = Object.keys(market?.metrics ?? {}).filter((m) => !fresh.has(m));
      const key = `${storeId}/${marketplaceId}`;
      if (!due.length || loading.has(key)) return { series, loading: Promise.resolve() };
      loading.add(key);
      const done = load(storeId, marketplaceId, due, dataAt).finally(() => loading.delete(key));
      return { series, loading: done };
    },
  };
}
