import { describe, expect, it } from 'vitest';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import type { MarketplaceSnapshot } from '../../shared/types.ts';
import { buildReport, officialSchema, performanceEntry, schemaErrors } from './helpers/report-builder.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';

function parsed(doc: unknown): MarketplaceSnapshot[] {
  const result = parseSellerPerformanceReport(doc);
  if (!result.ok) throw new Error(`expected the report to parse: ${result.error}`);
  return result.marketplaces;
}

function failure(doc: unknown): string {
  const result = parseSellerPerformanceReport(doc);
  if (result.ok) throw new Error('expected the report to be refused');
  return result.error;
}

describe('parseSellerPerformanceReport on the official example document', () => {
  const example = officialSchema().examples[0];

  it('reads one snapshot per marketplace, in order of first appearance', () => {
    expect(parsed(example).map((m) => m.marketplaceId)).toEqual([US, CA, MX]);
  });

  it('reads the example prefulfillmentCancelRate spelling as preFulfillmentCancellationRate', () => {
    const us = parsed(example)[0]!;
    expect(us.metrics.preFulfillmentCancellationRate).toMatchObject({ value: 0.005, counts: { total: 17197, defects: 551 } });
  });

  it('keeps SUSPENDED, which is not in the enum, as UNKNOWN with the raw value', () => {
    const mx = parsed(example).find((m) => m.marketplaceId === MX)!;
    expect(mx.accountStatus).toBe('UNKNOWN');
    expect(mx.accountStatusRaw).toBe('SUSPENDED');
  });

  it('reads AT_RISK account status and the ahrStatus spelling of the AHR', () => {
    const us = parsed(example)[0]!;
    expect(us.accountStatus).toBe('AT_RISK');
    expect(us.ahr).toEqual({ status: 'WARNED', score: null });
  });

  it('reads policy counts as the metric value with Amazon status and target', () => {
    const us = parsed(example)[0]!;
    expect(us.metrics.productSafetyCustomerComplaints).toMatchObject({
      value: 165,
      amazonStatus: 'BAD',
      target: { value: 0, condition: 'EQUALS' },
      counts: { defects: 165 },
    });
  });

  it('reads the documentRequest spelling as documentRequests', () => {
    const withDocs = parsed(example).find((m) => m.metrics.documentRequests);
    expect(withDocs, 'the example carries a documentRequest entry').toBeDefined();
  });

  it('reads the warningState spelling as warning states', () => {
    const withWarnings = parsed(example).find((m) => m.warningStates.length > 0);
    expect(withWarnings?.warningStates[0]).toEqual({ type: expect.any(String), status: expect.any(String) });
  });

  it('reads rates as fractions with windows and counts under catalog names', () => {
    const us = parsed(example)[0]!;
    expect(us.metrics.lateShipmentRate).toEqual({
      value: 0.03203973037,
      target: { value: 0.04, condition: 'LESS_THAN' },
      amazonStatus: 'GOOD',
      window: { from: '2020-10-21T00:00Z', to: '2020-11-19T23:59Z' },
      counts: { total: 870669, defects: 27896 },
    });
    expect(us.metrics.invoiceDefectRate?.counts).toEqual({ total: 9001, defects: 315, missingInvoice: 214, lateInvoice: 101 });
    expect(us.metrics.unitOnTimeDeliveryRate?.counts).toEqual({ total: 165, good: 146 });
  });
});

describe('parseSellerPerformanceReport on generated documents', () => {
  it('builds documents that validate against the official schema', () => {
    expect(schemaErrors(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }))).toEqual([]);
  });

  it('reads ODR for seller-fulfilled and FBA orders separately', () => {
    const [us] = parsed(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 }, odrAfn: { defects: 1, orders: 900 } }));
    expect(us!.metrics.odrMfn).toMatchObject({ value: 0.008, counts: { total: 250, defects: 2, claims: 0, chargebacks: 0, negativeFeedback: 2 } });
    expect(us!.metrics.odrAfn).toMatchObject({ value: 0.0011, counts: { total: 900, defects: 1 } });
  });

  it('reads a new seller with zero orders without inventing defects', () => {
    const [us] = parsed(buildReport({ marketplaceId: US }));
    expect(us!.metrics.odrMfn).toMatchObject({ value: 0, counts: { total: 0, defects: 0 } });
    expect(us!.accountStatus).toBe('NORMAL');
  });

  it('accepts the document as JSON text, as Amazon serves it with text/plain', () => {
    const text = JSON.stringify(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }));
    expect(parsed(text)[0]!.metrics.odrMfn?.value).toBe(0.008);
  });

  it('gives a marketplace that only has an account status a snapshot with no metrics', () => {
    const snapshots = parsed({ accountStatuses: [{ marketplaceId: CA, status: 'DEACTIVATED' }], performanceMetrics: [] });
    expect(snapshots).toEqual([expect.objectContaining({ marketplaceId: CA, accountStatus: 'DEACTIVATED', metrics: {} })]);
  });
});

