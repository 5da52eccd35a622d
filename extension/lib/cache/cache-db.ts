/**
 * The extension's IndexedDB cache: the only module that opens it. The background writes, the popup
 * reads directly (same extension origin) and content scripts read through messages, because a
 * content script's IndexedDB belongs to the page's origin, not ours.
 *
 * Schema changes go in MIGRATIONS, append-only: step N upgrades a version N-1 database to N, so a
 * browser that skipped releases runs every step it missed, in order, in one upgrade transaction.
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, openDB } from 'idb';
import type { AlertView, HistoryResponse, JobView, StoreOverview } from '../../../shared/api/index.ts';
import { storesByUrgency } from '../derive/urgency.ts';

/** Where the background's sync loop stands; the popup and panels show it as online/offline/stale. */
export interface SyncState {
  status: 'never' | 'ok' | 'offline' | 'unauthorized' | 'unpaired' | 'error';
  /** ETag of the cached overview, sent back as If-None-Match. */
  etag: string | null;
  /**
   * The relay's change cursor for the cached overview: the next sync asks `?since=` it and merges
   * only what changed. Absent in states saved before delta sync: then a full sync runs first.
   */
  cursor?: string | null;
  lastAttemptAt: number | null;
  /** The last time the relay answered (200 or 304): "updated N minutes ago". */
  lastSuccessAt: number | null;
  /** Consecutive failures; drives the backoff. */
  failures: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** Newest alert already announced: alerts at or before it never raise a notification again. */
  alertsSeenUpTo: number | null;
}

export const INITIAL_SYNC: SyncState = {
  status: 'never',
  etag: null,
  cursor: null,
  lastAttemptAt: null,
  lastSuccessAt: null,
  failures: 0,
  nextAttemptAt: null,
  lastError: null,
  alertsSeenUpTo: null,
};

export type HistoryPoint = HistoryResponse['points'][number];

export interface HistorySeries {
  storeId: string;
  marketplaceId: string;
  metric: string;
  points: HistoryPoint[];
  fetchedAt: number;
  /** The marketplace's `fetchedAt` (Amazon's data) when this series was read: newer data, new read. */
  dataAt?: number | null;
}

/** A refresh in flight or just finished, per store; `storeId` '*' is "refresh all". */
export interface JobProgress {
  storeId: string;
  jobId: string | null;
  state: JobView['state'] | 'starting';
  error: string | null;
  updatedAt: number;
  /** The relay answered with a job it ran moments ago instead of starting one (its 2-minute cooldown). */
  cooldown?: boolean;
  /** When the relay started the job (its clock): "last refreshed at 10:42". */
  startedAt?: number | null;
}

export interface CacheSchema extends DBSchema {
  /** `rank`: the store's place worst first (storesByUrgency), so the popup can read its first screen alone. */
  stores: { key: string; value: StoreOverview & { position: number; rank?: number }; indexes: { byRank: number } };
  sync: { key: 'state'; value: SyncState };
  alerts: { key: string; value: AlertView; indexes: { byCreatedAt: number } };
  history: { key: [string, string, string]; value: HistorySeries };
  jobs: { key: string; value: JobProgress };
}

type UpgradeTx = IDBPTransaction<CacheSchema, StoreNames<CacheSchema>[], 'versionchange'>;
type Migration = (db: IDBPDatabase<CacheSchema>, tx: UpgradeTx) => void;

const MIGRATIONS: readonly Migration[] = [
  // 1: what the popup needs for its first paint.
  (db) => {
    db.createObjectStore('stores', { keyPath: 'id' });
    db.createObjectStore('sync');
    db.createObjectStore('alerts', { keyPath: 'id' }).createIndex('byCreatedAt', 'createdAt');
  },
  // 2: sparkline history and refresh progress.
  (db) => {
    db.createObjectStore('history', { keyPath: ['storeId', 'marketplaceId', 'metric'] });
    db.createObjectStore('jobs', { keyPath: 'storeId' });
  },
  // 3: the popup's first screen read alone, worst first, however many stores there are.
  (_db, tx) => {
    tx.objectStore('stores').createIndex('byRank', 'rank');
  },
];

