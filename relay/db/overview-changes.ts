/**
 * The overview's change sequence (migration 0011): each change a member would see in the overview
 * (a new reading, "last checked", authorization lost, a rename, new marketplaces, a deletion) takes
 * the workspace's next number and stamps the store, or its tombstone, with it. D1 runs a batch as
 * one transaction and writes one at a time, so numbers follow commit order: a reader that saw N has
 * seen every change up to N, and `?since=N` lists exactly what came after.
 */

/** A predicate (SQL with its binds) a touch must also satisfy, e.g. the pipeline's step guard. */
export interface TouchGuard {
  sql: string;
  binds: readonly unknown[];
}

/**
 * The two statements that stamp a store as changed; put them in the same batch as the change.
 * With a guard, they apply only when it holds (a pipeline step whose save won).
 */
export function touchStoreStatements(db: D1Database, workspaceId: string, storeId: string, guard?: TouchGuard): D1PreparedStatement[] {
  const extra = guard ? ` AND ${guard.sql}` : '';
  const binds = guard?.binds ?? [];
  return [
    db.prepare(`UPDATE workspaces SET overview_seq = overview_seq + 1 WHERE id = ?${extra}`).bind(workspaceId, ...binds),
    db
      .prepare(`UPDATE stores SET overview_seq = (SELECT overview_seq FROM workspaces WHERE id = ?) WHERE id = ? AND workspace_id = ?${extra}`)
      .bind(workspaceId, storeId, workspaceId, ...binds),
  ];
}

/** A deleted store's tombstone, stamped like a change (in the deletion's batch). */
export function removalStatements(db: D1Database, workspaceId: string, storeId: string, now: number): D1PreparedStatement[] {
  return [
    db.prepare('UPDATE workspaces SET overview_seq = overview_seq + 1 WHERE id = ?').bind(workspaceId),
    db
      .prepare(
        `INSERT INTO store_removals (workspace_id, store_id, overview_seq, removed_at) VALUES (?1, ?2, (SELECT overview_seq FROM workspaces WHERE id = ?1), ?3)
         ON CONFLICT (workspace_id, store_id) DO UPDATE SET overview_seq = excluded.overview_seq, removed_at = excluded.removed_at`,
      )
      .bind(workspaceId, storeId, now),
  ];
}

/** The workspace's newest change number (0 before any). */
export function overviewSeqStatement(db: D1Database, workspaceId: string): D1PreparedStatement {
  return db.prepare('SELECT overview_seq AS seq FROM workspaces WHERE id = ?').bind(workspaceId);
}

/** Ids of stores changed after `since` (index stores_by_overview_seq). */
export function changedStoreIdsStatement(db: D1Database, workspaceId: string, since: number): D1PreparedStatement {
  return db.prepare('SELECT id FROM stores WHERE workspace_id = ? AND overview_seq > ?').bind(workspaceId, since);
}

/** Ids of stores deleted after `since` that do not exist again. */
export function removedStoreIdsStatement(db: D1Database, workspaceId: string, since: number): D1PreparedStatement {
  return db
    .prepare('SELECT r.store_id AS id FROM store_removals r WHERE r.workspace_id = ?1 AND r.overview_seq > ?2 AND NOT EXISTS (SELECT 1 FROM stores s WHERE s.id = r.store_id)')
    .bind(workspaceId, since);
}
