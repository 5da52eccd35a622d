/**
 * Headroom: how many more defects the current window takes before the target breaks, from the
 * report's own counts ("2 more defective orders and ODR breaks"). DOMAIN.md section 1 shows the
 * counts are there (ODR: orderCount + orderWithDefects.count, LSR: orderCount + lateShipmentCount...).
 *
 * Exact integer arithmetic: targets are decimal fractions (0.01, 0.025, 0.95), so we scale them
 * to integers and compare with BigInt. Floating point would misjudge the boundary (2/250 vs 1 %).
 */
import type { Target } from './types.ts';

/** A target as an exact fraction numerator/denominator. */
interface ExactFraction {
  numerator: bigint;
  denominator: bigint;
}

function exact(value: number): ExactFraction | null {
  if (!Number.isFinite(value) || value < 0) return null;
  for (let digits = 0; digits <= 12; digits++) {
    const denominator = 10 ** digits;
    const scaled = Math.round(value * denominator);
    if (Math.abs(scaled / denominator - value) < 1e-15) {
      return { numerator: BigInt(scaled), denominator: BigInt(denominator) };
    }
  }
  return null;
}

function isCount(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 0;
}

/**
 * Headroom of a rate metric, or null when it cannot be computed (missing counts, an empty window,
 * counts that contradict each other) or the target is already missed.
 *
 * - `LESS_THAN t` with `defects` of `total`: the largest n with (defects + n) / total < t. New defects
 *   land on orders already in the window (a claim or late shipment is about an existing order), so
 *   the total stays put - the conservative reading.
 * - `GREATER_THAN t` with `good` of `total`: the largest n with (good - n) / total > t.
 */
export function rateHeadroom(counts: Record<string, number>, target: Target): number | null {
  const total = counts.total;
  if (!isCount(total) || total === 0) return null;
  const t = exact(target.value);
  if (!t) return null;
  const N = BigInt(total);
  let slack: bigint;
  if (target.condition === 'LESS_THAN') {
    const defects = counts.defects;
    if (!isCount(defects) || defects > total) return null;
    // (d + n) / N < T / S  <=>  n * S < T * N - d * S
    slack = t.numerator * N - BigInt(defects) * t.denominator;
  } else if (target.condition === 'GREATER_THAN') {
    const good = counts.good;
    if (!isCount(good) || good > total) return null;
    // (g - n) / N > T / S  <=>  n * S < g * S - T * N
    slack = BigInt(good) * t.denominator - t.numerator * N;
  } else {
    return null;
  }
  if (slack <= 0n) return null;
  // Largest integer n with n * S < slack.
  return Number((slack - 1n) / t.denominator);
}

/**
 * Headroom of a policy count with Amazon's `EQUALS 0` target: 0 while the count is 0 (the next
 * violation breaks it), null once it has any.
 */
export function countHeadroom(value: number | null, target: Target): number | null {
  if (value === null || target.condition !== 'EQUALS') return null;
  return value === target.value ? 0 : null;
}
