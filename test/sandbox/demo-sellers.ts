/**
 * The three seeded demo sellers, one per SP-API region, with metrics that move on the clock so a
 * person watching `npm start` sees the relay warn and then alert without touching anything.
 */
import { AU, CA, DE, ES, FR, IT, JP, MX, UK, US } from './marketplaces.ts';
import type { Region } from './marketplaces.ts';
import { healthyMetrics } from './metrics.ts';
import type { MarketMetrics } from './metrics.ts';
import type { Seller } from './state.ts';

export const DEMO_SELLERS = {
  na: { sellerId: 'A1DEMONA0001', refreshToken: 'Atzr|sandbox-na' },
  eu: { sellerId: 'A1DEMOEU0001', refreshToken: 'Atzr|sandbox-eu' },
  fe: { sellerId: 'A1DEMOFE0001', refreshToken: 'Atzr|sandbox-fe' },
} as const;

const MINUTE = 60_000;

/** US ODR starts at 1/250 (0.4 %) and gains a defective order every 3 minutes, five times at most:
 * 2/250 = 0.8 % (near the 1 % target) after 3 min, 3/250 = 1.2 % (breach) after 6 min. */
export const US_ODR_DRIFT_MS = 3 * MINUTE;

function seller(region: Region, storeName: string, ids: string[], now: number, tweak: (id: string, m: MarketMetrics) => void, suspendedListings: string[] = []): Seller {
  const metrics = new Map<string, MarketMetrics>();
  ids.forEach((id, i) => {
    const m = healthyMetrics(400 + 150 * i);
    tweak(id, m);
    metrics.set(id, m);
  });
  return {
    ...DEMO_SELLERS[region],
    region,
    storeName,
    marketplaceIds: ids,
    suspendedListings,
    nonRetail: region === 'na',
    metrics,
  };
}

/**
 * Store names as sellers choose them, not as a team labels its stores ("A03-美国"): the name
 * Seller Central's account switcher shows, which the extension matches on pages.
 */
export function demoSellers(now: number): Seller[] {
  return [
    seller('na', 'Lumora Home', [US, CA, MX], now, (id, m) => {
      if (id !== US) return;
      m.rates.orderDefectRate = { n: 1, total: 250 };
      m.drift.orderDefectRate = { since: now, everyMs: US_ODR_DRIFT_MS, step: 1, max: 5 };
    }),
    seller('eu', 'Lumora Home EU', [UK, DE, FR, IT, ES], now, (id, m) => {
      // UK late shipments creep up slowly: 3.0 % now, crossing 4 % after ~3 hours.
      if (id === UK) {
        m.rates.lateShipmentRate = { n: 12, total: 400 };
        m.drift.lateShipmentRate = { since: now, everyMs: 40 * MINUTE, step: 1, max: 20 };
      }
      // DE already has one listing policy violation (a policy count above its target of 0), and
      // the listing it concerns is suspended (Sellers API hasSuspendedListings).
      if (id === DE) m.policies.listingPolicyViolations = 1;
    }, [DE]),
    seller('fe', 'ルモラ Lumora Japan', [JP, AU], now, (id, m) => {
      // JP valid tracking slowly falls toward the 95 % target.
      if (id === JP) {
        m.rates.validTrackingRate = { n: 388, total: 400 };
        m.drift.validTrackingRate = { since: now, everyMs: 30 * MINUTE, step: -1, max: 15 };
      }
    }),
  ];
}
