/**
 * Headroom: how many more defects the current window takes before the target breaks, from the
 * report's own counts ("2 more defective orders and ODR breaks"). docs/domain/reports.md#shape: the counts
 * are there (ODR: orderCount + orderWithDefects.count, LSR: orderCount + lateShipmentCount...).
 *
 * Exact integer arithmetic: the target T/S is an exact decimal (see decimal.ts), so every
 * comparison below is between BigInts and the boundary (2 of 250 against 1 %) is never blurred.
 */
import { toDecimal } from './decimal.ts';
import type { Target } from './types.ts';

function isCount(n: number | undefined): n is number {
  return n !== undefined && Number.isSafeInteger(n) && n >= 0;
}

/** The largest integer n >= 0 with n * scale < slack; null when even n = 0 misses (slack <= 0). */
function largestBelow(slack: bigint, scale: bigint): number | null {
  return slack > 0n ? Number((slack - 1n) / scale) : null;
}

/**
 * Headroom of a rate metric, or null when it cannot be computed (missing counts, an empty window,
 * counts that contradict each other) or the target is already missed.
 *
 * - `LESS_THAN T/S` with `defects` d of `total` N: the largest n with (d + n) / N < T/S, that is
 *   n * S < T * N - d * S. New defects land on orders already in the window (a claim or a late
 *   shipment is about an order Amazon has counted), so N stays put - the cautious reading.
 * - `GREATER_THAN T/S` with `good` g of N: the largest n with (g - n) / N > T/S, that is
 *   n * S < g * S - T * N.
 * - `EQUALS`: 0 while the rate equals the target (any change breaks it), else null.
 */
export function rateHeadroom(counts: Record<string, number>, target: Target): number | null {
  const total = counts.total;
  const t = toDecimal(target.value);
  if (!isCount(total) || total === 0 || !t) return null;
  const N = BigInt(total);
  const { numerator: T, denominator: S } = t;
  const bad = counts.defects;
  const good = counts.good;
  if (target.condition === 'LESS_THAN') {
    if (!isCount(bad) || bad > total) return null;
    const n = largestBelow(T * N - BigInt(bad) * S, S);
    // Never more defects than orders in the window.
    return n === null ? null : Math.min(n, total - bad);
  }
  if (target.condition === 'GREATER_THAN') {
    if (!isCount(good) || good > total) return null;
    const n = largestBelow(BigInt(good) * S - T * N, S);
    return n === null ? null : Math.min(n, good);
  }
  // EQUALS: the rate is the defects' (or the good ones') share of the total.
  const part = isCount(bad) ? bad : isCount(good) ? good : null;
  if (part === null || part > total) return null;
  return BigInt(part) * S === T * N ? 0 : null;
}

/**
 * Headroom of a policy count: with Amazon's `EQUALS 0` target, 0 while the count is 0 (the next
 * violation breaks it) and null once it has any. A `LESS_THAN t` target (none seen yet, but the
 * schema allows it) gives the largest n with count + n < t.
 */
export function countHeadroom(value: number | null, target: Target): number | null {
  const t = toDecimal(target.value);
  if (value === null || !isCount(value) || !t) return null;
  const v = BigInt(value);
  const { numerator: T, denominator: S } = t;
  if (target.condition === 'EQUALS') return v * S === T ? 0 : null;
  if (target.condition === 'LESS_THAN') return largestBelow(T - v * S, S);
  // GREATER_THAN on a count would mean "more is better": n more may go away while v - n > t.
  const n = largestBelow(v * S - T, S);
  return n === null ? null : Math.min(n, value);
}

/** The defects a rate's counts carry against its target: bad ones for LESS_THAN, missing good ones for GREATER_THAN. */
function rateCounts(counts: Record<string, number>, target: Target): { N: bigint; T: bigint; S: bigint; bad: bigint | null; good: bigint | null } | null {
  const total = counts.total;
  const t = toDecimal(target.value);
  if (!isCount(total) || total === 0 || !t || t.numerator < 0n) return null;
  const bad = isCount(counts.defects) && counts.defects <= total ? BigInt(counts.defects) : null;
  const good = isCount(counts.good) && counts.good <= total ? BigInt(counts.good) : null;
  return { N: BigInt(total), T: t.numerator, S: t.denominator, bad, good };
}

/**
 * How far past its target a missed rate is, in defects: the defects beyond the most the window
 * could hold and still meet the target ("超出 2 笔"). Null while the target is met, for EQUALS, or
 * when the counts cannot say.
 *
 * - `LESS_THAN T/S`: the most allowed is the largest m with m * S < T * N; over = d - m.
 * - `GREATER_THAN T/S`: the fewest good ones needed is the smallest m with m * S > T * N;
 *   over = m - g (each missing good one is one defect too many).
 */
export function overTarget(counts: Record<string, number>, target: Target): number | null {
  const c = rateCounts(counts, target);
  if (!c) return null;
  const { N, T, S } = c;
  if (target.condition === 'LESS_THAN' && c.bad !== null) {
    if (T * N === 0n) return c.bad > 0n ? Number(c.bad) : null;
    const allowed = (T * N - 1n) / S;
    return c.bad > allowed ? Number(c.bad - allowed) : null;
  }
  if (target.condition === 'GREATER_THAN' && c.good !== null) {
    const needed = (T * N) / S + 1n;
    return needed > c.good ? Number(needed - c.good) : null;
  }
  return null;
}

/**
 * The way back from a missed rate: how many more defect-free orders (or shipments, units) the
 * window needs to be back on target, at today's volume - that is, with every order now in the
 * window still counted and no new defect. Exact, like the headroom:
 *
 * - `LESS_THAN T/S`, d defects of N: the smallest x with d / (N + x) < T/S, i.e.
 *   x * T > d * S - T * N, so x = floor((d * S - T * N) / T) + 1. A target of 0 has no way back.
 * - `GREATER_THAN T/S`, g good of N: the smallest x with (g + x) / (N + x) > T/S, i.e.
 *   x * (S - T) > T * N - g * S, so x = floor((T * N - g * S) / (S - T)) + 1. A target of 100 %
 *   has no way back.
 *
 * 0 when the counts already meet the target (Amazon may still say BAD: then only time helps);
 * null when the counts cannot say.
 */
export function wayBack(counts: Record<string, number>, target: Target): number | null {
  const c = rateCounts(counts, target);
  if (!c) return null;
  const { N, T, S } = c;
  if (target.condition === 'LESS_THAN' && c.bad !== null) {
    const excess = c.bad * S - T * N;
    if (excess < 0n) return 0;
    return T === 0n ? null : Number(excess / T + 1n);
  }
  if (target.condition === 'GREATER_THAN' && c.good !== null) {
    const shortfall = T * N - c.good * S;
    if (shortfall < 0n) return 0;
    return S - T <= 0n ? null : Number(shortfall / (S - T) + 1n);
  }
  return null;
}
