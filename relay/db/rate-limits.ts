/**
 * Fixed-window counters in D1 for the endpoints that take guesses (setup, pairing). D1 rather
 * than KV: KV's free plan allows 1,000 writes a day (docs/operations.md) and is eventually
 * consistent, so a burst of guesses could all read the old count.
 */

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Counts one hit on `bucket`; `allowed` is false once the window's count passes the limit. */
export async function hitRateLimit(db: D1Database, bucket: string, rule: RateLimit, now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStart = now - (now % rule.windowMs);
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1 RETURNING count`,
    )
    .bind(bucket, windowStart)
    .first<{ count: number }>();
  const count = row?.count ?? 1;
  return { allowed: count <= rule.limit, retryAfterSeconds: Math.ceil((windowStart + rule.windowMs - now) / 1000) };
}

/** Drops finished windows older than `before` (the cron tick may call it). */
export async function pruneRateLimits(db: D1Database, before: number): Promise<void> {
  await db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(before).run();
}
