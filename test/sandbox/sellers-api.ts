/**
 * Sellers API v1 `getMarketplaceParticipations` (sellers.json; docs/domain/reports.md#sellers-api).
 */
import { json } from './http.ts';
import { MARKETPLACES, NON_RETAIL_US } from './marketplaces.ts';
import type { MarketplaceInfo } from './marketplaces.ts';
import type { Seller } from './state.ts';

function participation(m: MarketplaceInfo, storeName: string) {
  const { id, name, countryCode, defaultCurrencyCode, defaultLanguageCode, domainName } = m;
  return {
    marketplace: { id, name, countryCode, defaultCurrencyCode, defaultLanguageCode, domainName },
    participation: { isParticipating: true, hasSuspendedListings: false },
    storeName,
  };
}

export function getMarketplaceParticipations(seller: Seller): Response {
  const payload = seller.marketplaceIds.flatMap((id) => {
    const m = MARKETPLACES.get(id);
    return m ? [participation(m, seller.storeName)] : [];
  });
  if (seller.nonRetail) payload.push(participation(NON_RETAIL_US, seller.storeName));
  return json(200, { payload });
}
