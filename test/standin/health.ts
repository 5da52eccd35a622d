/**
 * A seller's numbers per marketplace, drawn once from its health profile with a generator seeded by
 * the seller and marketplace (so adding sellers in another order serves the same numbers):
 *
 * - `ok`: every metric comfortably inside Amazon's target;
 * - `near`: the seller-fulfilled Order Defect Rate at 80-95 % of its 1 % target, Amazon still GOOD;
 * - `breach`: that rate at 1.2-2 %, Amazon's own status BAD and the account AT_RISK.
 *
 * Targets are Amazon's published ones as the model's examples carry them (ODR < 1 %, late shipment
 * < 4 %, pre-fulfillment cancellation < 2.5 %, valid tracking and on-time delivery >= 95 % / 90 %).
 */
import { type Random, seedOf, seededRandom } from './prng.ts';

export const HEALTH_PROFILES = ['ok', 'near', 'breach'] as const;
export type HealthProfile = (typeof HEALTH_PROFILES)[number];

export interface Counted {
  total: number;
  count: number;
}

/** What one marketplace's report says, before it is dressed in the model's shape. */
export interface MarketplaceHealth {
  profile: HealthProfile;
  accountStatus: 'NORMAL' | 'AT_RISK';
  /** Seller-fulfilled orders and orders with a defect (60 days). */
  odrMfn: Counted & { claims: number; chargebacks: number; negativeFeedback: number };
  odrAfn: Counted;
  lateShipment: Counted;
  cancellation: Counted;
  validTracking: Counted;
  onTimeDelivery: Counted;
  /** The model's enum for `accountHealthRatingStatus`: GREAT or WARNED. */
  ahrStatus: 'GREAT' | 'WARNED';
}

/** Defects that put `total` orders at a rate in [lo, hi). */
function defectsBetween(random: Random, total: number, lo: number, hi: number): number {
  const min = Math.ceil(total * lo);
  const max = Math.max(min, Math.ceil(total * hi) - 1);
  return random.int(min, max);
}

export function marketplaceHealth(sellerId: string, marketplaceId: string, profile: HealthProfile): MarketplaceHealth {
  const random = seededRandom(seedOf(`${sellerId}/${marketplaceId}`));
  const orders = random.int(400, 2400);
  const defects =
    profile === 'ok' ? defectsBetween(random, orders, 0, 0.004) : profile === 'near' ? defectsBetween(random, orders, 0.008, 0.0095) : defectsBetween(random, orders, 0.012, 0.02);
  const claims = Math.floor(defects / 3);
  const chargebacks = Math.floor(defects / 5);
  const fbaOrders = random.int(50, 800);
  const shipped = Math.floor(orders * 0.6);
  return {
    profile,
    accountStatus: profile === 'breach' ? 'AT_RISK' : 'NORMAL',
    odrMfn: { total: orders, count: defects, claims, chargebacks, negativeFeedback: defects - claims - chargebacks },
    odrAfn: { total: fbaOrders, count: random.int(0, 1) },
    lateShipment: { total: shipped, count: defectsBetween(random, shipped, 0, 0.015) },
    cancellation: { total: random.int(100, 400), count: random.int(0, 1) },
    validTracking: { total: shipped, count: shipped - random.int(0, Math.floor(shipped * 0.01)) },
    onTimeDelivery: { total: shipped, count: shipped - random.int(0, Math.floor(shipped * 0.03)) },
    ahrStatus: profile === 'breach' ? 'WARNED' : 'GREAT',
  };
}

/** The rate Amazon prints: a fraction, rounded as the model's examples are (a few decimals). */
export function rateOf(c: Counted): number {
  return c.total === 0 ? 0 : Math.round((c.count / c.total) * 1e6) / 1e6;
}
