/**
 * Stores and their marketplaces. Every function that answers a caller takes the workspace id and
 * puts it in the WHERE clause: a store id from another workspace reads as absent.
 */
import { pollPhase } from '../../shared/poll-plan.ts';
import { nextIdentityAt } from '../../shared/store-identity.ts';
import type { Region } from '../../shared/types.ts';
import type { MarketplaceIdentity } from '../amazon/sellers.ts';
import type { Sealed } from '../crypto/secrets.ts';
import { removalStatements, touchStoreStatements } from './overview-changes.ts';

export interface StoreRow {
  id: string;
  workspace_id: string;
  name: string;
  region: Region;
  seller_id: string | null;
  poll_interval_minutes: number;
  paused: number;
  auth_state: 'ok' | 'lost';
  auth_error: string | null;
  last_checked_at: number | null;
  next_poll_at: number;
  created_at: number;
}

const IDENTITY_DAY_MS = 86_400_000;

const STORE_COLUMNS = 'id, workspace_id, name, region, seller_id, poll_interval_minutes, paused, auth_state, auth_error, last_checked_at, next_poll_at, created_at';

/** SQL for shared/store-identity.ts `nextIdentityAt` over the stores row (`now` names the bound parameter). */
export function nextIdentitySql(now: string): string {
  const from = `(${now} + ${IDENTITY_DAY_MS / 2})`;
  return `(${from} + (((poll_phase - ${from}) % ${IDENTITY_DAY_MS}) + ${IDENTITY_DAY_MS}) % ${IDENTITY_DAY_MS})`;
}

export interface NewStore {
  id: string;
  workspaceId: string;
  name: string;
  region: Region;
  sellerId: string | null;
  token: Sealed;
  marketplaces: readonly MarketplaceIdentity[];
}

function marketplaceStatements(db: D1Database, storeId: string, workspaceId: string, marketplaces: readonly MarketplaceIdentity[]): D1PreparedStatement[] {
  return marketplaces.map((m) =>
    db
      .prepare('INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code, store_name, has_suspended_listings) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(storeId, workspaceId, m.marketplaceId, m.countryCode, m.storeName, m.hasSuspendedListings === null ? null : Number(m.hasSuspendedListings)),
  );
}

/**
 * The store, its sealed token and its marketplaces in one transaction; due for a first poll now.
 * `extra` rides in the same batch (the OAuth seller id recorded as a merchant id, the token's fingerprint).
 */
export async function insertStore(db: D1Database, s: NewStore, now: number, extra: readonly D1PreparedStatement[] = []): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO stores (id, workspace_id, name, region, seller_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id, next_poll_at, poll_phase, next_identity_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      // Amazon's identity was just read: the daily re-read starts on the store's phase.
      .bind(s.id, s.workspaceId, s.name, s.region, s.sellerId, s.token.ciphertext, s.token.iv, s.token.keyId, now, pollPhase(s.id), nextIdentityAt(now, pollPhase(s.id)), now, now),
    ...marketplaceStatements(db, s.id, s.workspaceId, s.marketplaces),
    ...touchStoreStatements(db, s.workspaceId, s.id),
    ...extra,
  ]);
}

/**
 * A re-authorization: the new token and marketplace list (with Amazon's store names, read again)
 * replace the old, and polling resumes.
 */
