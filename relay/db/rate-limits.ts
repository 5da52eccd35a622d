/**
 * Fixed-window counters in D1 for the endpoints that take guesses (setup, pairing). D1 rather
 * than KV: KV's free plan allows 1,000 writes a day (docs/operations.md) and is eventually
 * consistent, so a burst of guesses could all read the old count. Old windows are deleted by the
 * retention pass (relay/retention.ts).
 */

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Counts one hit on `bucket`; `allowed` is false once the window's count has reached the limit.
 * A refused hit writes nothing (the upsert's WHERE skips the update and RETURNING yields no row), so
 * a flood of refused requests costs reads, not D1's scarcer writes.
 */
export async function hitRateLimit(db: D1Database, bucket: string, rule: RateLimit, now: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStart = now - (now % rule.windowMs);
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1 WHERE rate_limits.count < ?3 RETURNING count`,
    )
    .bind(bucket, windowStart, rule.limit)
    .first<{ count: number }>();
  return { allowed: row !== null, retryAfterSeconds: Math.ceil((windowStart + rule.windowMs - now) / 1000) };
}
