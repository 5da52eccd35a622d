/**
 * One sync with the relay: the overview (a 304 when nothing changed, thanks to the ETag) and the
 * newest page of the alert feed. Load -> decide (lib/derive/sync-policy.ts) -> act -> save; one
 * sync at a time, whoever asks (alarm, popup opening, a finished refresh).
 */
import type { AlertView } from '../../../shared/api/index.ts';
import type { Cache, SyncState } from '../../lib/cache/cache-db.ts';
import { alertsToAnnounce } from '../../lib/derive/alert-feed.ts';
import { type SyncOutcome, type SyncPolicy, afterSync } from '../../lib/derive/sync-policy.ts';
import { failureCode } from '../../lib/i18n/failure-text.ts';
import type { Credentials } from '../../lib/platform/credentials.ts';
import type { RelayClient, RelayFailure } from '../../lib/relay/relay-client.ts';

export interface SyncDeps {
  cache: Cache;
  /** The pairing and its token (lib/platform/credentials.ts); null when not paired. */
  credentials: () => Promise<Credentials | null>;
  relayFor: (baseUrl: string, token: string) => RelayClient;
  now: () => number;
  policy?: SyncPolicy;
  /** After every attempt, whatever its outcome: badge, notifications, telling the surfaces. */
  onSynced: (state: SyncState, announce: AlertView[]) => Promise<void>;
}

/** Pages of the alert feed read per sync at most; older alerts are in the relay, not lost. */
const ALERT_PAGES = 3;

/** The outcome keeps a failure code (lib/i18n/failure-text.ts): the surfaces word it, never print it. */
export function outcomeOf(failure: RelayFailure): SyncOutcome {
  const message = failureCode(failure);
  switch (failure.kind) {
    case 'offline':
      return { kind: 'offline', message };
    case 'unauthorized':
      return { kind: 'unauthorized', message };
    case 'http':
    case 'invalid':
      return { kind: 'error', message };
  }
}

export function createSyncer(deps: SyncDeps) {
  let running: Promise<SyncState> | null = null;

  async function fetchAlerts(relay: RelayClient, known: ReadonlySet<string>): Promise<AlertView[] | null> {
    const all: AlertView[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < ALERT_PAGES; page++) {
      const r = await relay.alerts(cursor);
      if (!r.ok) return page === 0 ? null : all;
      all.push(...r.value.alerts);
      cursor = r.value.cursor;
      // Stop at the first page that reaches alerts we already have.
      if (!cursor || r.value.alerts.some((a) => known.has(a.id))) break;
    }
    return all;
  }

  async function run(): Promise<SyncState> {
    const before = await deps.cache.syncState();
    const now = deps.now();
    const credentials = await deps.credentials();
    if (!credentials) {
      const state = afterSync(before, { kind: 'unpaired' }, now, deps.policy);
      await deps.cache.saveSyncState(state);
      await deps.onSynced(state, []);
      return state;
    }
    const relay = deps.relayFor(credentials.pairing.relayUrl, credentials.token);
    const overview = await relay.overview(before.etag);
    if (!overview.ok) {
      const state = afterSync(before, outcomeOf(overview.failure), deps.now(), deps.policy);
      await deps.cache.saveSyncState(state);
      await deps.onSynced(state, []);
      return state;
    }
    if (overview.value.changed) await deps.cache.replaceStores(overview.value.overview.stores);

    const known = await deps.cache.alertIds();
    const alerts = await fetchAlerts(relay, known);
    let announce: AlertView[] = [];
    let seenUpTo = before.alertsSeenUpTo;
    if (alerts) {
      const decided = alertsToAnnounce(alerts, known, before.alertsSeenUpTo);
      announce = decided.announce;
      seenUpTo = decided.seenUpTo;
      await deps.cache.mergeAlerts(alerts);
    }
    const outcome: SyncOutcome = overview.value.changed ? { kind: 'ok', etag: overview.value.etag } : { kind: 'ok' };
    const state = { ...afterSync(before, outcome, deps.now(), deps.policy), alertsSeenUpTo: seenUpTo };
    await deps.cache.saveSyncState(state);
    await deps.onSynced(state, announce);
    return state;
  }

  return {
    /** Syncs now, or joins the sync already under way. */
    syncNow(): Promise<SyncState> {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

export type Syncer = ReturnType<typeof createSyncer>;
