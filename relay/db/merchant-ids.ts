/**
 * Merchant ids that name a store on Seller Central addresses (`mons_sel_mcid`). Unique per
 * workspace and region: the address of a page names the region by its host, so an id recorded on
 * one store of a region can never name another store there.
 */
import type { Region } from '../../shared/types.ts';

/** A store never has more than a handful; the cap keeps a member from filling the table. */
export const MAX_MERCHANT_IDS_PER_STORE = 20;

export type RecordOutcome = 'recorded' | 'already' | 'taken' | 'full';

/** The OAuth seller id, recorded with the store it connects (in the store's insert batch). */
export function oauthMerchantIdStatement(db: D1Database, m: { workspaceId: string; region: Region; merchantId: string; storeId: string }, now: number): D1PreparedStatement {
  // Amazon's own word beats an id recorded from a page: it moves to the store the seller authorized.
  return db
    .prepare(
      `INSERT INTO store_merchant_ids (workspace_id, region, merchant_id, store_id, source, created_at) VALUES (?, ?, ?, ?, 'oauth', ?)
       ON CONFLICT (workspace_id, region, merchant_id) DO UPDATE SET store_id = excluded.store_id, source = 'oauth'`,
    )
    .bind(m.workspaceId, m.region, m.merchantId, m.storeId, now);
}

/** Records a merchant id seen on a page of `store`; says why not when it cannot. */
export async function recordMerchantId(
  db: D1Database,
  store: { workspaceId: string; region: Region; storeId: string },
  merchantId: string,
  now: number,
): Promise<RecordOutcome> {
  const existing = await db
    .prepare('SELECT store_id FROM store_merchant_ids WHERE workspace_id = ? AND region = ? AND merchant_id = ?')
    .bind(store.workspaceId, store.region, merchantId)
    .first<{ store_id: string }>();
  if (existing) return existing.store_id === store.storeId ? 'already' : 'taken';
  // One statement: the count and the insert cannot interleave with another request's. A racing
  // insert of the same id for another store hits the primary key and is ignored, then re-read.
  const inserted = await db
    .prepare(
      `INSERT INTO store_merchant_ids (workspace_id, region, merchant_id, store_id, source, created_at)
       SELECT ?, ?, ?, ?, 'page', ? WHERE (SELECT COUNT(*) FROM store_merchant_ids WHERE store_id = ?) < ?
       ON CONFLICT (workspace_id, region, merchant_id) DO NOTHING`,
    )
    .bind(store.workspaceId, store.region, merchantId, store.storeId, now, store.storeId, MAX_MERCHANT_IDS_PER_STORE)
    .run();
  if (inserted.meta.changes > 0) return 'recorded';
  const winner = await db
    .prepare('SELECT store_id FROM store_merchant_ids WHERE workspace_id = ? AND region = ? AND merchant_id = ?')
    .bind(store.workspaceId, store.region, merchantId)
    .first<{ store_id: string }>();
  if (!winner) return 'full';
  return winner.store_id === store.storeId ? 'already' : 'taken';
}

/** Every store's merchant ids in a workspace, by store id, oldest first. */
export async function listMerchantIds(db: D1Database, workspaceId: string): Promise<Map<string, string[]>> {
  const { results } = await db
    .prepare('SELECT store_id, merchant_id FROM store_merchant_ids WHERE workspace_id = ? ORDER BY store_id, created_at, merchant_id')
    .bind(workspaceId)
    .all<{ store_id: string; merchant_id: string }>();
  const out = new Map<string, string[]>();
  for (const r of results) {
    const list = out.get(r.store_id) ?? [];
    list.push(r.merchant_id);
    out.set(r.store_id, list);
  }
  return out;
}
