/**
 * Token buckets per seller and operation on the injected clock
 * (docs/domain/amazon-limits.md#rate-limits). Amazon keys limits by application + seller; the
 * sandbox has one application, so seller suffices.
 */
export const OPERATION_LIMITS = {
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
} as const;
export type Operation = keyof typeof OPERATION_LIMITS;

export function isOperation(name: string): name is Operation {
  return Object.hasOwn(OPERATION_LIMITS, name);
}

export interface RateLimiter {
  /** Takes one token; false when the bucket is empty. */
  take(sellerId: string, op: Operation): boolean;
  reset(): void;
}

export function createRateLimiter(now: () => number): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(sellerId, op) {
      const { rate, burst } = OPERATION_LIMITS[op];
      const key = `${sellerId}|${op}`;
      const t = now();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, t - b.at) / 1000) * rate);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    reset() {
      buckets.clear();
    },
  };
}
