/**
 * Amazon marketplaces Storewatch knows: the table of docs/domain/amazon-limits.md#marketplaces (ids
 * from Amazon's marketplace-id reference; hosts marked "third-party" there come from public seller
 * guides).
 */
import type { Region } from './types.ts';

export interface Marketplace {
  id: string;
  /** ISO 3166 alpha-2; the UK is `GB` (Amazon's Sellers API says `GB`; people say `UK`). */
  countryCode: string;
  region: Region;
  sellerCentralHost: string;
  /** The region's SP-API host (no scheme), e.g. `sellingpartnerapi-eu.amazon.com`. */
  spApiEndpoint: string;
  currency: string;
  flag: string;
  nameZh: string;
  nameEn: string;
}

/** SP-API endpoint host per region (docs/domain/amazon-limits.md#regions-and-endpoints). */
export const SP_API_HOSTS: Readonly<Record<Region, string>> = {
  na: 'sellingpartnerapi-na.amazon.com',
  eu: 'sellingpartnerapi-eu.amazon.com',
  fe: 'sellingpartnerapi-fe.amazon.com',
};

const row = (
  id: string,
  countryCode: string,
  region: Region,
  sellerCentralHost: string,
  currency: string,
  flag: string,
  nameZh: string,
  nameEn: string,
): Marketplace => ({ id, countryCode, region, sellerCentralHost, spApiEndpoint: SP_API_HOSTS[region], currency, flag, nameZh, nameEn });

const EU_HOST = 'sellercentral-europe.amazon.com';

export const MARKETPLACES: readonly Marketplace[] = [
  row('A2EUQ1WTGCTBG2', 'CA', 'na', 'sellercentral.amazon.ca', 'CAD', '🇨🇦', '加拿大', 'Canada'),
  row('ATVPDKIKX0DER', 'US', 'na', 'sellercentral.amazon.com', 'USD', '🇺🇸', '美国', 'United States'),
  row('A1AM78C64UM0Y8', 'MX', 'na', 'sellercentral.amazon.com.mx', 'MXN', '🇲🇽', '墨西哥', 'Mexico'),
  row('A2Q3Y263D00KWC', 'BR', 'na', 'sellercentral.amazon.com.br', 'BRL', '🇧🇷', '巴西', 'Brazil'),
  row('A28R8C7NBKEWEA', 'IE', 'eu', 'sellercentral.amazon.ie', 'EUR', '🇮🇪', '爱尔兰', 'Ireland'),
  row('A1RKKUPIHCS9HS', 'ES', 'eu', EU_HOST, 'EUR', '🇪🇸', '西班牙', 'Spain'),
  row('A1F83G8C2ARO7P', 'GB', 'eu', EU_HOST, 'GBP', '🇬🇧', '英国', 'United Kingdom'),
  row('A13V1IB3VIYZZH', 'FR', 'eu', EU_HOST, 'EUR', '🇫🇷', '法国', 'France'),
  row('AMEN7PMS3EDWL', 'BE', 'eu', 'sellercentral.amazon.com.be', 'EUR', '🇧🇪', '比利时', 'Belgium'),
  row('A1805IZSGTT6HS', 'NL', 'eu', 'sellercentral.amazon.nl', 'EUR', '🇳🇱', '荷兰', 'Netherlands'),
  row('A1PA6795UKMFR9', 'DE', 'eu', EU_HOST, 'EUR', '🇩🇪', '德国', 'Germany'),
  row('APJ6JRA9NG5V4', 'IT', 'eu', EU_HOST, 'EUR', '🇮🇹', '意大利', 'Italy'),
  row('A2NODRKZP88ZB9', 'SE', 'eu', 'sellercentral.amazon.se', 'SEK', '🇸🇪', '瑞典', 'Sweden'),
  row('AE08WJ6YKNBMC', 'ZA', 'eu', 'sellercentral.amazon.co.za', 'ZAR', '🇿🇦', '南非', 'South Africa'),
  row('A1C3SOZRARQ6R3', 'PL', 'eu', 'sellercentral.amazon.pl', 'PLN', '🇵🇱', '波兰', 'Poland'),
  row('ARBP9OOSHTCHU', 'EG', 'eu', 'sellercentral.amazon.eg', 'EGP', '🇪🇬', '埃及', 'Egypt'),
  row('A33AVAJ2PDY3EV', 'TR', 'eu', 'sellercentral.amazon.com.tr', 'TRY', '🇹🇷', '土耳其', 'Turkey'),
  row('A17E79C6D8DWNP', 'SA', 'eu', 'sellercentral.amazon.sa', 'SAR', '🇸🇦', '沙特阿拉伯', 'Saudi Arabia'),
  row('A2VIGQ35RCS4UG', 'AE', 'eu', 'sellercentral.amazon.ae', 'AED', '🇦🇪', '阿联酋', 'United Arab Emirates'),
  row('A21TJRUUN4KGV', 'IN', 'eu', 'sellercentral.amazon.in', 'INR', '🇮🇳', '印度', 'India'),
  row('A19VAU5U5O7RUS', 'SG', 'fe', 'sellercentral.amazon.sg', 'SGD', '🇸🇬', '新加坡', 'Singapore'),
  row('A39IBJ37TRP1C6', 'AU', 'fe', 'sellercentral.amazon.com.au', 'AUD', '🇦🇺', '澳大利亚', 'Australia'),
  row('A1VC38T7YXB528', 'JP', 'fe', 'sellercentral.amazon.co.jp', 'JPY', '🇯🇵', '日本', 'Japan'),
];

