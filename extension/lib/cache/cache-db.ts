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

/** Where the background's sync loop stands; the popup and panels show it as online/offline/stale. */
export interface SyncState {
  status: 'never' | 'ok' | 'offline' | 'unauthorized' | 'unpaired' | 'error';
  /** ETag of the cached overview, sent back as If-None-Match. */
  etag: string | null;
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
  stores: { key: string; value: StoreOverview & { position: number } };
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
];

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

export function createCache(database: CacheDb) {
  return {
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
        stores: stores.sort((a, b) => a.position - b.position).map(({ position: _position, ...store }) => store),
        alerts: alerts.sort((a, b) => b.createdAt - a.createdAt),
        sync: sync ?? INITIAL_SYNC,
        jobs,
      };
    },

    async syncState(): Promise<SyncState> {
      return (await database.get('sync', 'state')) ?? INITIAL_SYNC;
    },

    async saveSyncState(state: SyncState): Promise<void> {
      await database.put('sync', state, 'state');
    },

    /** Replaces the overview: stores the relay no longer lists are gone here too. */
    async replaceStores(stores: readonly StoreOverview[]): Promise<void> {
      const tx = database.transaction('stores', 'readwrite');
      await tx.store.clear();
      await Promise.all(stores.map((store, position) => tx.store.put({ ...store, position })));
      await tx.done;
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

    async history(storeId: string, marketplaceId: string, metric: string): Promise<HistorySeries | null> {
      return (await database.get('history', [storeId, marketplaceId, metric])) ?? null;
    },

    async historyOf(storeId: string, marketplaceId: string): Promise<HistorySeries[]> {
      const all = await database.getAll('history', IDBKeyRange.bound([storeId, marketplaceId, ''], [storeId, marketplaceId, '\uffff']));
      return all;
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
