/**
 * Where the popup and the panels get their data - the adapter their model is created over.
 * The popup reads IndexedDB itself (same extension origin: first paint without waking the
 * service worker); a content script runs in the page's origin, so it asks the background.
 * Both hear about changes through `storage.onChanged` on the key the background bumps.
 */
import type { Browser } from 'wxt/browser';
import type { AlertView, StoreOverview } from '../../../shared/api/index.ts';
import type { CacheReader, HistorySeries, JobProgress, SyncState } from '../cache/cache-db.ts';
import { type ActionResult, type MessageSender, ask } from '../platform/protocol.ts';
import { KEYS, type StorageArea, readPairing } from '../platform/settings.ts';

export interface HealthData {
  stores: StoreOverview[];
  alerts: AlertView[];
  sync: SyncState;
  jobs: JobProgress[];
  paired: boolean;
}

export interface HealthSource {
  load(): Promise<HealthData>;
  /** The first `count` stores worst first and the rest of the data, when the source can read that alone. */
  loadFirstScreen?(count: number): Promise<HealthData & { complete: boolean }>;
  history(storeId: string, marketplaceId: string): Promise<HistorySeries[]>;
  /** Calls back when the cache changed; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
  refresh(storeId: string | null): Promise<ActionResult>;
  ack(alertId: string): Promise<ActionResult>;
  /** Asks the background for a sync (it skips one if it ran a moment ago). */
  sync(): Promise<void>;
}

type Changes = Pick<typeof Browser.storage.onChanged, 'addListener' | 'removeListener'>;

function onCacheChange(changes: Changes, keys: readonly string[], onChange: () => void): () => void {
  const listener = (c: Record<string, unknown>, area: string) => {
    if (area === 'local' && keys.some((k) => k in c)) onChange();
  };
  changes.addListener(listener);
  return () => changes.removeListener(listener);
}

function actions(runtime: MessageSender): Pick<HealthSource, 'refresh' | 'ack' | 'sync'> {
  return {
    refresh: (storeId) => ask(runtime, { type: 'refresh', storeId }),
    ack: (alertId) => ask(runtime, { type: 'ack', alertId }),
    sync: async () => {
      await ask(runtime, { type: 'sync' });
    },
  };
}

/** For extension pages (the popup): IndexedDB directly, actions through the background. */
export function directSource(cache: CacheReader, local: StorageArea, changes: Changes, runtime: MessageSender): HealthSource {
  return {
    async load() {
      const [snapshot, pairing] = await Promise.all([cache.snapshot(), readPairing(local)]);
      return { ...snapshot, paired: pairing !== null };
    },
    async loadFirstScreen(count) {
      const [head, pairing] = await Promise.all([cache.firstScreen(count), readPairing(local)]);
      return { ...head, paired: pairing !== null };
    },
    async history(storeId, marketplaceId) {
      // Ask the background to bring stale series up to date; it announces the write as a change.
      void ask(runtime, { type: 'history', storeId, marketplaceId }).catch(() => undefined);
      return cache.historyOf(storeId, marketplaceId);
    },
    subscribe: (onChange) => onCacheChange(changes, [KEYS.cacheVersion, KEYS.pairing], onChange),
    ...actions(runtime),
  };
}

/** For content scripts: everything through the background. */
export function messageSource(runtime: MessageSender, changes: Changes): HealthSource {
  return {
    load: () => ask(runtime, { type: 'snapshot' }),
    history: (storeId, marketplaceId) => ask(runtime, { type: 'history', storeId, marketplaceId }),
    subscribe: (onChange) => onCacheChange(changes, [KEYS.cacheVersion, KEYS.pairing], onChange),
    ...actions(runtime),
  };
}
