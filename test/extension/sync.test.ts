// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSyncer } from '../../extension/entrypoints/background/sync.ts';
import { type SyncState, createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { DEFAULT_SYNC_POLICY } from '../../extension/lib/derive/sync-policy.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW, alert, threeStores } from './helpers/overview-fixtures.ts';

let n = 0;

async function world(options: { paired?: boolean } = {}) {
  fakeBrowser.reset();
  const credentials = credentialStore(fakeBrowser.storage.local, indexedDbVault(`sync-vault-${++n}`));
  if (options.paired ?? true) {
    await credentials.save(
      { relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW },
      'tok-1',
    );
  }
  let overviewStatus = 200;
  const relay = fakeRelay({
    'GET /v1/overview': (r) =>
      overviewStatus !== 200
        ? json({ error: { code: 'internal', message: 'boom' } }, overviewStatus)
        : r.headers['if-none-match'] === '"v1"'
          ? new Response(null, { status: 304 })
          : json({ stores: threeStores() }, 200, { etag: '"v1"' }),
    'GET /v1/alerts': () => json({ alerts: [alert('a1', NOW - 60_000)], cursor: null }),
  });
  const cache = createCache(await openCacheDb(`sync-test-${++n}`));
  let clock = NOW;
  const synced: SyncState[] = [];
  const syncer = createSyncer({
    cache,
    credentials: credentials.read,
    relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
    now: () => clock,
    onSynced: async (state) => {
      synced.push(state);
    },
  });
  return {
    relay,
    cache,
    syncer,
    synced,
    advance(ms: number) {
      clock += ms;
    },
    failOverviewWith(status: number) {
      overviewStatus = status;
    },
  };
}

describe('background sync', () => {
  beforeEach(() => fakeBrowser.reset());

  it('stores the overview, its ETag and the alert feed on the first sync, with the bearer token', async () => {
    const w = await world();
    const state = await w.syncer.syncNow();
    expect(state).toMatchObject({ status: 'ok', etag: '"v1"', lastSuccessAt: NOW, failures: 0, nextAttemptAt: NOW + DEFAULT_SYNC_POLICY.intervalMs });
    const snapshot = await w.cache.snapshot();
    expect(snapshot.stores).toHaveLength(3);
    expect(snapshot.alerts.map((a) => a.id)).toEqual(['a1']);
    expect(w.relay.calls[0]).toMatchObject({ method: 'GET', path: '/v1/overview' });
    expect(w.relay.calls[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('sends If-None-Match and keeps the cached overview when the relay answers 304', async () => {
    const w = await world();
    await w.syncer.syncNow();
    w.advance(60_000);
    const state = await w.syncer.syncNow();
    const second = w.relay.calls.filter((c) => c.path === '/v1/overview')[1];
    expect(second?.headers['if-none-match']).toBe('"v1"');
    expect(state).toMatchObject({ status: 'ok', etag: '"v1"', lastSuccessAt: NOW + 60_000 });
    expect((await w.cache.snapshot()).stores).toHaveLength(3);
  });

  it('keeps the cached data, says offline and backs off exponentially while the relay is unreachable', async () => {
    const w = await world();
    await w.syncer.syncNow();
    w.relay.setDown(true);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      w.advance(1_000);
      const state = await w.syncer.syncNow();
      expect(state.status).toBe('offline');
      delays.push((state.nextAttemptAt ?? 0) - (state.lastAttemptAt ?? 0));
    }
    const base = DEFAULT_SYNC_POLICY.backoffBaseMs;
    expect(delays).toEqual([base, base * 2, base * 4, base * 8]);
    const snapshot = await w.cache.snapshot();
    expect(snapshot.stores).toHaveLength(3);
    expect(snapshot.sync).toMatchObject({ status: 'offline', failures: 4, lastSuccessAt: NOW });
    // "Failed to fetch" is the browser's English: kept as a code the surfaces word.
    expect(snapshot.sync.lastError).toBe('offline');
  });

  it('caps the backoff at the policy maximum however long the relay stays down', async () => {
    const w = await world();
    w.relay.setDown(true);
    let state: SyncState | null = null;
    for (let i = 0; i < 20; i++) state = await w.syncer.syncNow();
    expect((state?.nextAttemptAt ?? 0) - (state?.lastAttemptAt ?? 0)).toBe(DEFAULT_SYNC_POLICY.backoffMaxMs);
  });

  it('returns to the normal cadence and clears the failure count once the relay answers again', async () => {
    const w = await world();
    w.relay.setDown(true);
    await w.syncer.syncNow();
    await w.syncer.syncNow();
    w.relay.setDown(false);
    const state = await w.syncer.syncNow();
    expect(state).toMatchObject({ status: 'ok', failures: 0, lastError: null });
  });

  it('records a relay error by its code and backs off as for an outage', async () => {
    const w = await world();
    w.failOverviewWith(500);
    const state = await w.syncer.syncNow();
    expect(state.status).toBe('error');
    expect(state.lastError).toBe('internal');
    expect(state.nextAttemptAt).toBe(NOW + DEFAULT_SYNC_POLICY.backoffBaseMs);
  });

  it('stops polling after a 401 until the person pairs again', async () => {
    const w = await world();
    w.failOverviewWith(401);
    const state = await w.syncer.syncNow();
    expect(state).toMatchObject({ status: 'unauthorized', nextAttemptAt: null, etag: null });
  });

  it('does not call the relay at all when the browser is not paired', async () => {
    const w = await world({ paired: false });
    const state = await w.syncer.syncNow();
    expect(state.status).toBe('unpaired');
    expect(w.relay.calls).toHaveLength(0);
  });

  it('joins a sync already under way instead of starting a second one', async () => {
    const w = await world();
    const [a, b] = await Promise.all([w.syncer.syncNow(), w.syncer.syncNow()]);
    expect(a).toBe(b);
    expect(w.relay.calls.filter((c) => c.path === '/v1/overview')).toHaveLength(1);
  });
});
