// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHistory } from '../../extension/entrypoints/background/history.ts';
import { createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW, US, market, store } from './helpers/overview-fixtures.ts';

/** A compact overview entry: the one metric needing attention, without Amazon's status or counts. */
function compactStore() {
  const { amazonStatus: _status, counts: _counts, ...odr } = market(US, 'US', 'warn').metrics.odrMfn!;
  return store('s-1', 'Alpha Home', [market(US, 'US', 'warn', { metrics: { odrMfn: odr } })]);
}

const detail = {
  storeId: 's-1',
  marketplace: {
    marketplaceId: US,
    level: 'warn',
    // The relay's detail carries the rating as the overview does (relay/routes/overview.ts).
    ahr: { status: 'GREAT', score: 1000 },
    fetchedAt: NOW - 3_600_000,
    metrics: {
      odrMfn: { value: 0.008, level: 'warn', headroom: 1, target: { value: 0.01, condition: 'LESS_THAN' }, window: { from: '2026-09-21', to: '2026-11-19' }, amazonStatus: 'GOOD', counts: { total: 500, defects: 4 } },
      lateShipmentRate: { value: 0.01, level: 'ok', headroom: 15, target: { value: 0.04, condition: 'LESS_THAN' }, window: null, amazonStatus: 'GOOD', counts: { total: 500, defects: 5 } },
    },
  },
  accountStatusRaw: 'NORMAL',
  warningStates: [],
  takenAt: NOW - 3_600_000,
  report: { marketplaceId: US },
};

describe('opening a marketplace', () => {
  it('brings every metric of it into the cache from the detail route, once per reading', async () => {
    fakeBrowser.reset();
    const credentials = credentialStore(fakeBrowser.storage.local, indexedDbVault('detail-open-vault'));
    await credentials.save({ relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW }, 'tok-1');
    const relay = fakeRelay({
      [`GET /v1/stores/s-1/marketplaces/${US}`]: () => json(detail),
      'GET /v1/stores/s-1/history': () => json({ points: [] }),
    });
    const cache = createCache(await openCacheDb('detail-open'));
    await cache.replaceStores([compactStore()]);
    let changes = 0;
    const history = createHistory({
      cache,
      credentials: credentials.read,
      relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
      now: () => NOW,
      changed: async () => {
        changes++;
      },
    });
    await (await history.forMarketplace('s-1', US)).loading;
    const metrics = (await cache.snapshot()).stores[0]!.marketplaces[0]!.metrics;
    expect(Object.keys(metrics).sort()).toEqual(['lateShipmentRate', 'odrMfn']);
    expect(metrics.odrMfn).toMatchObject({ amazonStatus: 'GOOD', counts: { total: 500, defects: 4 } });
    expect(changes).toBeGreaterThan(0);
    // Sparklines for every metric, now that all are known, and for the rating's score beside it.
    expect(relay.calls.filter((c) => c.path.startsWith('/v1/stores/s-1/history')).map((c) => new URL(`https://x${c.path}`).searchParams.get('metric')).sort()).toEqual(['ahr', 'lateShipmentRate', 'odrMfn']);
    // Opened again with the same reading cached: no second detail call.
    await (await history.forMarketplace('s-1', US)).loading;
    expect(relay.calls.filter((c) => c.path === `/v1/stores/s-1/marketplaces/${US}`)).toHaveLength(1);
  });
});
