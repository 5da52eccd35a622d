/**
 * The popup's search and grouping for hundreds of stores: a store matches when the words typed are
 * in its name, Amazon's name for it, or one of its marketplaces (country code, Chinese or English
 * name, marketplace id); the list keeps the worst-first order it is given and is cut into groups by
 * level, worst group first.
 */
import type { StoreOverview } from '../../../shared/api/index.ts';
import { marketplaceById } from '../../../shared/marketplaces.ts';
import type { Level } from '../../../shared/types.ts';
import { storeLevel } from './levels.ts';

/** Everything a store can be found by, lower-cased once. */
function haystack(store: StoreOverview): string {
  const parts = [store.name, store.amazonStoreName ?? ''];
  for (const m of store.marketplaces) {
    const known = marketplaceById(m.marketplaceId);
    parts.push(m.countryCode, m.marketplaceId, known?.nameEn ?? '', known?.nameZh ?? '', m.storeName ?? '');
  }
  return parts.join('\n').toLowerCase();
}

/** The stores every word of `query` is found in (all of them for an empty query), in the order given. */
export function searchStores<S extends StoreOverview>(stores: readonly S[], query: string): S[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...stores];
  return stores.filter((s) => {
    const text = haystack(s);
    return words.every((w) => text.includes(w));
  });
}

export interface LevelGroup<S> {
  level: Level;
  stores: S[];
}

const GROUP_ORDER: readonly Level[] = ['breach', 'warn', 'ok', 'unknown'];

/** Groups by the store's level (lost authorization counts as breach), worst group first; empty groups left out. */
export function groupByLevel<S extends StoreOverview>(stores: readonly S[]): LevelGroup<S>[] {
  const groups = new Map<Level, S[]>(GROUP_ORDER.map((l) => [l, []]));
  for (const s of stores) groups.get(storeLevel(s))!.push(s);
  return GROUP_ORDER.flatMap((level) => {
    const list = groups.get(level)!;
    return list.length ? [{ level, stores: list }] : [];
  });
}