const BY_ID = new Map(MARKETPLACES.map((m) => [m.id, m]));

export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

/**
 * Where a seller grants consent for a whole region ("Connect with Amazon"): the Seller Central
 * host of the region's main marketplace (docs/domain/amazon-limits.md: one consent covers a
 * region).
 */
export const CONSENT_HOSTS: Readonly<Record<Region, string>> = {
  na: 'sellercentral.amazon.com',
  eu: EU_HOST,
  fe: 'sellercentral.amazon.co.jp',
};

export function marketplaceById(id: string): Marketplace | null {
  return BY_ID.get(id) ?? null;
}

export function isKnownMarketplace(id: string): boolean {
  return BY_ID.has(id);
}

/** Accepts `UK` for Great Britain, as sellers (and Amazon's own domains) write it. */
export function marketplaceByCountry(countryCode: string): Marketplace | null {
  const upper = countryCode.trim().toUpperCase();
  const code = upper === 'UK' ? 'GB' : upper;
  return MARKETPLACES.find((m) => m.countryCode === code) ?? null;
}

export function marketplacesOfRegion(region: Region): Marketplace[] {
  return MARKETPLACES.filter((m) => m.region === region);
}

/** Every marketplace served by a Seller Central host (the European host serves several). */
export function marketplacesByHost(host: string): Marketplace[] {
  const h = host.toLowerCase();
  return MARKETPLACES.filter((m) => m.sellerCentralHost === h);
}

/** The region's SP-API base URL, with scheme: `https://sellingpartnerapi-na.amazon.com`. */
export function spApiEndpoint(region: Region): string {
  return `https://${SP_API_HOSTS[region]}`;
}

/**
 * `https://{host}/apps/authorize/consent` is built on this host
 * (docs/domain/amazon-limits.md#regions-and-endpoints).
 */
export function consentHost(region: Region): string {
  return CONSENT_HOSTS[region];
}

/** The Account Health dashboard of a marketplace in Seller Central; null for an unknown id. */
export function accountHealthUrl(marketplaceId: string): string | null {
  const m = marketplaceById(marketplaceId);
  return m ? `https://${m.sellerCentralHost}/performance/dashboard` : null;
}
