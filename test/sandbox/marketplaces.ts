/**
 * The marketplace table of docs/domain/amazon-limits.md#marketplaces, with the extra fields the
 * Sellers API returns (sellers.json `Marketplace`: name, currency, language, domain).
 */
export type Region = 'na' | 'eu' | 'fe';

export interface MarketplaceInfo {
  id: string;
  countryCode: string;
  region: Region;
  name: string;
  defaultCurrencyCode: string;
  defaultLanguageCode: string;
  domainName: string;
}

// [id, countryCode, region, domain suffix, currency, language]
const ROWS: ReadonlyArray<readonly [string, string, Region, string, string, string]> = [
  ['A2EUQ1WTGCTBG2', 'CA', 'na', 'ca', 'CAD', 'en_CA'],
  ['ATVPDKIKX0DER', 'US', 'na', 'com', 'USD', 'en_US'],
  ['A1AM78C64UM0Y8', 'MX', 'na', 'com.mx', 'MXN', 'es_MX'],
  ['A2Q3Y263D00KWC', 'BR', 'na', 'com.br', 'BRL', 'pt_BR'],
  ['A28R8C7NBKEWEA', 'IE', 'eu', 'ie', 'EUR', 'en_IE'],
  ['A1RKKUPIHCS9HS', 'ES', 'eu', 'es', 'EUR', 'es_ES'],
  // The Sellers API reports the UK as GB (ISO 3166-1), docs/domain/amazon-limits.md#marketplaces
  // calls it UK.
  ['A1F83G8C2ARO7P', 'GB', 'eu', 'co.uk', 'GBP', 'en_GB'],
  ['A13V1IB3VIYZZH', 'FR', 'eu', 'fr', 'EUR', 'fr_FR'],
  ['AMEN7PMS3EDWL', 'BE', 'eu', 'com.be', 'EUR', 'fr_BE'],
  ['A1805IZSGTT6HS', 'NL', 'eu', 'nl', 'EUR', 'nl_NL'],
  ['A1PA6795UKMFR9', 'DE', 'eu', 'de', 'EUR', 'de_DE'],
  ['APJ6JRA9NG5V4', 'IT', 'eu', 'it', 'EUR', 'it_IT'],
  ['A2NODRKZP88ZB9', 'SE', 'eu', 'se', 'SEK', 'sv_SE'],
  ['AE08WJ6YKNBMC', 'ZA', 'eu', 'co.za', 'ZAR', 'en_ZA'],
  ['A1C3SOZRARQ6R3', 'PL', 'eu', 'pl', 'PLN', 'pl_PL'],
  ['ARBP9OOSHTCHU', 'EG', 'eu', 'eg', 'EGP', 'ar_EG'],
  ['A33AVAJ2PDY3EV', 'TR', 'eu', 'com.tr', 'TRY', 'tr_TR'],
  ['A17E79C6D8DWNP', 'SA', 'eu', 'sa', 'SAR', 'ar_SA'],
  ['A2VIGQ35RCS4UG', 'AE', 'eu', 'ae', 'AED', 'en_AE'],
  ['A21TJRUUN4KGV', 'IN', 'eu', 'in', 'INR', 'en_IN'],
  ['A19VAU5U5O7RUS', 'SG', 'fe', 'sg', 'SGD', 'en_SG'],
  ['A39IBJ37TRP1C6', 'AU', 'fe', 'com.au', 'AUD', 'en_AU'],
  ['A1VC38T7YXB528', 'JP', 'fe', 'co.jp', 'JPY', 'ja_JP'],
];

export const MARKETPLACES: ReadonlyMap<string, MarketplaceInfo> = new Map(
  ROWS.map(([id, countryCode, region, suffix, defaultCurrencyCode, defaultLanguageCode]) => [
    id,
    { id, countryCode, region, name: `Amazon.${suffix}`, defaultCurrencyCode, defaultLanguageCode, domainName: `www.amazon.${suffix}` },
  ]),
);

/**
 * A non-retail participation the real API returns for US sellers; the relay must filter it out
 * (docs/domain/reports.md#sellers-api: "It can include non-retail marketplaces").
 */
export const NON_RETAIL_US: MarketplaceInfo = {
  id: 'A2ZV50J4W1RKNI',
  countryCode: 'US',
  region: 'na',
  name: 'Non-Amazon',
  defaultCurrencyCode: 'USD',
  defaultLanguageCode: 'en_US',
  domainName: 'sim1.stores.amazon.com',
};

export const US = 'ATVPDKIKX0DER';
export const CA = 'A2EUQ1WTGCTBG2';
export const MX = 'A1AM78C64UM0Y8';
export const UK = 'A1F83G8C2ARO7P';
export const DE = 'A1PA6795UKMFR9';
export const FR = 'A13V1IB3VIYZZH';
export const IT = 'APJ6JRA9NG5V4';
export const ES = 'A1RKKUPIHCS9HS';
export const JP = 'A1VC38T7YXB528';
export const AU = 'A39IBJ37TRP1C6';

/**
 * SP-API host -> region (docs/domain/amazon-limits.md#regions-and-endpoints); `sandbox.` prefixed
 * hosts count too.
 */
export function regionOfHost(host: string | null): Region {
  const m = /sellingpartnerapi-(na|eu|fe)\.amazon\.com$/i.exec(host ?? '');
  return (m?.[1]?.toLowerCase() as Region | undefined) ?? 'na';
}
