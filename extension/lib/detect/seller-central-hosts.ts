/**
 * Where the Seller Central panel runs. Match patterns cannot wildcard a top-level domain
 * (`sellercentral.amazon.*` is not a valid pattern), so every host is listed: the table of
 * docs/domain/seller-central-pages.md#hosts plus the country hosts Amazon still serves Seller
 * Central on and redirects from (co.uk, de, fr, it, es and the old Japanese host), which sellers
 * keep in their bookmarks.
 */
import { MARKETPLACES, marketplaceByCountry, marketplacesByHost } from '../../../shared/marketplaces.ts';

/** Country hosts outside the shared table, with the one marketplace each stands for. */
export const SELLER_CENTRAL_HOST_ALIASES: Readonly<Record<string, string>> = {
  'sellercentral.amazon.co.uk': 'GB',
  'sellercentral.amazon.de': 'DE',
  'sellercentral.amazon.fr': 'FR',
  'sellercentral.amazon.it': 'IT',
  'sellercentral.amazon.es': 'ES',
  'sellercentral-japan.amazon.com': 'JP',
};

export const SELLER_CENTRAL_HOSTS: readonly string[] = [...new Set([...MARKETPLACES.map((m) => m.sellerCentralHost), ...Object.keys(SELLER_CENTRAL_HOST_ALIASES)])].sort();

export const SELLER_CENTRAL_MATCHES: string[] = SELLER_CENTRAL_HOSTS.map((host) => `https://${host}/*`);

/** Marketplace ids a Seller Central host may be showing (several on the unified European host). */
export function marketplaceIdsOfHost(host: string): string[] {
  const h = host.toLowerCase();
  const alias = SELLER_CENTRAL_HOST_ALIASES[h];
  if (alias) {
    const m = marketplaceByCountry(alias);
    return m ? [m.id] : [];
  }
  return marketplacesByHost(h).map((m) => m.id);
}
