import { describe, expect, it } from 'vitest';
import {
  CONSENT_HOSTS,
  MARKETPLACES,
  accountHealthUrl,
  isKnownMarketplace,
  marketplaceByCountry,
  marketplaceById,
  marketplacesByHost,
  marketplacesOfRegion,
  spApiEndpoint,
} from '../../shared/marketplaces.ts';
import { METRIC_IDS, METRICS } from '../../shared/metrics.ts';

describe('marketplace table', () => {
  it('has the 23 marketplaces of DOMAIN.md with unique ids and country codes', () => {
    expect(MARKETPLACES).toHaveLength(23);
    expect(new Set(MARKETPLACES.map((m) => m.id)).size).toBe(23);
    expect(new Set(MARKETPLACES.map((m) => m.countryCode)).size).toBe(23);
  });

  it('looks up both ways', () => {
    expect(marketplaceById('ATVPDKIKX0DER')).toMatchObject({ countryCode: 'US', region: 'na', currency: 'USD', nameZh: '美国' });
    expect(marketplaceByCountry('JP')?.id).toBe('A1VC38T7YXB528');
    expect(marketplaceByCountry('uk')?.id).toBe('A1F83G8C2ARO7P');
    expect(marketplaceById('A2ZV50J4W1RKNI')).toBeNull();
    expect(isKnownMarketplace('A2ZV50J4W1RKNI')).toBe(false);
  });

  it('lists the marketplaces of a region and of a shared Seller Central host', () => {
    expect(marketplacesOfRegion('fe').map((m) => m.countryCode)).toEqual(['SG', 'AU', 'JP']);
    expect(marketplacesByHost('sellercentral-europe.amazon.com').map((m) => m.countryCode).sort()).toEqual(['DE', 'ES', 'FR', 'GB', 'IT']);
    expect(marketplacesByHost('SELLERCENTRAL.AMAZON.CO.JP').map((m) => m.countryCode)).toEqual(['JP']);
  });

  it('resolves every Seller Central host back to its marketplaces', () => {
    for (const m of MARKETPLACES) expect(marketplacesByHost(m.sellerCentralHost)).toContainEqual(m);
  });

  it('builds SP-API endpoints, consent hosts and Account Health links', () => {
    expect(spApiEndpoint('eu')).toBe('https://sellingpartnerapi-eu.amazon.com');
    expect(CONSENT_HOSTS.fe).toBe('sellercentral.amazon.co.jp');
    expect(accountHealthUrl('A1PA6795UKMFR9')).toBe('https://sellercentral-europe.amazon.com/performance/dashboard');
    expect(accountHealthUrl('nope')).toBeNull();
  });
});

describe('metric catalog', () => {
  it('covers every rate and policy count of the report, rates first', () => {
    expect(METRIC_IDS.slice(0, 8)).toEqual([
      'odrMfn',
      'odrAfn',
      'lateShipmentRate',
      'preFulfillmentCancellationRate',
      'validTrackingRate',
      'onTimeDeliveryRate',
      'unitOnTimeDeliveryRate',
      'invoiceDefectRate',
    ]);
    expect(METRIC_IDS).toHaveLength(19);
    expect(METRIC_IDS).toContain('customerProductReviewsPolicyViolations');
  });

  it('gives every metric labels in both languages and the published fallback target', () => {
    for (const id of METRIC_IDS) {
      const m = METRICS[id];
      expect(m.labelZh && m.labelEn && m.shortZh && m.shortEn, id).toBeTruthy();
      expect(m.shortZh.length, id).toBeLessThanOrEqual(10);
    }
    expect(METRICS.odrMfn.fallbackTarget).toEqual({ value: 0.01, condition: 'LESS_THAN' });
    expect(METRICS.validTrackingRate).toMatchObject({ direction: 'higher-is-better', fallbackTarget: { value: 0.95 } });
    expect(METRICS.documentRequests).toMatchObject({ kind: 'count', fallbackTarget: { value: 0, condition: 'EQUALS' } });
  });
});
