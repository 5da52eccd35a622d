/**
 * Amazon's identity of each marketplace (Sellers API `storeName`, `hasSuspendedListings`) is said
 * once per store in the overview and read back in full through the contract: what repeats the
 * store's name or says "not suspended" is left out, what differs - another name, suspended
 * listings, not known yet - is sent as it is.
 */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { StoreOverview } from '../../shared/api/overview.ts';
import type { MarketplaceIdentity } from '../../relay/amazon/sellers.ts';
import type { StoreRow } from '../../relay/db/stores.ts';
import { buildOverview } from '../../relay/routes/overview.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';

const store: StoreRow = {
  id: 's1',
  workspace_id: 'w1',
  name: 'A03',
  region: 'na',
  seller_id: null,
  poll_interval_minutes: 60,
  paused: 0,
  auth_state: 'ok',
  auth_error: null,
  last_checked_at: null,
  next_poll_at: 0,
  created_at: 0,
};

function overviewOf(marketplaces: MarketplaceIdentity[]) {
  const [wire] = buildOverview([store], new Map([[store.id, marketplaces]]), new Map(), []);
  return { wire: wire!, read: v.parse(StoreOverview, wire) };
}

describe('the overview says Amazon\'s store identity once per store', () => {
  it('leaves out a marketplace name equal to the store\'s and listings not suspended, and reads them back', () => {
    const { wire, read } = overviewOf([
      { marketplaceId: US, countryCode: 'US', storeName: 'Lumora Home', hasSuspendedListings: false },
      { marketplaceId: CA, countryCode: 'CA', storeName: 'Lumora Home', hasSuspendedListings: false },
    ]);
    expect(wire.amazonStoreName).toBe('Lumora Home');
    for (const m of wire.marketplaces) {
      expect(m).not.toHaveProperty('storeName');
      expect(m).not.toHaveProperty('hasSuspendedListings');
    }
    expect(read.marketplaces.map((m) => [m.marketplaceId, m.storeName, m.hasSuspendedListings])).toEqual([
      [US, 'Lumora Home', false],
      [CA, 'Lumora Home', false],
    ]);
  });

  it('sends what differs from the store as it is: another name, suspended listings, and unknown as null', () => {
    const { wire, read } = overviewOf([
      { marketplaceId: US, countryCode: 'US', storeName: 'Lumora Home', hasSuspendedListings: true },
      { marketplaceId: CA, countryCode: 'CA', storeName: 'Lumora Canada', hasSuspendedListings: null },
      { marketplaceId: MX, countryCode: 'MX', storeName: null, hasSuspendedListings: false },
    ]);
    expect(wire.marketplaces.map((m) => [m.storeName, m.hasSuspendedListings])).toEqual([
      [undefined, true],
      ['Lumora Canada', null],
      [null, undefined],
    ]);
    expect(read.marketplaces.map((m) => [m.storeName, m.hasSuspendedListings])).toEqual([
      ['Lumora Home', true],
      ['Lumora Canada', null],
      [null, false],
    ]);
  });

  it('reads every marketplace name as unknown when Amazon gave the store none', () => {
    const { wire, read } = overviewOf([{ marketplaceId: US, countryCode: 'US', storeName: null, hasSuspendedListings: null }]);
    expect(wire).not.toHaveProperty('amazonStoreName');
    expect(wire.marketplaces[0]).toEqual(expect.objectContaining({ hasSuspendedListings: null }));
    expect(wire.marketplaces[0]).not.toHaveProperty('storeName');
    expect(read.marketplaces[0]).toMatchObject({ storeName: null, hasSuspendedListings: null });
  });
});