export async function replaceStoreAuthorization(db: D1Database, s: Omit<NewStore, 'name' | 'sellerId'>, now: number, extra: readonly D1PreparedStatement[] = []): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE stores SET refresh_token_ciphertext = ?1, refresh_token_iv = ?2, refresh_token_key_id = ?3, auth_state = 'ok', auth_error = NULL,
         next_poll_at = ?4, next_identity_at = ${nextIdentitySql('?4')}, updated_at = ?4 WHERE id = ?5 AND workspace_id = ?6`,
      )
      .bind(s.token.ciphertext, s.token.iv, s.token.keyId, now, s.id, s.workspaceId),
    db.prepare('DELETE FROM store_marketplaces WHERE store_id = ? AND workspace_id = ?').bind(s.id, s.workspaceId),
    ...marketplaceStatements(db, s.id, s.workspaceId, s.marketplaces),
    ...touchStoreStatements(db, s.workspaceId, s.id),
    ...extra,
  ]);
}

export async function findStoreBySeller(db: D1Database, workspaceId: string, region: Region, sellerId: string): Promise<StoreRow | null> {
  return db.prepare(`SELECT ${STORE_COLUMNS} FROM stores WHERE workspace_id = ? AND region = ? AND seller_id = ?`).bind(workspaceId, region, sellerId).first<StoreRow>();
}

export async function getStore(db: D1Database, workspaceId: string, storeId: string): Promise<StoreRow | null> {
  return db.prepare(`SELECT ${STORE_COLUMNS} FROM stores WHERE id = ? AND workspace_id = ?`).bind(storeId, workspaceId).first<StoreRow>();
}

/** SQL that keeps only the given ids (bound as one JSON array), or every row when `ids` is absent. */
function onlyIds(column: string, ids: readonly string[] | undefined): { sql: string; binds: string[] } {
  return ids ? { sql: ` AND ${column} IN (SELECT value FROM json_each(?))`, binds: [JSON.stringify(ids)] } : { sql: '', binds: [] };
}

/** The workspace's stores; with `ids`, only those (a delta of the overview reads no more than it sends). */
export async function listStores(db: D1Database, workspaceId: string, ids?: readonly string[]): Promise<StoreRow[]> {
  const only = onlyIds('id', ids);
  const { results } = await db
    .prepare(`SELECT ${STORE_COLUMNS} FROM stores WHERE workspace_id = ?${only.sql} ORDER BY created_at, id`)
    .bind(workspaceId, ...only.binds)
    .all<StoreRow>();
  return results;
}

/** Marketplaces of every store of a workspace (or of the given ones), by store id, in the table's order, with Amazon's identity of the store. */
export async function listStoreMarketplaces(db: D1Database, workspaceId: string, ids?: readonly string[]): Promise<Map<string, MarketplaceIdentity[]>> {
  const only = onlyIds('store_id', ids);
  const { results } = await db
    .prepare(`SELECT store_id, marketplace_id, country_code, store_name, has_suspended_listings FROM store_marketplaces WHERE workspace_id = ?${only.sql} ORDER BY store_id, country_code`)
    .bind(workspaceId, ...only.binds)
    .all<{ store_id: string; marketplace_id: string; country_code: string; store_name: string | null; has_suspended_listings: number | null }>();
  const out = new Map<string, MarketplaceIdentity[]>();
  for (const r of results) {
    const list = out.get(r.store_id) ?? [];
    list.push({
      marketplaceId: r.marketplace_id,
      countryCode: r.country_code,
      storeName: r.store_name,
      hasSuspendedListings: r.has_suspended_listings === null ? null : r.has_suspended_listings === 1,
    });
    out.set(r.store_id, list);
  }
  return out;
}

export interface StorePatch {
  name?: string;
  pollIntervalMinutes?: number;
  paused?: boolean;
}

/**
 * Applies a patch. A new interval counts from the last check (or now), so shortening it takes
 * effect at once; unpausing makes an overdue store due now rather than at its stale time.
 */
export async function patchStore(db: D1Database, store: StoreRow, patch: StorePatch, now: number): Promise<void> {
  const interval = patch.pollIntervalMinutes ?? store.poll_interval_minutes;
  let nextPoll = store.next_poll_at;
  if (patch.pollIntervalMinutes !== undefined) nextPoll = (store.last_checked_at ?? now) + interval * 60_000;
  if (patch.paused === false && store.paused === 1) nextPoll = Math.max(now, Math.min(nextPoll, now));
  const update = db
    .prepare('UPDATE stores SET name = ?, poll_interval_minutes = ?, paused = ?, next_poll_at = ?, updated_at = ? WHERE id = ? AND workspace_id = ?')
    .bind(patch.name ?? store.name, interval, patch.paused === undefined ? store.paused : Number(patch.paused), nextPoll, now, store.id, store.workspace_id);
  // Only the name shows in the overview: a new interval or a pause does not make it change.
  await db.batch(patch.name !== undefined && patch.name !== store.name ? [update, ...touchStoreStatements(db, store.workspace_id, store.id)] : [update]);
}

/**
 * Deletes a store with its token (in the row), marketplaces, snapshots and events (explicitly,
 * and by the foreign keys' cascade besides), the alerts that name it and its feedback folds.
 */
export async function deleteStore(db: D1Database, workspaceId: string, storeId: string, now: number): Promise<boolean> {
  const exists = await db.prepare('SELECT 1 AS one FROM stores WHERE id = ? AND workspace_id = ?').bind(storeId, workspaceId).first();
  if (!exists) return false;
  const results = await db.batch([
    ...removalStatements(db, workspaceId, storeId, now),
    db.prepare('DELETE FROM events WHERE store_id = ? AND workspace_id = ?').bind(storeId, workspaceId),
    db.prepare('DELETE FROM snapshots WHERE store_id = ? AND workspace_id = ?').bind(storeId, workspaceId),
    db.prepare('DELETE FROM store_marketplaces WHERE store_id = ? AND workspace_id = ?').bind(storeId, workspaceId),
    db.prepare('DELETE FROM alerts WHERE store_id = ? AND workspace_id = ?').bind(storeId, workspaceId),
    // No foreign key there (0013): the store was proven to be this workspace's above.
    db.prepare('DELETE FROM feedback_folds WHERE store_id = ?').bind(storeId),
    db.prepare('DELETE FROM stores WHERE id = ? AND workspace_id = ?').bind(storeId, workspaceId),
  ]);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}

/**
 * What decides whether a workspace may add a store, in one round trip: how many stores it has, and
 * the store that already holds this refresh token (by fingerprint), if any.
 */
export async function storeAdmission(db: D1Database, workspaceId: string, fingerprint: string): Promise<{ stores: number; holder: { id: string; name: string } | null }> {
  const [count, holder] = await db.batch([
    db.prepare('SELECT COUNT(*) AS n FROM stores WHERE workspace_id = ?').bind(workspaceId),
    db.prepare('SELECT id, name FROM stores WHERE workspace_id = ? AND refresh_token_fingerprint = ?').bind(workspaceId, fingerprint),
  ]);
  const n = (count?.results[0] as { n: number } | undefined)?.n ?? 0;
  return { stores: n, holder: (holder?.results[0] as { id: string; name: string } | undefined) ?? null };
}

/** Records the fingerprint of the store's refresh token; the unique index refuses a second store with it. */
export function fingerprintStatement(db: D1Database, storeId: string, fingerprint: string): D1PreparedStatement {
  return db.prepare('UPDATE stores SET refresh_token_fingerprint = ? WHERE id = ?').bind(fingerprint, storeId);
}