/** Each store's place worst first, as every surface orders them. */
function ranks(stores: readonly StoreOverview[]): Map<string, number> {
  return new Map(storesByUrgency(stores).map((s, i) => [s.id, i]));
}

export const CACHE_DB_NAME = 'storewatch-cache';
export const CACHE_DB_VERSION = MIGRATIONS.length;
/** The alert feed keeps this many; older ones live on in the relay. */
export const ALERTS_KEPT = 200;

export type CacheDb = IDBPDatabase<CacheSchema>;

/** Opens (and upgrades) the cache. `version` below the latest exists for the upgrade tests. */
export function openCacheDb(name = CACHE_DB_NAME, version = CACHE_DB_VERSION): Promise<CacheDb> {
  return openDB<CacheSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let step = oldVersion; step < (newVersion ?? version); step++) MIGRATIONS[step]!(db, tx);
    },
    // Another context (an old popup, a stale service worker) must let go so the upgrade can run.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** Everything a surface renders from, read in one transaction so it is consistent. */
export interface CacheSnapshot {
  stores: StoreOverview[];
  alerts: AlertView[];
  sync: SyncState;
  jobs: JobProgress[];
}

/**
 * What the surfaces read (the popup opens the cache itself): kept apart from the writes, which only
 * the background makes, so the popup's bundle carries no code it never runs.
 */
export function createCacheReader(database: CacheDb) {
  return {
    /**
     * The first `count` stores worst first, with everything else a surface draws: the popup's
     * first paint reads a screenful, not 500 stores. `complete`: that is every store.
     */
    async firstScreen(count: number): Promise<CacheSnapshot & { complete: boolean }> {
      const tx = database.transaction(['stores', 'alerts', 'sync', 'jobs'], 'readonly');
      const [stores, total, alerts, sync, jobs] = await Promise.all([
        tx.objectStore('stores').index('byRank').getAll(null, count),
        tx.objectStore('stores').count(),
        tx.objectStore('alerts').index('byCreatedAt').getAll(),
        tx.objectStore('sync').get('state'),
        tx.objectStore('jobs').getAll(),
      ]);
      await tx.done;
      return {
        stores: stores.map(({ position: _position, rank: _rank, ...store }) => store),
        alerts: alerts.sort((a, b) => b.createdAt - a.createdAt),
        sync: sync ?? INITIAL_SYNC,
        jobs,
        complete: stores.length >= total,
      };
    },

    async snapshot(): Promise<CacheSnapshot> {
      const tx = database.transaction(['stores', 'alerts', 'sync', 'jobs'], 'readonly');
      const [stores, alerts, sync, jobs] = await Promise.all([
        tx.objectStore('stores').getAll(),
        tx.objectStore('alerts').index('byCreatedAt').getAll(),
        tx.objectStore('sync').get('state'),
        tx.objectStore('jobs').getAll(),
      ]);
      await tx.done;
      return {
        stores: stores.sort((a, b) => a.position - b.position).map(({ position: _position, rank: _rank, ...store }) => store),
        alerts: alerts.sort((a, b) => b.createdAt - a.createdAt),
        sync: sync ?? INITIAL_SYNC,
        jobs,
      };
    },

    async syncState(): Promise<SyncState> {
      return (await database.get('sync', 'state')) ?? INITIAL_SYNC;
    },

    async history(storeId: string, marketplaceId: string, metric: string): Promise<HistorySeries | null> {
      return (await database.get('history', [storeId, marketplaceId, metric])) ?? null;
    },

    async historyOf(storeId: string, marketplaceId: string): Promise<HistorySeries[]> {
      const all = await database.getAll('history', IDBKeyRange.bound([storeId, marketplaceId, ''], [storeId, marketplaceId, '\uffff']));
      return all;
    },
  };
}

export type CacheReader = ReturnType<typeof createCacheReader>;

