/**
 * The few reads the alert code makes of tables other parts of the relay own (members, stores,
 * events), in one place so a schema change there is one edit here.
 */

export interface EventRow {
  workspace_id: string;
  store_id: string;
  key: string;
  kind: string;
  severity: string;
  /** The HealthEvent as JSON. */
  payload: string;
  created_at: number;
}

export interface MemberRow {
  id: string;
  role: 'owner' | 'member';
}

/** Active members of a workspace. */
export async function listMembers(db: D1Database, workspaceId: string): Promise<MemberRow[]> {
  const { results } = await db
    .prepare('SELECT id, role FROM members WHERE workspace_id = ? AND revoked_at IS NULL')
    .bind(workspaceId)
    .all<MemberRow>();
  return results;
}

/** D1 binds at most 100 parameters per query. */
const MAX_PARAMS = 90;

/** `SELECT ... WHERE column IN (ids)` in chunks D1 accepts. `sql` holds one `(?)` placeholder for the list. */
export async function selectIn<T>(db: D1Database, sql: string, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += MAX_PARAMS) {
    const chunk = unique.slice(i, i + MAX_PARAMS);
    const { results } = await db.prepare(sql.replace('(?)', `(${chunk.map(() => '?').join(',')})`)).bind(...chunk).all<T>();
    out.push(...results);
  }
  return out;
}

/** Display names of stores, by id. */
export async function storeNames(db: D1Database, storeIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await selectIn<{ id: string; name: string }>(db, 'SELECT id, name FROM stores WHERE id IN (?)', storeIds);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Events the fan-out has not decided yet, oldest first, created in `[since, until]`. */
export async function undecidedEvents(db: D1Database, since: number, until: number, limit: number): Promise<EventRow[]> {
  const { results } = await db
    .prepare(
      `SELECT e.workspace_id, e.store_id, e.key, e.kind, e.severity, e.payload, e.created_at
       FROM events e LEFT JOIN alert_fanouts f ON f.event_key = e.key
       WHERE f.event_key IS NULL AND e.created_at >= ? AND e.created_at <= ?
       ORDER BY e.created_at LIMIT ?`,
    )
    .bind(since, until, limit)
    .all<EventRow>();
  return results;
}
