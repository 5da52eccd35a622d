/**
 * The shapes and helpers of the reads the alert code makes of tables other parts of the relay own
 * (members), in one place so a schema change there is one edit here.
 */

export interface MemberRow {
  id: string;
  role: 'owner' | 'member';
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
