import { describe, expect, it } from 'vitest';
import {
  CONSENT_HOSTS,
  MARKETPLACES,
  REGIONS,
  SP_API_HOSTS,
  accountHealthUrl,
  consentHost,
  isKnownMarketplace,
  marketplaceByCountry,
  marketplaceById,
  marketplacesByHost,
  marketplacesOfRegion,
  spApiEndpoint,
} from '../../shared/marketplaces.ts';

const US = 'ATVPDKIKX0DER';
const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const JP = 'A1VC38T7YXB528';

/** The flag emoji of a country code: two regional indicator symbols. */
const flagOf = (cc: string) => String.fromCodePoint(...[...cc].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));

describe('marketplace table', () => {
  it('has the 23 marketplaces of docs/domain/amazon-limits.md with unique ids and country codes', () => {
    expect(MARKETPLACES).toHaveLength(23);
    expect(new Set(MARKETPLACES.map((m) => m.id)).size).toBe(23);
    expect(new Set(MARKETPLACES.map((m) => m.countryCode)).size).toBe(23);
  });

  it('splits them 4 / 16 / 3 over the na, eu and fe regions', () => {
    expect(REGIONS.map((r) => marketplacesOfRegion(r).length)).toEqual([4, 16, 3]);
    expect(marketplacesOfRegion('fe').map((m) => m.countryCode)).toEqual(['SG', 'AU', 'JP']);
  });

  it('gives every row a currency, a flag matching its country, and names in both languages', () => {
    for (const m of MARKETPLACES) {
      expect(m.currency, m.id).toMatch(/^[A-Z]{3}$/);
      expect(m.flag, m.id).toBe(flagOf(m.countryCode));
      expect(m.nameZh && m.nameEn, m.id).toBeTruthy();
    }
  });

  it("gives every row its region's SP-API host", () => {
    for (const m of MARKETPLACES) expect(m.spApiEndpoint, m.id).toBe(`sellingpartnerapi-${m.region}.amazon.com`);
    expect(SP_API_HOSTS).toEqual({
      na: 'sellingpartnerapi-na.amazon.com',
      eu: 'sellingpartnerapi-eu.amazon.com',
      fe: 'sellingpartnerapi-fe.amazon.com',
    });
    expect(spApiEndpoint('eu')).toBe('https://sellingpartnerapi-eu.amazon.com');
  });
});

describe('marketplace look-ups', () => {
  it('finds a marketplace by id and knows which ids it does not know', () => {
    expect(marketplaceById(US)).toMatchObject({ countryCode: 'US', region: 'na', currency: 'USD', nameZh: '美国', nameEn: 'United States' });
    expect(isKnownMarketplace(US)).toBe(true);
    // A non-retail marketplace id that the Sellers API can list: not in the table.
    expect(marketplaceById('A2ZV50J4W1RKNI')).toBeNull();
    expect(isKnownMarketplace('A2ZV50J4W1RKNI')).toBe(false);
  });

  it('finds a marketplace by country code, accepting UK for GB and any case', () => {
    expect(marketplaceByCountry('JP')?.id).toBe(JP);
    expect(marketplaceByCountry('GB')?.id).toBe(UK);
    expect(marketplaceByCountry('uk')?.id).toBe(UK);
    expect(marketplaceByCountry('de ')?.id).toBe(DE);
    expect(marketplaceByCountry('XX')).toBeNull();
  });

  it('goes both ways: id to country code and back for every row', () => {
    for (const m of MARKETPLACES) {
      expect(marketplaceByCountry(marketplaceById(m.id)!.countryCode)).toBe(m);
    }
  });

  it('lists the five marketplaces behind the shared European Seller Central host', () => {
    expect(marketplacesByHost('sellercentral-europe.amazon.com').map((m) => m.countryCode).sort()).toEqual(['DE', 'ES', 'FR', 'GB', 'IT']);
    expect(marketplacesByHost('SELLERCENTRAL.AMAZON.CO.JP').map((m) => m.id)).toEqual([JP]);
    expect(marketplacesByHost('example.com')).toEqual([]);
  });

  it('resolves every Seller Central host back to its marketplaces', () => {
    for (const m of MARKETPLACES) expect(marketplacesByHost(m.sellerCentralHost), m.sellerCentralHost).toContainEqual(m);
  });
});

describe('Seller Central links', () => {
  it("sends consent to the Seller Central host of each region's main marketplace", () => {
    expect(CONSENT_HOSTS).toEqual({ na: 'sellercentral.amazon.com', eu: 'sellercentral-europe.amazon.com', fe: 'sellercentral.amazon.co.jp' });
    expect(consentHost('na')).toBe(marketplaceById(US)!.sellerCentralHost);
    expect(consentHost('eu')).toBe(marketplaceById(UK)!.sellerCentralHost);
    expect(consentHost('fe')).toBe(marketplaceById(JP)!.sellerCentralHost);
  });

  it("links each marketplace to its Account Health dashboard and an unknown id to nothing", () => {
    expect(accountHealthUrl(US)).toBe('https://sellercentral.amazon.com/performance/dashboard');
    expect(accountHealthUrl(DE)).toBe('https://sellercentral-europe.amazon.com/performance/dashboard');
    for (const m of MARKETPLACES) expect(accountHealthUrl(m.id)).toBe(`https://${m.sellerCentralHost}/performance/dashboard`);
    expect(accountHealthUrl('nope')).toBeNull();
  });
});
