/**
 * The parts of the popup that are not on its first screen, each in a chunk of its own: the alert
 * feed (below the store list; it carries the message wording shared with WeChat), a store's
 * marketplace detail (behind a tap) and the grid (behind a toggle). The first paint loads none of
 * them; `preloadOnDemand()` fetches them once that paint is on screen (entrypoints/popup/main.tsx).
 */
import { lazyComponent } from './lazy-component.tsx';

export const AlertFeed = lazyComponent(() => import('./alert-feed.tsx').then((m) => m.AlertFeed));
export const MarketplaceDetail = lazyComponent(() => import('./marketplace-detail.tsx').then((m) => m.MarketplaceDetail));
export const StoreGrid = lazyComponent(() => import('./store-grid.tsx').then((m) => m.StoreGrid));

export function preloadOnDemand(): Promise<unknown> {
  return Promise.all([AlertFeed.preload(), MarketplaceDetail.preload(), StoreGrid.preload()]);
}
