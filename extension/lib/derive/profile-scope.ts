/**
 * A browser profile that belongs to one store. Teams run each store in its own fingerprint-browser
 * profile and must never open one store's Seller Central in another's (a login outside the store's
 * own environment risks linking the accounts). In such a profile the toolbar badge, the desktop
 * notifications and the popup's first screen concern that store only, and links to any other
 * store's Seller Central are replaced by a note saying where to open them.
 */
import type { AlertView, StoreOverview } from '../../../shared/api/index.ts';

/** The stores a profile's badge and first screen concern: its own store when it still exists, else all. */
export function storesInScope<S extends Pick<StoreOverview, 'id'>>(stores: readonly S[], profileStoreId: string | null): S[] {
  const own = profileStoreId ? stores.filter((s) => s.id === profileStoreId) : [];
  return own.length ? own : [...stores];
}

/** New alerts this profile announces on the desktop: its own store's only. */
export function alertsInScope<A extends Pick<AlertView, 'storeId'>>(alerts: readonly A[], profileStoreId: string | null): A[] {
  return profileStoreId ? alerts.filter((a) => a.storeId === profileStoreId) : [...alerts];
}

/** Whether this profile may open a store's Seller Central pages, or must say where to open them. */
export function mayOpenStore(storeId: string, profileStoreId: string | null): boolean {
  return profileStoreId === null || profileStoreId === storeId;
}

/** The popup's store list: the profile's store first and alone until the person asks for all. */
export function popupStores<S extends Pick<StoreOverview, 'id'>>(stores: readonly S[], profileStoreId: string | null, showAll: boolean): { stores: S[]; hidden: number } {
  if (showAll) return { stores: [...stores], hidden: 0 };
  const shown = storesInScope(stores, profileStoreId);
  return { stores: shown, hidden: stores.length - shown.length };
}
