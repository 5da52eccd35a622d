import { describe, expect, it } from 'vitest';
import { LEVEL_COLORS, badgeFor } from '../../extension/lib/derive/badge.ts';
import { DE, US, market, store, threeStores } from './helpers/overview-fixtures.ts';

const ok = { status: 'ok' } as const;

describe('toolbar badge', () => {
  it('counts the stores at warn or breach and colours the badge red when any store breaches', () => {
    expect(badgeFor(threeStores(), ok, true)).toEqual({ text: '2', color: LEVEL_COLORS.breach, title: 'badgeTitleAtRisk', count: 2 });
  });

  it('is orange when the worst store is at warn', () => {
    const stores = [store('a', 'A', [market(US, 'US', 'warn')]), store('b', 'B', [market(DE, 'DE', 'ok')])];
    expect(badgeFor(stores, ok, true)).toMatchObject({ text: '1', color: LEVEL_COLORS.warn });
  });

  it('shows no number when every store is fine', () => {
    expect(badgeFor([store('a', 'A', [market(US, 'US', 'ok')])], ok, true)).toMatchObject({ text: '', color: LEVEL_COLORS.ok, title: 'badgeTitleAllGood' });
  });

  it('counts a store whose Amazon authorization was lost as a breach', () => {
    const lost = store('a', 'A', [market(US, 'US', 'ok')], { auth: 'lost' });
    expect(badgeFor([lost], ok, true)).toMatchObject({ text: '1', color: LEVEL_COLORS.breach });
  });

  it('counts a marketplace Amazon calls AT_RISK as a breach whatever its metrics say', () => {
    const atRisk = store('a', 'A', [market(US, 'US', 'ok', { accountStatus: 'AT_RISK' })]);
    expect(badgeFor([atRisk], ok, true)).toMatchObject({ text: '1', color: LEVEL_COLORS.breach });
  });

  it('keeps the last known count in grey while offline', () => {
    expect(badgeFor(threeStores(), { status: 'offline' }, true)).toMatchObject({ text: '2', color: LEVEL_COLORS.unknown, title: 'badgeTitleOffline' });
  });

  it('is blank when the browser is not paired', () => {
    expect(badgeFor(threeStores(), ok, false)).toMatchObject({ text: '', title: 'badgeTitleNotPaired' });
  });
});
