/**
 * What the Seller Central panel shows: which store and marketplace, or which question to ask.
 * What the page says (address, switcher) beats the person's remembered pick for this host, which
 * beats a guess from the host alone - so a pick corrects a wrong host guess and is overruled
 * whenever the page says otherwise. The store is found by what Amazon calls it: the switcher's
 * store name (Amazon's `storeName`, matched ignoring case and spaces) or the merchant id in the
 * address (recorded on the store at the relay once a page proved it).
 */
import type { MarketplaceOverview, StoreOverview } from '../../../shared/api/index.ts';
import type { Detection } from '../detect/detect-marketplace.ts';
import type { PanelPick } from '../platform/settings.ts';

/** How the store was found: the first two are proof from the page, the rest are choices or guesses. */
export type StoreProof = 'name' | 'merchant' | 'pick' | 'profile' | 'only';

export type PanelSelection =
  | { kind: 'market'; store: StoreOverview; market: MarketplaceOverview; proof: StoreProof }
  | { kind: 'pick-marketplace'; candidates: string[] }
  | { kind: 'pick-store'; marketplaceId: string; stores: StoreOverview[] }
  | { kind: 'no-store'; marketplaceId: string };

function sellsIn(store: StoreOverview, marketplaceId: string): MarketplaceOverview | undefined {
  return store.marketplaces.find((m) => m.marketplaceId === marketplaceId);
}

/** "Acme  Direct" and "acme direct" are one name; Amazon's names differ from typed ones in spacing and case. */
export function sameStoreName(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/\s+/g, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Every name a store goes by: Amazon's (per store and per marketplace) and the team's own. */
function namesOf(store: StoreOverview): (string | null | undefined)[] {
  return [store.amazonStoreName, ...store.marketplaces.map((m) => m.storeName), store.name];
}

/** The stores a page's store name or merchant id points to (several when names collide). */
export function storesNamedBy(stores: readonly StoreOverview[], detection: Pick<Detection, 'storeName' | 'merchantId'>): { stores: StoreOverview[]; proof: 'name' | 'merchant' } | null {
  const { storeName, merchantId } = detection;
  if (merchantId) {
    const byMerchant = stores.filter((s) => s.merchantIds?.includes(merchantId));
    if (byMerchant.length) return { stores: byMerchant, proof: 'merchant' };
  }
  if (storeName) {
    const byName = stores.filter((s) => namesOf(s).some((n) => sameStoreName(n, storeName)));
    if (byName.length) return { stores: byName, proof: 'name' };
  }
  return null;
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

/**
 * @param profileStoreId the store this browser profile is for, if any: it decides between stores
 * when the page does not, but never against what the page says.
 */
export function resolvePanelSelection(
  stores: readonly StoreOverview[],
  detection: Detection,
  pick: PanelPick | null,
  forcePicker = false,
  profileStoreId: string | null = null,
): PanelSelection {
  const marketplaceId = forcePicker ? null : chooseMarketplace(stores, detection, pick);
  if (!marketplaceId) return { kind: 'pick-marketplace', candidates: pickableMarketplaces(stores, detection.candidates) };
  const selling = stores.filter((s) => sellsIn(s, marketplaceId));
  if (!selling.length) return { kind: 'no-store', marketplaceId };
  const named = storesNamedBy(selling, detection);
  const found = (store: StoreOverview | undefined, proof: StoreProof): PanelSelection | null =>
    store ? { kind: 'market', store, market: sellsIn(store, marketplaceId)!, proof } : null;
  // The page named exactly one store: no remembered pick or profile may overrule it.
  if (named?.stores.length === 1) return found(named.stores[0], named.proof)!;
  const among = named?.stores ?? selling;
  return (
    found(
      among.find((s) => s.id === pick?.storeId),
      'pick',
    ) ??
    found(
      among.find((s) => s.id === profileStoreId),
      'profile',
    ) ??
    found(among.length === 1 ? among[0] : undefined, 'only') ?? { kind: 'pick-store', marketplaceId, stores: among }
  );
}

/**
 * The store a page proved, with the merchant id its address carries when the relay does not know
 * it yet for that store: what the background records (`POST /v1/stores/:id/merchant-ids`) so every
 * other profile resolves the store from the address alone.
 */
export function provenStore(selection: PanelSelection | null, detection: Detection | null): { storeId: string; newMerchantId: string | null } | null {
  if (selection?.kind !== 'market' || !detection) return null;
  if (selection.proof !== 'name' && selection.proof !== 'merchant') return null;
  const merchantId = detection.merchantId;
  const known = merchantId !== null && (selection.store.merchantIds ?? []).includes(merchantId);
  return { storeId: selection.store.id, newMerchantId: merchantId && !known ? merchantId : null };
}

/** Names shorter than this match too much by accident inside a page title ("US", "A1"). */
const MIN_NAME_IN_TEXT = 4;

/**
 * The one store an ERP page is about, when its title or header names it (by the team's name or
 * Amazon's); null when it names none or several, and the panel lists every store to pick from.
 * ERPs show the store in the page's title or header on store-level pages, with no common markup.
 */
export function storeNamedInText(stores: readonly StoreOverview[], texts: readonly (string | null | undefined)[]): StoreOverview | null {
  const norm = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/\s+/g, '');
  const haystack = texts.map(norm).join('\n');
  if (!haystack) return null;
  const hits = stores.filter((s) => namesOf(s).some((n) => norm(n).length >= MIN_NAME_IN_TEXT && haystack.includes(norm(n))));
  return hits.length === 1 ? hits[0]! : null;
}
