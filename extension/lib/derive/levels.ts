/**
 * Ordering stores and marketplaces by how much trouble they are in. The relay judges each metric;
 * here we only rank what it said, so every surface puts the same store first.
 */
import type { MarketplaceOverview, StoreOverview } from '../../../shared/api/index.ts';
import type { Level } from '../../../shared/types.ts';

export const LEVEL_RANK: Readonly<Record<Level, number>> = { unknown: 0, ok: 1, warn: 2, breach: 3 };

export function worse(a: Level, b: Level): Level {
  return LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a;
}

/** Amazon's own verdict on the account outranks any metric: AT_RISK or DEACTIVATED is critical alone. */
export function marketplaceLevel(m: MarketplaceOverview): Level {
  return m.accountStatus === 'AT_RISK' || m.accountStatus === 'DEACTIVATED' ? 'breach' : m.level;
}

/**
 * A store is as bad as its worst marketplace; a store whose Amazon authorization was lost is not
 * watched any more, which is as urgent as a breach.
 */
export function storeLevel(store: StoreOverview): Level {
  let level: Level = store.auth === 'lost' ? 'breach' : store.level;
  for (const m of store.marketplaces) level = worse(level, marketplaceLevel(m));
  return level;
}

export function isAtRisk(level: Level): boolean {
  return level === 'warn' || level === 'breach';
}

/** Worst first, then by name; a new array. */
export function storesWorstFirst(stores: readonly StoreOverview[]): StoreOverview[] {
  return stores
    .map((store) => ({ store, rank: LEVEL_RANK[storeLevel(store)] }))
    .sort((a, b) => b.rank - a.rank || a.store.name.localeCompare(b.store.name))
    .map((x) => x.store);
}

/** Worst first, then by country, so the chip that matters is the first one read. */
export function marketplacesWorstFirst(marketplaces: readonly MarketplaceOverview[]): MarketplaceOverview[] {
  return [...marketplaces].sort((a, b) => LEVEL_RANK[marketplaceLevel(b)] - LEVEL_RANK[marketplaceLevel(a)] || a.countryCode.localeCompare(b.countryCode));
}

export function worstOf(stores: readonly StoreOverview[]): Level {
  return stores.reduce<Level>((level, s) => worse(level, storeLevel(s)), 'unknown');
}

export type SummaryKey = 'popupSummaryAtRisk' | 'popupSummaryNoData' | 'popupSummaryAllGood';

/**
 * One line about all stores: how many need attention; else how many have no data yet (a store
 * never checked is not "healthy"); else all healthy.
 */
export function storesSummary(stores: readonly StoreOverview[]): { key: SummaryKey; count: number; total: number } {
  const levels = stores.map(storeLevel);
  const atRisk = levels.filter(isAtRisk).length;
  const unknown = levels.filter((l) => l === 'unknown').length;
  if (atRisk) return { key: 'popupSummaryAtRisk', count: atRisk, total: stores.length };
  if (unknown) return { key: 'popupSummaryNoData', count: unknown, total: stores.length };
  return { key: 'popupSummaryAllGood', count: 0, total: stores.length };
}
