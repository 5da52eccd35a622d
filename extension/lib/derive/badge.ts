/**
 * The toolbar badge: how many stores are at warn or breach, coloured by the worst of them, so a
 * glance at the toolbar answers "is anything wrong".
 */
import type { StoreOverview } from '../../../shared/api/index.ts';
import type { SyncState } from '../cache/cache-db.ts';
import { isAtRisk, storeLevel, worstOf } from './levels.ts';

export const LEVEL_COLORS = { breach: '#d93025', warn: '#e37400', ok: '#188038', unknown: '#80868b' } as const;

export interface Badge {
  text: string;
  color: string;
  /** What the tooltip should say, as a message key plus the count. */
  title: 'badgeTitleAtRisk' | 'badgeTitleAllGood' | 'badgeTitleNotPaired' | 'badgeTitleOffline';
  count: number;
}

export function badgeFor(stores: readonly StoreOverview[], sync: Pick<SyncState, 'status'>, paired: boolean): Badge {
  if (!paired || sync.status === 'unpaired' || sync.status === 'unauthorized') {
    return { text: '', color: LEVEL_COLORS.unknown, title: 'badgeTitleNotPaired', count: 0 };
  }
  const count = stores.filter((s) => isAtRisk(storeLevel(s))).length;
  const worst = worstOf(stores);
  const color = worst === 'breach' ? LEVEL_COLORS.breach : worst === 'warn' ? LEVEL_COLORS.warn : LEVEL_COLORS.ok;
  // Offline keeps the last known count (cached data is still the best we know) but says so.
  if (sync.status === 'offline') return { text: count ? String(count) : '', color: LEVEL_COLORS.unknown, title: 'badgeTitleOffline', count };
  return { text: count ? String(count) : '', color, title: count ? 'badgeTitleAtRisk' : 'badgeTitleAllGood', count };
}
