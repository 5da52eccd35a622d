/**
 * Amazon's identity of each store kept current: once a day per store, on the store's own phase,
 * the cron sends an `identity` message and the JOBS consumer reads getMarketplaceParticipations
 * again (shared/store-identity.ts decides what changed). Store names change, marketplaces come and
 * go, and `hasSuspendedListings` flips; the extension matches Seller Central pages by Amazon's
 * store name, so a stale one breaks matching.
 *
 * Amazon's usage plan for the call is 0.016 requests a second with a burst of 15, per seller and
 * application (sellers.json; docs/domain/amazon-limits.md): one call a day per store is far inside
 * it, and ordinary polls make none. A refused or failed call is tried again an hour later, never
 * in a loop.
 */
import type { StoreEvent } from '../../shared/alerts/rules.ts';
import type { Failure } from '../../shared/report-job-types.ts';
import { identityUpdate } from '../../shared/store-identity.ts';
import { amazonStoreName, listMarketplaceParticipations, retailMarketplaces } from '../amazon/sellers.ts';
import { insertEventStatement } from '../db/events.ts';
import { touchStoreStatements } from '../db/overview-changes.ts';
import { listStoreMarketplaces, nextIdentitySql } from '../db/stores.ts';
import type { Env } from '../env.ts';
import { redactSecrets } from '../log-redaction.ts';
import { type JobMessage, QUEUE_BATCH } from './messages.ts';
import { type StoreRow, forgetAccessToken, loadStore } from './store-db.ts';

/** What a re-read needs of the pipeline's deps (relay/pipeline/consumer.ts `PipelineDeps` has it). */
export interface IdentityDeps {
  now(): number;
  fetch: typeof fetch;
  accessToken(env: Env, store: StoreRow): Promise<{ token: string } | Failure>;
  fanOut(env: Env, events: StoreEvent[], ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<void>;
}

/** After a failed read (429, 5xx, LWA down): the next try. One an hour is far below the call's refill of about 57 an hour. */
export const IDENTITY_RETRY_MS = 3_600_000;
/** Re-reads one tick starts at most: the cron runs every 5 minutes, so 100 a tick is 28,800 a day. */
export const MAX_IDENTITY_PER_TICK = 100;

/**
 * Picks the stores due a re-read and moves each to its next daily slot in one statement (index
 * stores_identity_due), then one `identity` message each. Like the feedback schedule, a send that
 * fails costs that store one day, never a second call.
 */
export async function scheduleDueIdentity(env: Pick<Env, 'DB' | 'JOBS'>, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `UPDATE stores SET next_identity_at = ${nextIdentitySql('?1')}
      WHERE id IN (SELECT id FROM stores WHERE auth_state = 'ok' AND paused = 0 AND next_identity_at <= ?1 ORDER BY next_identity_at LIMIT ?2)
      RETURNING id, workspace_id`,
  )
    .bind(now, MAX_IDENTITY_PER_TICK)
    .all<{ id: string; workspace_id: string }>();
  const batches: Array<Array<{ body: JobMessage }>> = [];
  for (let i = 0; i < results.length; i += QUEUE_BATCH) {
    batches.push(results.slice(i, i + QUEUE_BATCH).map((s) => ({ body: { kind: 'identity', storeId: s.id, workspaceId: s.workspace_id } })));
  }
  await Promise.all(batches.map((batch) => env.JOBS.sendBatch(batch)));
  return results.length;
}

async function retryLater(db: D1Database, storeId: string, now: number, why: string): Promise<void> {
  console.warn(`relay: store ${storeId}'s Sellers API re-read failed (${redactSecrets(why)}); trying again in an hour`);
  await db.prepare('UPDATE stores SET next_identity_at = ? WHERE id = ?').bind(now + IDENTITY_RETRY_MS, storeId).run();
}

/** The day of a reading, part of its events' keys: a redelivered message the same day repeats none. */
function readingKey(storeId: string, now: number): string {
  return `${storeId}/sellers/${new Date(now).toISOString().slice(0, 10)}`;
}

