/** Seeds snapshot rows the way the pipeline writes them (relay/pipeline/snapshots.ts), for read tests. */
import { marketplaceSummary } from '../../../shared/overview-summary.ts';
import type { MarketplaceEvaluation, MarketplaceSnapshot } from '../../../shared/types.ts';

export interface NewSnapshot {
  id: string;
  workspaceId: string;
  storeId: string;
  marketplaceId: string;
  takenAt: number;
  fetchedAt: number;
  content: MarketplaceSnapshot;
  evaluation: MarketplaceEvaluation;
  /** false: a row from before overview summaries (migration 0011), which the overview must still read. */
  summary?: boolean;
}

export function insertSnapshotStatement(db: D1Database, s: NewSnapshot): D1PreparedStatement {
  return db
    .prepare('INSERT INTO snapshots (id, workspace_id, store_id, marketplace_id, taken_at, fetched_at, content, evaluation, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(
      s.id,
      s.workspaceId,
      s.storeId,
      s.marketplaceId,
      s.takenAt,
      s.fetchedAt,
      JSON.stringify(s.content),
      JSON.stringify(s.evaluation),
      s.summary === false ? null : JSON.stringify(marketplaceSummary(s.evaluation, s.fetchedAt)),
    );
}
