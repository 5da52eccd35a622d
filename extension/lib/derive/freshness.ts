/**
 * How fresh the numbers are. Two different clocks: when the relay last answered us (are we online?)
 * and when Amazon's report behind a marketplace was downloaded (is the data itself old?).
 */
import type { SyncState } from '../cache/cache-db.ts';

/**
 * Amazon refreshes account health a few times a day (docs/domain/reports.md); older than this is
 * stale.
 */
export const DATA_STALE_AFTER_MS = 24 * 3_600_000;
/** The background syncs every few minutes; missing several in a row means we are not current. */
export const SYNC_STALE_AFTER_MS = 30 * 60_000;

export function isDataStale(fetchedAt: number | null, now: number, maxAge = DATA_STALE_AFTER_MS): boolean {
  return fetchedAt === null || now - fetchedAt > maxAge;
}

export type Connection =
  | { kind: 'online' }
  /** The relay did not answer; `since` is the last time it did. */
  | { kind: 'offline'; since: number | null; retryAt: number | null }
  | { kind: 'unauthorized' }
  | { kind: 'error'; message: string | null }
  /** Never synced: the first sync is under way. */
  | { kind: 'connecting' };

export function connectionOf(sync: SyncState, now: number): Connection {
  switch (sync.status) {
    case 'never':
    case 'unpaired':
      return { kind: 'connecting' };
    case 'offline':
      return { kind: 'offline', since: sync.lastSuccessAt, retryAt: sync.nextAttemptAt };
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'error':
      return { kind: 'error', message: sync.lastError };
    case 'ok':
      // A service worker that has not run for a long time still says "ok": the clock decides.
      return sync.lastSuccessAt !== null && now - sync.lastSuccessAt > SYNC_STALE_AFTER_MS
        ? { kind: 'offline', since: sync.lastSuccessAt, retryAt: sync.nextAttemptAt }
        : { kind: 'online' };
  }
}
