// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTS_KEPT, CACHE_DB_VERSION, INITIAL_SYNC, createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { NOW, alert, threeStores } from './helpers/overview-fixtures.ts';

let counter = 0;
const opened: { close(): void }[] = [];
/** A fresh database name per test: fake-indexeddb is one global for the whole file. */
function dbName(): string {
  return `cache-test-${++counter}`;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('cache database', () => {
  it('creates every store of the latest version on a fresh profile', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    expect(db.version).toBe(CACHE_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['alerts', 'history', 'jobs', 'stores', 'sync']);
  });

  it('keeps the cached overview when a version 1 database is upgraded to the latest', async () => {
    const name = dbName();
    const v1 = await openCacheDb(name, 1);
    await createCache(v1).replaceStores(threeStores());
    expect([...v1.objectStoreNames]).not.toContain('history');
    v1.close();

    const latest = await openCacheDb(name);
    opened.push(latest);
    const snapshot = await createCache(latest).snapshot();
    expect(snapshot.stores.map((s) => s.id)).toEqual(['s-ok', 's-breach', 's-warn']);
    expect([...latest.objectStoreNames]).toContain('history');
  });

  it('answers an empty snapshot with the initial sync state before the first sync', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    expect(await createCache(db).snapshot()).toEqual({ stores: [], alerts: [], sync: INITIAL_SYNC, jobs: [] });
  });

  it('drops stores the relay no longer lists when the overview is replaced', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    const cache = createCache(db);
    await cache.replaceStores(threeStores());
    await cache.replaceStores(threeStores().slice(0, 1));
    expect((await cache.snapshot()).stores.map((s) => s.id)).toEqual(['s-ok']);
  });

  it('lists alerts newest first and keeps only the newest ALERTS_KEPT', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    const cache = createCache(db);
    const many = Array.from({ length: ALERTS_KEPT + 5 }, (_, i) => alert(`a${i}`, NOW + i));
    await cache.mergeAlerts(many);
    const { alerts } = await cache.snapshot();
    expect(alerts).toHaveLength(ALERTS_KEPT);
    expect(alerts[0]?.id).toBe(`a${ALERTS_KEPT + 4}`);
    expect(alerts.some((a) => a.id === 'a0')).toBe(false);
  });

  it('replaces an alert by id, so an acknowledgement overwrites the open copy', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    const cache = createCache(db);
    await cache.mergeAlerts([alert('a1', NOW)]);
    await cache.mergeAlerts([alert('a1', NOW, { acknowledgedAt: NOW + 5 })]);
    const { alerts } = await cache.snapshot();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.acknowledgedAt).toBe(NOW + 5);
  });

  it('keeps sparkline history per store, marketplace and metric', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    const cache = createCache(db);
    const points = [{ takenAt: NOW, value: 0.004, level: 'ok' as const }];
    await cache.saveHistory({ storeId: 's1', marketplaceId: 'M1', metric: 'odrMfn', points, fetchedAt: NOW });
    await cache.saveHistory({ storeId: 's1', marketplaceId: 'M1', metric: 'lateShipmentRate', points, fetchedAt: NOW });
    await cache.saveHistory({ storeId: 's1', marketplaceId: 'M2', metric: 'odrMfn', points, fetchedAt: NOW });
    expect((await cache.historyOf('s1', 'M1')).map((h) => h.metric).sort()).toEqual(['lateShipmentRate', 'odrMfn']);
    expect(await cache.history('s1', 'M2', 'odrMfn')).toMatchObject({ points });
  });

  it('forgets everything of the old workspace on unpairing', async () => {
    const db = await openCacheDb(dbName());
    opened.push(db);
    const cache = createCache(db);
    await cache.replaceStores(threeStores());
    await cache.mergeAlerts([alert('a1', NOW)]);
    await cache.saveSyncState({ ...INITIAL_SYNC, status: 'ok', etag: '"x"' });
    await cache.clearAll();
    expect(await cache.snapshot()).toEqual({ stores: [], alerts: [], sync: INITIAL_SYNC, jobs: [] });
  });

  it('lets an older open connection go so a newer version can upgrade', async () => {
    const name = dbName();
    const old = await openCacheDb(name, 1);
    // A raw open at the latest version must not block on the old connection.
    const next = await openDB(name, CACHE_DB_VERSION);
    opened.push(next);
    expect(next.version).toBe(CACHE_DB_VERSION);
    old.close();
  });
});