/**
 * Reads the store's identity again and writes what changed in one batch: the marketplaces (names,
 * flags; new ones watched, gone ones dropped - their history stays), the team's name when it was
 * Amazon's old name, a `suspended_listings` event per flip, and the overview's change stamp. An
 * unchanged answer writes nothing. Returns whether anything changed.
 */
export async function rereadIdentity(env: Env, deps: IdentityDeps, ctx: Pick<ExecutionContext, 'waitUntil'>, storeId: string): Promise<boolean> {
  const store = await loadStore(env.DB, storeId);
  if (!store || store.auth_state !== 'ok' || store.paused === 1) return false;
  const token = await deps.accessToken(env, store);
  // A lost authorization is the account-health poll's to report (it marks the store); here it only waits.
  if (!('token' in token)) {
    await retryLater(env.DB, storeId, deps.now(), 'error' in token ? token.error : token.type);
    return false;
  }
  const listed = await listMarketplaceParticipations(store.region, token.token, deps.fetch).catch((error: unknown) => ({
    ok: false as const,
    status: 0,
    description: error instanceof Error ? error.message : String(error),
  }));
  const now = deps.now();
  if (!listed.ok) {
    // A refused cached access token is dropped, as for report calls: the next try asks LWA again.
    if (listed.status === 401 || listed.status === 403) await forgetAccessToken(env.DB, storeId);
    await retryLater(env.DB, storeId, now, `HTTP ${listed.status} ${listed.description}`);
    return false;
  }
  const ws = store.workspace_id;
  const before = (await listStoreMarketplaces(env.DB, ws, [storeId])).get(storeId) ?? [];
  const update = identityUpdate(before, retailMarketplaces(listed.participations, store.region), readingKey(storeId, now));
  if (!update.changed) return false;

  const db = env.DB;
  const exists = { sql: 'EXISTS (SELECT 1 FROM stores WHERE id = ? AND workspace_id = ?)', binds: [storeId, ws] };
  const oldName = amazonStoreName(before);
  const newName = amazonStoreName(update.marketplaces);
  const statements: D1PreparedStatement[] = [
    ...update.removed.map((id) => db.prepare('DELETE FROM store_marketplaces WHERE store_id = ? AND workspace_id = ? AND marketplace_id = ?').bind(storeId, ws, id)),
    ...update.marketplaces.map((m) =>
      db
        .prepare(
          `INSERT INTO store_marketplaces (store_id, workspace_id, marketplace_id, country_code, store_name, has_suspended_listings)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM stores WHERE id = ?1 AND workspace_id = ?2)
           ON CONFLICT (store_id, marketplace_id) DO UPDATE SET country_code = excluded.country_code, store_name = excluded.store_name,
             has_suspended_listings = excluded.has_suspended_listings`,
        )
        .bind(storeId, ws, m.marketplaceId, m.countryCode, m.storeName, m.hasSuspendedListings === null ? null : Number(m.hasSuspendedListings)),
    ),
  ];
  // A team name that was Amazon's old name follows the rename; a name the team chose stays.
  if (oldName !== null && newName !== null && oldName !== newName) {
    statements.push(db.prepare('UPDATE stores SET name = ?, updated_at = ? WHERE id = ? AND workspace_id = ? AND name = ?').bind(newName, now, storeId, ws, oldName));
  }
  const events: Array<{ event: StoreEvent; statement: number }> = [];
  for (const e of update.events) {
    const event: StoreEvent = { ...e, storeId, workspaceId: ws, createdAt: now };
    events.push({ event, statement: statements.length });
    statements.push(insertEventStatement(db, event, exists));
  }
  statements.push(...touchStoreStatements(db, ws, storeId));
  const results = await db.batch(statements);
  if (update.added.length || update.removed.length) {
    console.log(`relay: store ${storeId}'s marketplaces changed on Amazon: added ${update.added.join(',') || 'none'}, dropped ${update.removed.join(',') || 'none'}`);
  }
  const written = events.filter((e) => (results[e.statement]?.results.length ?? 0) > 0).map((e) => e.event);
  if (written.length > 0) await deps.fanOut(env, written, ctx);
  return true;
}
