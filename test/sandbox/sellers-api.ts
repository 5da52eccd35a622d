/**
 * Sellers API v1 `getMarketplaceParticipations`, shaped as Amazon's model (sellers.json
 * `MarketplaceParticipation`): every item has `marketplace`, `participation{isParticipating,
 * hasSuspendedListings}` and `storeName`, the same store name in every marketplace of the seller.
 */
import { json } from './http.ts';
import { MARKETPLACES, NON_RETAIL_US } from './marketplaces.ts';
import type { MarketplaceInfo } from './marketplaces.ts';
import type { Seller } from './state.ts';

function participation(m: MarketplaceInfo, seller: Seller) {
  const { id, name, countryCode, defaultCurrencyCode, defaultLanguageCode, domainName } = m;
  return {
    marketplace: { id, name, countryCode, defaultCurrencyCode, defaultLanguageCode, domainName },
    participation: { isParticipating: true, hasSuspendedListings: seller.suspendedListings?.includes(id) ?? false },
    storeName: seller.storeName,
  };
}

export function getMarketplaceParticipations(seller: Seller): Response {
  const payload = seller.marketplaceIds.flatMap((id) => {
    const m = MARKETPLACES.get(id);
    return m ? [participation(m, seller)] : [];
  });
  if (seller.nonRetail) payload.push(participation(NON_RETAIL_US, seller));
  return json(200, { payload });
}
