/**
 * Amazon's identity of a store read again (shared/store-identity.ts): names and suspended listings
 * merged, marketplaces that appear watched, those gone dropped, a bad (empty) answer ignored.
 */
import { describe, expect, it } from 'vitest';
import { type IdentityReading, identityUpdate } from '../../shared/store-identity.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';

function mp(marketplaceId: string, countryCode: string, storeName: string | null = 'Lumora Home', hasSuspendedListings: boolean | null = false): IdentityReading {
  return { marketplaceId, countryCode, storeName, hasSuspendedListings };
}

describe('a store identity read again', () => {
  it('changes nothing when Amazon answers the same', () => {
    const before = [mp(US, 'US'), mp(CA, 'CA')];
    expect(identityUpdate(before, [mp(US, 'US'), mp(CA, 'CA')], 'k')).toEqual({ marketplaces: before, added: [], removed: [], changed: false, events: [] });
  });

  it('takes a new store name', () => {
    const update = identityUpdate([mp(US, 'US')], [mp(US, 'US', 'Lumora Living')], 'k');
    expect(update).toMatchObject({ changed: true, marketplaces: [{ storeName: 'Lumora Living' }], events: [] });
  });

  it('keeps a known name or flag the answer leaves out', () => {
    const update = identityUpdate([mp(US, 'US', 'Lumora Home', true)], [mp(US, 'US', null, null)], 'k');
    expect(update).toMatchObject({ changed: false, marketplaces: [{ storeName: 'Lumora Home', hasSuspendedListings: true }] });
  });

  it('raises suspended_listings when the flag flips, keyed by the reading', () => {
    const update = identityUpdate([mp(US, 'US', 'Lumora Home', false)], [mp(US, 'US', 'Lumora Home', true)], 's1/sellers/2026-12-06');
    expect(update.events).toMatchObject([{ kind: 'suspended_listings', from: 'false', to: 'true', key: `${US}|suspended_listings|-|false>true|s1/sellers/2026-12-06` }]);
  });

  it('watches a marketplace that appears and drops one no longer listed', () => {
    const update = identityUpdate([mp(US, 'US'), mp(CA, 'CA')], [mp(US, 'US'), mp(MX, 'MX', 'Lumora Home', true)], 'k');
    expect(update).toMatchObject({ changed: true, added: [MX], removed: [CA] });
    expect(update.marketplaces.map((m) => m.marketplaceId)).toEqual([US, MX]);
    // A new marketplace that already has suspended listings says so.
    expect(update.events).toMatchObject([{ kind: 'suspended_listings', marketplaceId: MX, from: null, to: 'true' }]);
  });

  it('ignores an answer that lists no marketplace at all', () => {
    const before = [mp(US, 'US')];
    expect(identityUpdate(before, [], 'k')).toMatchObject({ changed: false, marketplaces: before, removed: [] });
  });
});
