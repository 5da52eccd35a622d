/**
 * Reading snapshots for the API (the pipeline writes them, relay/pipeline/snapshots.ts): one
 * report's reading of one marketplace, with its evaluation, both JSON.
 */

export interface SnapshotRow {
  store_id: string;
  marketplace_id: string;
  taken_at: number;
  fetched_at: number;
  evaluation: string;
}

/**
 * The newest snapshot of every watched marketplace of a workspace. Driven by store_marketplaces,
 * with one index seek per marketplace (snapshots_by_subject, newest end): D1 bills rows read, and
 * a GROUP BY over snapshots would read a workspace's whole history on every popup open.
 */
export async function latestSnapshots(db: D1Database, workspaceId: string): Promise<SnapshotRow[]> {
  const { results } = await db
    .prepare(
      `SELECT s.store_id, s.marketplace_id, s.taken_at, s.fetched_at, s.evaluation
       FROM store_marketplaces m
       JOIN snapshots s ON s.rowid = (
         SELECT t.rowid FROM snapshots t WHERE t.store_id = m.store_id AND t.marketplace_id = m.marketplace_id ORDER BY t.taken_at DESC LIMIT 1)
       WHERE m.workspace_id = ?`,
    )
    .bind(workspaceId)
    .all<SnapshotRow>();
  return results;
}

/** One metric's value and level over time, oldest first, for a sparkline (at most `limit` points). */
export async function metricHistory(
  db: D1Database,
  q: { workspaceId: string; storeId: string; marketplaceId: string; metric: string; since: number; limit: number },
): Promise<Array<{ takenAt: number; value: number | null; level: string | null }>> {
  // The metric id is bound as a value inside the JSON path, never spliced into the SQL text.
  const { results } = await db
    .prepare(
      `SELECT * FROM (
         SELECT taken_at, json_extract(evaluation, '$.metrics.' || ? || '.value') AS value, json_extract(evaluation, '$.metrics.' || ? || '.level') AS level
         FROM snapshots WHERE workspace_id = ? AND store_id = ? AND marketplace_id = ? AND taken_at >= ?
         ORDER BY taken_at DESC LIMIT ?
       ) ORDER BY taken_at`,
    )
    .bind(q.metric, q.metric, q.workspaceId, q.storeId, q.marketplaceId, q.since, q.limit)
    .all<{ taken_at: number; value: number | null; level: string | null }>();
  return results.map((r) => ({ takenAt: r.taken_at, value: r.value, level: r.level }));
}
