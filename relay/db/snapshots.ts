/**
 * Reading snapshots for the API (the pipeline writes them, relay/pipeline/snapshots.ts): one
 * report's reading of one marketplace, with its evaluation, both JSON.
 */

export interface SnapshotRow {
  store_id: string;
  marketplace_id: string;
  taken_at: number;
  fetched_at: number;
  /** The compact overview entry made when the snapshot was written (migration 0011); null before. */
  summary: string | null;
  /** Read only for rows without a summary: the overview then makes one from it. */
  evaluation: string | null;
}

/**
 * The newest snapshot of each watched marketplace of the workspace (or of `storeIds`), in one
 * statement: its small summary, and the full evaluation only of rows written before summaries
 * existed. Marketplaces without a reading have no row.
 */
export async function latestSnapshots(db: D1Database, workspaceId: string, storeIds?: readonly string[]): Promise<SnapshotRow[]> {
  const only = storeIds ? ' AND m.store_id IN (SELECT value FROM json_each(?2))' : '';
  const { results } = await db
    .prepare(
      `SELECT s.store_id, s.marketplace_id, s.taken_at, s.fetched_at, s.summary, CASE WHEN s.summary IS NULL THEN s.evaluation END AS evaluation
       FROM store_marketplaces m JOIN snapshots s ON s.rowid = (
         SELECT t.rowid FROM snapshots t WHERE t.store_id = m.store_id AND t.marketplace_id = m.marketplace_id ORDER BY t.taken_at DESC LIMIT 1
       ) AND s.workspace_id = ?1
       WHERE m.workspace_id = ?1${only}`,
    )
    .bind(workspaceId, ...(storeIds ? [JSON.stringify(storeIds)] : []))
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

/** The Account Health Rating's score and status word over time, oldest first (the sparkline beside it). */
export async function ahrHistory(
  db: D1Database,
  q: { workspaceId: string; storeId: string; marketplaceId: string; since: number; limit: number },
): Promise<Array<{ takenAt: number; score: number | null; status: string | null }>> {
  const { results } = await db
    .prepare(
      `SELECT * FROM (
         SELECT taken_at, json_extract(evaluation, '$.ahr.score') AS score, json_extract(evaluation, '$.ahr.status') AS status
         FROM snapshots WHERE workspace_id = ? AND store_id = ? AND marketplace_id = ? AND taken_at >= ?
         ORDER BY taken_at DESC LIMIT ?
       ) ORDER BY taken_at`,
    )
    .bind(q.workspaceId, q.storeId, q.marketplaceId, q.since, q.limit)
    .all<{ taken_at: number; score: unknown; status: unknown }>();
  // What the JSON holds is read, not trusted: a number and a string, or nothing.
  return results.map((r) => ({ takenAt: r.taken_at, score: typeof r.score === 'number' ? r.score : null, status: typeof r.status === 'string' ? r.status : null }));
}

/** The newest snapshot of one marketplace in full (content and evaluation), for its detail view. */
export async function latestSnapshot(
  db: D1Database,
  workspaceId: string,
  storeId: string,
  marketplaceId: string,
): Promise<{ taken_at: number; fetched_at: number; content: string; evaluation: string } | null> {
  return db
    .prepare(
      `SELECT taken_at, fetched_at, content, evaluation FROM snapshots
       WHERE workspace_id = ? AND store_id = ? AND marketplace_id = ? ORDER BY taken_at DESC LIMIT 1`,
    )
    .bind(workspaceId, storeId, marketplaceId)
    .first();
}
