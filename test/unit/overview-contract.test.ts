import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { OverviewResponse } from '../../shared/api/overview.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { marketplaceSummary } from '../../shared/overview-summary.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import { buildReport } from '../support/report-documents.ts';

const US = 'ATVPDKIKX0DER';

function evaluation(figures: Parameters<typeof buildReport>[0]) {
  const parsed = parseSellerPerformanceReport(buildReport(figures));
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluate(parsed.marketplaces[0]!, resolveThresholds({}, 's', figures.marketplaceId));
}

describe('the compact overview', () => {
  it('lists only the metrics that need attention, with the window as an ISO 8601 interval and no catalog target', () => {
    const summary = marketplaceSummary(evaluation({ marketplaceId: US, odrMfn: { defects: 3, orders: 400 }, late: { late: 1, orders: 400 }, violations: 1 }), 1000);
    expect(summary).toEqual({
      marketplaceId: US,
      level: 'warn',
      ahr: 'GREAT',
      fetchedAt: 1000,
      metrics: {
        odrMfn: { value: 0.0075, level: 'warn', headroom: 0, window: '2026-09-24T00:00Z/2026-11-22T23:59Z' },
        listingPolicyViolations: { value: 1, level: 'warn', window: '2026-09-24T00:00Z/2026-11-22T23:59Z' },
      },
    });
  });

  it('says how far past its target a broken rate is and the way back, with the counts behind it', () => {
    const summary = marketplaceSummary(evaluation({ marketplaceId: US, odrMfn: { defects: 6, orders: 400 } }), 1000);
    expect(summary.metrics?.odrMfn).toEqual({
      value: 0.015,
      level: 'breach',
      window: '2026-09-24T00:00Z/2026-11-22T23:59Z',
      over: 3,
      wayBack: 201,
      counts: { total: 400, defects: 6 },
    });
  });

  it('says nothing but level, AHR and time for a healthy marketplace: about a hundred bytes', () => {
    const summary = marketplaceSummary(evaluation({ marketplaceId: US, odrMfn: { defects: 0, orders: 400 } }), 1_765_000_000_000);
    expect(summary).toEqual({ marketplaceId: US, level: 'ok', ahr: 'GREAT', fetchedAt: 1_765_000_000_000 });
    expect(JSON.stringify(summary).length).toBeLessThan(100);
  });

  it('reads back in the full shape: country code, account status, catalog target, window object, null headroom', () => {
    const summary = marketplaceSummary(evaluation({ marketplaceId: US, odrMfn: { defects: 6, orders: 400 }, violations: 2 }), 1000);
    const { fetchedAt, ...us1 } = summary;
    const wire = { stores: [{ id: 's', name: 'S', region: 'na', lastCheckedAt: 1000, fetchedAt, marketplaces: [us1, { marketplaceId: 'A2EUQ1WTGCTBG2', level: 'unknown', accountStatus: 'UNKNOWN', fetchedAt: null }] }] };
    const store = v.parse(OverviewResponse, wire).stores[0]!;
    expect(store).toMatchObject({ level: 'breach', auth: 'ok' });
    const [us, ca] = store.marketplaces;
    expect(us).toMatchObject({ countryCode: 'US', accountStatus: 'NORMAL', ahr: { status: 'GREAT', score: null }, fetchedAt: 1000 });
    expect(us!.metrics.listingPolicyViolations).toEqual({ value: 2, level: 'warn', headroom: null, target: { value: 0, condition: 'EQUALS' }, window: { from: '2026-09-24T00:00Z', to: '2026-11-22T23:59Z' } });
    // Amazon's identity, said once per store: no store name on the store, none here; unsuspended.
    expect(ca).toEqual({ marketplaceId: 'A2EUQ1WTGCTBG2', countryCode: 'CA', level: 'unknown', accountStatus: 'UNKNOWN', ahr: null, fetchedAt: null, metrics: {}, storeName: null, hasSuspendedListings: false });
    expect(v.parse(OverviewResponse, wire)).toMatchObject({ full: true, removed: [], cursor: null });
  });

  it('keeps an account status other than NORMAL and a target the report moved', () => {
    const e = evaluation({ marketplaceId: US, status: 'AT_RISK', odrMfn: { defects: 5, orders: 400 } });
    const moved = { ...e, metrics: { ...e.metrics, odrMfn: { ...e.metrics.odrMfn!, effectiveTarget: { value: 0.02, condition: 'LESS_THAN' as const } } } };
    const summary = marketplaceSummary(moved, 1);
    expect(summary.accountStatus).toBe('AT_RISK');
    expect(summary.metrics?.odrMfn?.target).toEqual({ value: 0.02, condition: 'LESS_THAN' });
  });
});
