// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { StoreOverview } from '../../shared/api/index.ts';
import { createSyncer } from '../../extension/entrypoints/background/sync.ts';
import { createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { type Recorded, fakeRelay, json } from './helpers/fake-relay.ts';
import { DE, NOW, US, market, metric, store, threeStores } from './helpers/overview-fixtures.ts';

let n = 0;
const OWN = '0b6a3f1e-7d55-4c1b-9a36-2f1d8e5c4b21';

/**
 * A relay that answers like the real one: in full with a cursor, `?since=` with what changed after
 * it (the test says what), `?store=` with that store alone.
 */
async function world(options: { profileStore?: string | null } = {}) {
  fakeBrowser.reset();
  const credentials = credentialStore(fakeBrowser.storage.local, indexedDbVault(`cursor-vault-${++n}`));
  await credentials.save({ relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW }, 'tok-1');
  let stores: StoreOverview[] = [...threeStores(), store(OWN, 'Own Store', [market(US, 'US', 'warn')])];
  let delta: { stores: StoreOverview[]; removed: string[] } = { stores: [], removed: [] };
  let seq = 7;
  let pending = false;
  const cursorAt = () => `2.${seq}`;
  const relay = fakeRelay({
    'GET /v1/overview': (r: Recorded) => {
      const query = new URL(`https://relay.test${r.path}`).searchParams;
      const only = query.get('store');
      if (only) return json({ full: false, stores: stores.filter((s) => s.id === only), removed: [], cursor: null });
      const since = query.get('since');
      if (since) {
        if (since !== cursorAt() || !pending) return json({ full: false, stores: [], removed: [], cursor: cursorAt() });
        seq++;
        pending = false;
        return json({ full: false, ...delta, cursor: cursorAt() });
      }
      return json({ full: true, stores, removed: [], cursor: cursorAt() }, 200, { etag: '"full"' });
    },
    'GET /v1/alerts': () => json({ alerts: [], cursor: null }),
  });
  const cache = createCache(await openCacheDb(`sync-cursor-${++n}`));
  const order: string[] = [];
  const syncer = createSyncer({
    cache,
    credentials: credentials.read,
    relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
    now: () => NOW,
    onSynced: async () => {
      order.push(`synced with ${(await cache.snapshot()).stores.length} stores`);
    },
    profileStoreId: async () => options.profileStore ?? null,
    onOwnStore: async () => {
      order.push(`own store first: ${(await cache.snapshot()).stores.map((s) => s.name).join(', ')}`);
    },
  });
  const overviewCalls = () => relay.calls.filter((c) => c.path.startsWith('/v1/overview')).map((c) => c.path);
  return {
    cache,
    syncer,
    order,
    overviewCalls,
    changeOnRelay(next: StoreOverview[], changed: StoreOverview[], removed: string[]) {
      stores = next;
      delta = { stores: changed, removed };
      pending = true;
    },
  };
}

describe('sync by cursor', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps the cursor of the first full overview and then asks only for what changed since', async () => {
    const w = await world();
    const first = await w.syncer.syncNow();
    expect(first).toMatchObject({ status: 'ok', cursor: '2.7', etag: '"full"' });
    const second = await w.syncer.syncNow();
    expect(second).toMatchObject({ status: 'ok', cursor: '2.7', etag: '"full"' });
    expect(w.overviewCalls()).toEqual(['/v1/overview', '/v1/overview?since=2.7']);
    expect((await w.cache.snapshot()).stores).toHaveLength(4);
  });

  it('merges a delta into the cache: a changed store in place, a new one last, a removed one gone', async () => {
    const w = await world();
    await w.syncer.syncNow();
    const renamed = store('s-warn', 'Birch Kitchen renamed', [market(US, 'US', 'breach')]);
    const added = store('s-new', 'Dahlia Garden', [market(DE, 'DE', 'ok')]);
    const [alpha, , , own] = [...threeStores(), store(OWN, 'Own Store', [market(US, 'US', 'warn')])];
    w.changeOnRelay([alpha!, renamed, own!, added], [renamed, added], ['s-breach']);
    const state = await w.syncer.syncNow();
    expect(state.cursor).toBe('2.8');
    const names = (await w.cache.snapshot()).stores.map((s) => s.name);
    expect(names).toEqual(['Alpha Home', 'Birch Kitchen renamed', 'Own Store', 'Dahlia Garden']);
  });

  it('keeps the full metrics an opened detail brought in while that reading has not changed', async () => {
    const w = await world();
    await w.syncer.syncNow();
    const full = market(US, 'US', 'warn', { metrics: { odrMfn: metric('warn'), lateShipmentRate: metric('ok'), validTrackingRate: metric('ok') } });
    expect(await w.cache.mergeMarketplaceDetail(OWN, full)).toBe(true);
    // The store changed (it was checked again) but its reading did not: the detail stays.
    const checked = store(OWN, 'Own Store', [market(US, 'US', 'warn')], { lastCheckedAt: NOW });
    w.changeOnRelay([...threeStores(), checked], [checked], []);
    await w.syncer.syncNow();
    const own = (await w.cache.snapshot()).stores.find((s) => s.id === OWN)!;
    expect(own.lastCheckedAt).toBe(NOW);
    expect(Object.keys(own.marketplaces[0]!.metrics).sort()).toEqual(['lateShipmentRate', 'odrMfn', 'validTrackingRate']);
  });

  it('in a store-scoped profile, fetches its own store alone and paints it before the full overview', async () => {
    const w = await world({ profileStore: OWN });
    await w.syncer.syncNow();
    expect(w.overviewCalls()).toEqual([`/v1/overview?store=${OWN}`, '/v1/overview']);
    expect(w.order).toEqual(['own store first: Own Store', 'synced with 4 stores']);
    // Once the full overview and its cursor are cached, a delta covers the own store as well.
    await w.syncer.syncNow();
    expect(w.overviewCalls().at(-1)).toBe('/v1/overview?since=2.7');
  });
});
