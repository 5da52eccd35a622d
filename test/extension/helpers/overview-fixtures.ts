/**
 * Small, readable overview/alert fixtures for the extension tests, shaped by the shared contract
 * (shared/api) so a contract change breaks them at type-check time rather than at run time.
 */
import type { AlertView, MarketplaceOverview, MetricOverview, StoreOverview } from '../../../shared/api/index.ts';
import type { Level } from '../../../shared/types.ts';

export const US = 'ATVPDKIKX0DER';
export const DE = 'A1PA6795UKMFR9';
export const JP = 'A1VC38T7YXB528';
export const GB = 'A1F83G8C2ARO7P';

/** A fixed instant for every test: 2026-11-20T08:00:00Z. */
export const NOW = Date.UTC(2026, 10, 20, 8, 0, 0);

export function metric(level: Level, patch: Partial<MetricOverview> = {}): MetricOverview {
  return {
    value: 0.004,
    level,
    // The relay's form: a breach has no headroom; how far over it is and the way back are their own fields.
    headroom: level === 'breach' ? null : 2,
    ...(level === 'breach' ? { over: 1, wayBack: 100 } : {}),
    target: { value: 0.01, condition: 'LESS_THAN' },
    amazonStatus: level === 'breach' ? 'BAD' : 'GOOD',
    window: { from: '2026-09-21', to: '2026-11-19' },
    counts: { orders: 500, defects: 2 },
    ...patch,
  };
}

export function market(marketplaceId: string, countryCode: string, level: Level, patch: Partial<MarketplaceOverview> = {}): MarketplaceOverview {
  return {
    marketplaceId,
    countryCode,
    level,
    accountStatus: 'NORMAL',
    ahr: { status: 'GREAT', score: 1000 },
    fetchedAt: NOW - 3_600_000,
    metrics: { odrMfn: metric(level) },
    ...patch,
  };
}

export function store(id: string, name: string, markets: MarketplaceOverview[], patch: Partial<StoreOverview> = {}): StoreOverview {
  const rank = { unknown: 0, ok: 1, warn: 2, breach: 3 } as const;
  const level = markets.reduce<Level>((worst, m) => (rank[m.level] > rank[worst] ? m.level : worst), 'unknown');
  return { id, name, region: 'na', level, auth: 'ok', lastCheckedAt: NOW - 3_600_000, marketplaces: markets, ...patch };
}

/** Three stores, deliberately not in worst-first order: ok, breach, warn. */
export function threeStores(): StoreOverview[] {
  return [
    store('s-ok', 'Alpha Home', [market(US, 'US', 'ok')]),
    store('s-breach', 'Cedar Outdoor', [market(US, 'US', 'ok'), market(DE, 'DE', 'breach')], { region: 'eu' }),
    store('s-warn', 'Birch Kitchen', [market(JP, 'JP', 'warn')], { region: 'fe' }),
  ];
}

export function alert(id: string, createdAt: number, patch: Partial<AlertView> = {}): AlertView {
  return {
    id,
    storeId: 's-breach',
    marketplaceId: DE,
    kind: 'level_changed',
    severity: 'critical',
    category: 'problem',
    metric: 'odrMfn',
    from: 'warn',
    to: 'breach',
    detail: {},
    createdAt,
    acknowledgedAt: null,
    resolvedAt: null,
    deliveries: [],
    ...patch,
  };
}
