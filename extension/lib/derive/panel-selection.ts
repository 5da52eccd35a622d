/**
 * What the Seller Central panel shows: which store and marketplace, or which question to ask.
 * Evidence from the page (URL, switcher) beats the person's remembered pick for this host, which
 * beats a guess from the host alone - so a pick corrects a wrong host guess (e.g. the unified
 * sellercentral.amazon.com showing Canada) and is overruled whenever the page says otherwise.
 */
import type { MarketplaceOverview, StoreOverview } from '../../../shared/api/index.ts';
import type { Detection } from '../detect/detect-marketplace.ts';
import type { PanelPick } from '../platform/settings.ts';

export type PanelSelection =
  | { kind: 'market'; store: StoreOverview; market: MarketplaceOverview }
  | { kind: 'pick-marketplace'; candidates: string[] }
  | { kind: 'pick-store'; marketplaceId: string; stores: StoreOverview[] }
  | { kind: 'no-store'; marketplaceId: string };

function sellsIn(store: StoreOverview, marketplaceId: string): MarketplaceOverview | undefined {
  return store.marketplaces.find((m) => m.marketplaceId === marketplaceId);
}

/** Candidates the person's stores actually sell in, else every candidate. */
export function pickableMarketplaces(stores: readonly StoreOverview[], candidates: readonly string[]): string[] {
  const sold = new Set(stores.flatMap((s) => s.marketplaces.map((m) => m.marketplaceId)));
  const mine = candidates.filter((id) => sold.has(id));
  return mine.length ? mine : [...candidates];
}

function chooseMarketplace(stores: readonly StoreOverview[], detection: Detection, pick: PanelPick | null): string | null {
  if (detection.marketplaceId && (detection.source === 'url' || detection.source === 'switcher')) return detection.marketplaceId;
  if (pick?.marketplaceId && detection.candidates.includes(pick.marketplaceId)) return pick.marketplaceId;
  if (detection.marketplaceId) return detection.marketplaceId;
  const pickable = pickableMarketplaces(stores, detection.candidates);
  return pickable.length === 1 ? pickable[0]! : null;
}

export function resolvePanelSelection(stores: readonly StoreOverview[], detection: Detection, pick: PanelPick | null, forcePicker = false): PanelSelection {
  const marketplaceId = forcePicker ? null : chooseMarketplace(stores, detection, pick);
  if (!marketplaceId) return { kind: 'pick-marketplace', candidates: pickableMarketplaces(stores, detection.candidates) };
  const selling = stores.filter((s) => sellsIn(s, marketplaceId));
  if (!selling.length) return { kind: 'no-store', marketplaceId };
  const named = detection.storeName?.trim().toLowerCase();
  const store =
    (named ? selling.find((s) => s.name.trim().toLowerCase() === named) : undefined) ??
    selling.find((s) => s.id === pick?.storeId) ??
    (selling.length === 1 ? selling[0] : undefined);
  if (!store) return { kind: 'pick-store', marketplaceId, stores: selling };
  return { kind: 'market', store, market: sellsIn(store, marketplaceId)! };
}