describe('parseSellerPerformanceReport on spellings seen in the wild', () => {
  const wild = () => {
    const entry = performanceEntry({ marketplaceId: US });
    const { lateShipmentRate, ...rest } = entry;
    return {
      ...rest,
      accountHealthRating: { accountHealthRatingStatus: 'GREAT', ahrScore: 428 },
      lateShipmentRateList: [
        { ...(lateShipmentRate as object), orderCount: 300, lateShipmentCount: 6, rate: 0.02 },
        { ...(lateShipmentRate as object), orderCount: 100, lateShipmentCount: 1, rate: 0.01 },
      ],
      policyViolationWarnings: { warningsCount: 2 },
      customerProductReviewsPolicyViolations: { defectsCount: 1, status: 'BAD', targetValue: 0, targetCondition: 'EQUALS' },
      brandNewMetric: { something: 1 },
    };
  };

  it('keeps the AHR score and reads accountHealthRatingStatus', () => {
    const [us] = parsed({ performanceMetrics: [wild()] });
    expect(us!.ahr).toEqual({ status: 'GREAT', score: 428 });
  });

  it('takes the first entry of lateShipmentRateList and keeps the list', () => {
    const [us] = parsed({ performanceMetrics: [wild()] });
    expect(us!.metrics.lateShipmentRate).toMatchObject({ value: 0.02, counts: { total: 300, defects: 6 } });
    expect(us!.extra.lateShipmentRateList).toHaveLength(2);
  });

  it('reads customerProductReviewsPolicyViolations and keeps unknown fields verbatim', () => {
    const [us] = parsed({ performanceMetrics: [wild()] });
    expect(us!.metrics.customerProductReviewsPolicyViolations?.value).toBe(1);
    expect(us!.extra).toMatchObject({ policyViolationWarnings: { warningsCount: 2 }, brandNewMetric: { something: 1 } });
  });

  it('turns an unknown metric status into UNKNOWN instead of failing', () => {
    const entry = performanceEntry({ marketplaceId: US });
    (entry.lateShipmentRate as Record<string, unknown>).status = 'FAIR';
    expect(parsed({ performanceMetrics: [entry] })[0]!.metrics.lateShipmentRate?.amazonStatus).toBe('UNKNOWN');
  });
});

describe('parseSellerPerformanceReport on broken documents', () => {
  const good = JSON.stringify(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }));

  it('refuses truncated JSON with an error that says so', () => {
    expect(failure(good.slice(0, good.length / 2))).toMatch(/not valid JSON \(is it truncated\?\)/);
  });

  it('refuses an empty document', () => {
    expect(failure('')).toMatch(/empty/);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a number', 42],
  ])('refuses a top level that is %s', (_name, doc) => {
    expect(failure(doc)).toMatch(/must be a JSON object/);
  });

  it('refuses an object that is not a seller performance report', () => {
    expect(failure({ hello: 'world' })).toMatch(/neither performanceMetrics nor accountStatuses/);
  });

  it('refuses performanceMetrics that is not an array, naming it', () => {
    expect(failure({ performanceMetrics: { marketplaceId: US } })).toMatch(/^performanceMetrics must be an array/);
  });

  it('names the exact path of a rate that is not a number', () => {
    const doc = buildReport({ marketplaceId: US }) as { performanceMetrics: Array<{ orderDefectRate: { mfn: { rate: unknown } } }> };
    doc.performanceMetrics[0]!.orderDefectRate.mfn.rate = 'abc';
    expect(failure(doc)).toBe('performanceMetrics[0].orderDefectRate.mfn.rate is "abc", expected a number.');
  });

  it('refuses an entry without a marketplace id', () => {
    expect(failure({ performanceMetrics: [{ lateShipmentRate: {} }] })).toMatch(/performanceMetrics\[0\]\.marketplaceId must be a non-empty string/);
  });
});
