import { describe, expect, it } from 'vitest';
import { isRequest } from '../../extension/entrypoints/background/messaging.ts';
import { INITIAL_SYNC } from '../../extension/lib/cache/cache-db.ts';
import { badgeSnapshot } from '../../extension/lib/derive/badge-snapshot.ts';
import type { Detection } from '../../extension/lib/detect/detect-marketplace.ts';
import { badgeView } from '../../extension/lib/panel/badge-view.ts';
import { EN } from './helpers/i18n.ts';
import { DE, JP, NOW, US, alert, market, store, threeStores } from './helpers/overview-fixtures.ts';

const full = {
  stores: [...threeStores(), store('s-risk', 'Dune Garden', [market(US, 'US', 'ok', { accountStatus: 'AT_RISK' })], { auth: 'lost' })],
  alerts: [alert('a1', NOW - 60_000), alert('a2', NOW - 120_000)],
  sync: { ...INITIAL_SYNC, status: 'ok' as const, lastSuccessAt: NOW - 60_000 },
  jobs: [{ storeId: 's-warn', jobId: 'j1', state: 'waiting' as const, error: null, updatedAt: NOW }],
};

const shown = (marketplaceId: string): Detection => ({ marketplaceId, candidates: [marketplaceId], source: 'url', storeName: null });

describe('the snapshot the badge in a page is sent', () => {
  it('keeps every store and marketplace with its levels and drops metrics, alerts and jobs', () => {
    const slim = badgeSnapshot(full);
    expect(slim.stores.map((s) => [s.id, s.level, s.auth, s.marketplaces.map((m) => [m.marketplaceId, m.level, m.accountStatus])])).toEqual(
      full.stores.map((s) => [s.id, s.level, s.auth, s.marketplaces.map((m) => [m.marketplaceId, m.level, m.accountStatus])]),
    );
    expect(slim.stores.flatMap((s) => s.marketplaces.map((m) => Object.keys(m.metrics).length))).toEqual([0, 0, 0, 0, 0]);
    expect(slim).toMatchObject({ alerts: [], jobs: [], sync: full.sync });
  });

  it('draws the same badge as the full snapshot, on Seller Central and on an ERP page', () => {
    const slim = { ...badgeSnapshot(full), paired: true };
    const whole = { ...full, paired: true };
    for (const id of [US, DE, JP]) {
      expect(badgeView(slim, 'seller-central', shown(id), null, EN, NOW)).toEqual(badgeView(whole, 'seller-central', shown(id), null, EN, NOW));
    }
    expect(badgeView(slim, 'erp', null, null, EN, NOW)).toEqual(badgeView(whole, 'erp', null, null, EN, NOW));
  });

  it('is asked for with scope "badge" and no other scope', () => {
    expect(isRequest({ type: 'snapshot', scope: 'badge' })).toBe(true);
    expect(isRequest({ type: 'snapshot' })).toBe(true);
    expect(isRequest({ type: 'snapshot', scope: 'everything' })).toBe(false);
  });
});
