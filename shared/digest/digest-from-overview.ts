/**
 * The digest's view of the stores, taken from the same overview the popup shows (`GET
 * /v1/overview`), so the morning message and the toolbar never disagree.
 */
import type { StoreOverview } from '../api/overview.ts';
import { isMetricId } from '../metrics.ts';
import type { DigestMetric, DigestStore } from './digest-compose.ts';

/** `storeIds`: the stores a personal channel's member follows, or every store. */
export function digestStores(stores: readonly StoreOverview[], storeIds: 'all' | readonly string[] = 'all'): DigestStore[] {
  return stores
    .filter((s) => storeIds === 'all' || storeIds.includes(s.id))
    .map((s) => ({
      storeId: s.id,
      name: s.name,
      level: s.level,
      auth: s.auth,
      marketplaces: s.marketplaces.map((m) => ({
        marketplaceId: m.marketplaceId,
        level: m.level,
        metrics: Object.entries(m.metrics).flatMap(([id, metric]): DigestMetric[] =>
          isMetricId(id) ? [{ metric: id, level: metric.level, value: metric.value, target: metric.target, headroom: metric.headroom }] : [],
        ),
        negativeFeedback: m.negativeFeedback ?? null,
      })),
    }));
}
