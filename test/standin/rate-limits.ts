/**
 * SP-API usage plans as token buckets, one per (selling partner, operation): a bucket holds up to
 * `burst` tokens and refills at `rate` tokens a second; a call that finds no whole token is refused
 * with 429. Rates and bursts are the "Usage Plan" tables in the operations' descriptions of Amazon's
 * models (reports_2021-06-30.json: createReport, getReport, getReportDocument; sellers.json:
 * getMarketplaceParticipations), and the bucket algorithm is the one Amazon's "Usage Plans and
 * Rate Limits in the Selling Partner API" page describes. The bucket belongs to the application and
 * seller pair; the stand-in serves one application, so the seller alone keys it.
 */

export const OPERATIONS = ['createReport', 'getReport', 'getReportDocument', 'getMarketplaceParticipations'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface UsagePlan {
  /** Tokens per second. */
  rate: number;
  burst: number;
}

export const USAGE_PLANS: Readonly<Record<Operation, UsagePlan>> = {
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
};

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiter {
  /** Takes one token for `sellerId`'s `operation` at `now` (ms); false when the bucket is empty. */
  take(sellerId: string, operation: Operation, now: number): boolean;
  /**
   * Empties a bucket at `now`, as another client of the same application working for the same
   * seller would (the bucket is the application and seller pair's, not one client's).
   */
  drain(sellerId: string, operation: Operation, now: number): void;
  /** Tokens left (fractional), for tests. */
  tokens(sellerId: string, operation: Operation, now: number): number;
}

export function rateLimiter(plans: Readonly<Record<Operation, UsagePlan>> = USAGE_PLANS): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refilled = (sellerId: string, operation: Operation, now: number): Bucket => {
    const key = `${sellerId}\u0000${operation}`;
    const plan = plans[operation];
    const bucket = buckets.get(key) ?? { tokens: plan.burst, at: now };
    // A clock that steps back (never in a test, but cheap to guard) refills nothing.
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    const next = { tokens: Math.min(plan.burst, bucket.tokens + elapsed * plan.rate), at: Math.max(now, bucket.at) };
    buckets.set(key, next);
    return next;
  };
  return {
    take(sellerId, operation, now) {
      const bucket = refilled(sellerId, operation, now);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    drain(sellerId, operation, now) {
      refilled(sellerId, operation, now).tokens = 0;
    },
    tokens: (sellerId, operation, now) => refilled(sellerId, operation, now).tokens,
  };
}
