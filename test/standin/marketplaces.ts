/**
 * The marketplaces a stand-in seller can sell in, as the Sellers API describes them (model
 * `sellers.json`, definition `Marketplace`: id, name, countryCode, defaultCurrencyCode,
 * defaultLanguageCode, domainName). Ids from Amazon's "Marketplace IDs" page
 * (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids); the region is the SP-API
 * endpoint that serves it ("SP-API Endpoints" page).
 */
export type Region = 'na' | 'eu' | 'fe';

export interface Marketplace {
  id: string;
  name: string;
  countryCode: string;
  defaultCurrencyCode: string;
  defaultLanguageCode: string;
  domainName: string;
  region: Region;
}

export const MARKETPLACES: readonly Marketplace[] = [
  { id: 'ATVPDKIKX0DER', name: 'Amazon.com', countryCode: 'US', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com', region: 'na' },
  { id: 'A2EUQ1WTGCTBG2', name: 'Amazon.ca', countryCode: 'CA', defaultCurrencyCode: 'CAD', defaultLanguageCode: 'en_CA', domainName: 'www.amazon.ca', region: 'na' },
  { id: 'A1AM78C64UM0Y8', name: 'Amazon.com.mx', countryCode: 'MX', defaultCurrencyCode: 'MXN', defaultLanguageCode: 'es_MX', domainName: 'www.amazon.com.mx', region: 'na' },
  { id: 'A2Q3Y263D00KWC', name: 'Amazon.com.br', countryCode: 'BR', defaultCurrencyCode: 'BRL', defaultLanguageCode: 'pt_BR', domainName: 'www.amazon.com.br', region: 'na' },
  { id: 'A1F83G8C2ARO7P', name: 'Amazon.co.uk', countryCode: 'GB', defaultCurrencyCode: 'GBP', defaultLanguageCode: 'en_GB', domainName: 'www.amazon.co.uk', region: 'eu' },
  { id: 'A1PA6795UKMFR9', name: 'Amazon.de', countryCode: 'DE', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'de_DE', domainName: 'www.amazon.de', region: 'eu' },
  { id: 'A13V1IB3VIYZZH', name: 'Amazon.fr', countryCode: 'FR', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'fr_FR', domainName: 'www.amazon.fr', region: 'eu' },
  { id: 'A1VC38T7YXB528', name: 'Amazon.co.jp', countryCode: 'JP', defaultCurrencyCode: 'JPY', defaultLanguageCode: 'ja_JP', domainName: 'www.amazon.co.jp', region: 'fe' },
  { id: 'A39IBJ37TRP1C6', name: 'Amazon.com.au', countryCode: 'AU', defaultCurrencyCode: 'AUD', defaultLanguageCode: 'en_AU', domainName: 'www.amazon.com.au', region: 'fe' },
];

export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';
export const MX = 'A1AM78C64UM0Y8';

/**
 * A non-retail participation that real North American sellers see in their list (public issue
 * amzn/selling-partner-api-models#1763 asks what A2ZV50J4W1RKNI and others are): no reports are
 * created for it. Its name and domain here are placeholders; the id is what matters.
 */
export const NON_AMAZON_US: Marketplace = {
  id: 'A2ZV50J4W1RKNI',
  name: 'Non-Amazon',
  countryCode: 'US',
  defaultCurrencyCode: 'USD',
  defaultLanguageCode: 'en_US',
  domainName: 'sim1.stores.amazon.com',
  region: 'na',
};

export function marketplace(id: string): Marketplace | undefined {
  return MARKETPLACES.find((m) => m.id === id);
}