/** The background's cache: every read, and the writes of sync, refresh and history. */
export function createCache(database: CacheDb) {
  return {
    ...createCacheReader(database),

    async saveSyncState(state: SyncState): Promise<void> {
      await database.put('sync', state, 'state');
    },

    /** Replaces the overview: stores the relay no longer lists are gone here too. */
    async replaceStores(stores: readonly StoreOverview[]): Promise<void> {
      const tx = database.transaction('stores', 'readwrite');
      await tx.store.clear();
      const rank = ranks(stores);
      await Promise.all(stores.map((store, position) => tx.store.put({ ...store, position, rank: rank.get(store.id) ?? position })));
      await tx.done;
    },

    /**
     * Merges a delta: changed stores replace their cached copy (keeping its place; new ones go
     * last), removed ones go. A marketplace whose reading did not change keeps the full metrics its
     * opened detail brought in (mergeMarketplaceDetail), so a delta never shrinks an open detail.
     */
    async mergeStores(changed: readonly StoreOverview[], removed: readonly string[]): Promise<void> {
      const tx = database.transaction('stores', 'readwrite');
      const existing = new Map((await tx.store.getAll()).map((s) => [s.id, s]));
      let next = Math.max(-1, ...[...existing.values()].map((s) => s.position)) + 1;
      const writes: Array<Promise<unknown>> = removed.map((id) => tx.store.delete(id));
      for (const id of removed) existing.delete(id);
      for (const store of changed) {
        const old = existing.get(store.id);
        const marketplaces = store.marketplaces.map((m) => {
          const before = old?.marketplaces.find((o) => o.marketplaceId === m.marketplaceId);
          return before && before.fetchedAt === m.fetchedAt && Object.keys(before.metrics).length > Object.keys(m.metrics).length ? { ...m, metrics: before.metrics } : m;
        });
        existing.set(store.id, { ...store, marketplaces, position: old?.position ?? next++ });
      }
      // A change anywhere can move any store's place worst first: every rank is written again.
      const all = [...existing.values()];
      const rank = ranks(all);
      for (const store of all) writes.push(tx.store.put({ ...store, rank: rank.get(store.id) ?? store.position }));
      await Promise.all(writes);
      await tx.done;
    },

    /** Puts one marketplace in full (its opened detail, every metric) into the cached store. */
    async mergeMarketplaceDetail(storeId: string, marketplace: StoreOverview['marketplaces'][number]): Promise<boolean> {
      const tx = database.transaction('stores', 'readwrite');
      const store = await tx.store.get(storeId);
      const at = store?.marketplaces.findIndex((m) => m.marketplaceId === marketplace.marketplaceId) ?? -1;
      if (!store || at < 0) {
        await tx.done;
        return false;
      }
      const marketplaces = [...store.marketplaces];
      marketplaces[at] = { ...marketplaces[at]!, ...marketplace };
      await tx.store.put({ ...store, marketplaces });
      await tx.done;
      return true;
    },

    /** Merges alerts by id (newer copies win) and trims the oldest beyond ALERTS_KEPT. */
    async mergeAlerts(alerts: readonly AlertView[]): Promise<void> {
      const tx = database.transaction('alerts', 'readwrite');
      await Promise.all(alerts.map((a) => tx.store.put(a)));
      const count = await tx.store.count();
      if (count > ALERTS_KEPT) {
        let cursor = await tx.store.index('byCreatedAt').openCursor();
        for (let extra = count - ALERTS_KEPT; cursor && extra > 0; extra--) {
          await cursor.delete();
          cursor = await cursor.continue();
        }
      }
      await tx.done;
    },

    async alertIds(): Promise<Set<string>> {
      return new Set(await database.getAllKeys('alerts'));
    },

    async saveHistory(series: HistorySeries): Promise<void> {
      await database.put('history', series);
    },

    async saveJob(job: JobProgress): Promise<void> {
      await database.put('jobs', job);
    },

    async clearJob(storeId: string): Promise<void> {
      await database.delete('jobs', storeId);
    },

    /** Unpairing: nothing of the old workspace may show under a new one. */
    async clearAll(): Promise<void> {
      const tx = database.transaction(['stores', 'alerts', 'sync', 'history', 'jobs'], 'readwrite');
      await Promise.all([
        tx.objectStore('stores').clear(),
        tx.objectStore('alerts').clear(),
        tx.objectStore('sync').clear(),
        tx.objectStore('history').clear(),
        tx.objectStore('jobs').clear(),
      ]);
      await tx.done;
    },
  };
}

export type Cache = ReturnType<typeof createCache>;
