/** Snapshots: one report's reading of one marketplace, with its evaluation (both JSON). */
import type { MarketplaceEvaluation, MarketplaceSnapshot } from '../../shared/types.ts';

export interface SnapshotRow {
  store_id: string;
  marketplace_id: string;
  taken_at: number;
  fetched_at: number;
  evaluation: string;
}

/** The newest snapshot of every store/marketplace of a workspace (one query, the index's order). */
export async function latestSnapshots(db: D1Database, workspaceId: string): Promise<SnapshotRow[]> {
  const { results } = await db
    .prepare(
      `SELECT s.store_id, s.marketplace_id, s.taken_at, s.fetched_at, s.evaluation FROM snapshots s
       JOIN (SELECT store_id, marketplace_id, MAX(taken_at) AS taken_at FROM snapshots WHERE workspace_id = ? GROUP BY store_id, marketplace_id) latest
         ON latest.store_id = s.store_id AND latest.marketplace_id = s.marketplace_id AND latest.taken_at = s.taken_at
       WHERE s.workspace_id = ?`,
    )
    .bind(workspaceId, workspaceId)
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

export interface NewSnapshot {
  id: string;
  workspaceId: string;
  storeId: string;
  marketplaceId: string;
  takenAt: number;
  fetchedAt: number;
  content: MarketplaceSnapshot;
  evaluation: MarketplaceEvaluation;
}

/** The statement that saves a snapshot (the pipeline batches it with its events). */
export function insertSnapshotStatement(db: D1Database, s: NewSnapshot): D1PreparedStatement {
  return db
    .prepare('INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(s.id, s.workspaceId, s.storeId, s.marketplaceId, s.takenAt, s.fetchedAt, JSON.stringify(s.content), JSON.stringify(s.evaluation));
}

/** The newest snapshot's content and evaluation for one marketplace (what `diff` compares against). */
export async function latestSnapshotOf(
  db: D1Database,
  storeId: string,
  marketplaceId: string,
): Promise<{ takenAt: number; content: MarketplaceSnapshot; evaluation: MarketplaceEvaluation } | null> {
  const row = await db
    .prepare('SELECT taken_at, content, evaluation FROM snapshots WHERE store_id = ? AND marketplace_id = ? ORDER BY taken_at DESC LIMIT 1')
    .bind(storeId, marketplaceId)
    .first<{ taken_at: number; content: string; evaluation: string }>();
  return row ? { takenAt: row.taken_at, content: JSON.parse(row.content) as MarketplaceSnapshot, evaluation: JSON.parse(row.evaluation) as MarketplaceEvaluation } : null;
}
