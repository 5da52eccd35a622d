/**
 * What the badge in a page is sent of the cache: every store and marketplace with its level, no
 * metrics, alerts or jobs. The badge runs on every Seller Central and ERP page load, and the full
 * snapshot (fifty stores' metrics, up to ALERTS_KEPT alerts) cost the page's main thread more to
 * receive than everything else the badge does (bench/extension.ts, "panel ... added to a page load").
 */
import type { CacheSnapshot } from '../cache/cache-db.ts';

export function badgeSnapshot(snapshot: CacheSnapshot): CacheSnapshot {
  return {
    stores: snapshot.stores.map((store) => ({ ...store, marketplaces: store.marketplaces.map((m) => ({ ...m, metrics: {} })) })),
    alerts: [],
    sync: snapshot.sync,
    jobs: [],
  };
}
