/**
 * The catalog messages use in production.
 *
 * TODO(alerts): read labels from shared/marketplaces.ts (marketplaceById, accountHealthUrl) and
 * shared/metrics.ts (METRICS) once they land; until then ids stand in for names.
 */
import type { MessageCatalog } from './catalog.ts';

export const defaultCatalog: MessageCatalog = {
  marketplace: () => null,
  metric: () => null,
};
