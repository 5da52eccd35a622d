import { describe, expect, it } from 'vitest';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import type { MarketplaceSnapshot } from '../../shared/types.ts';
import { buildReport, officialSchema, performanceEntry, schemaErrors } from './helpers/report-builder.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';

type Entry = Record<string, Record<string, unknown>>;

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

/** A schema-valid one-marketplace document whose entry a test may then bend. */
function usReport(): { doc: Record<string, unknown>; entry: Entry } {
  const entry = performanceEntry({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }) as Entry;
  return { doc: { accountStatuses: [{ marketplaceId: US, status: 'NORMAL' }], performanceMetrics: [entry] }, entry };
}

describe('parseSellerPerformanceReport on the official example document', () => {
  const example = officialSchema().examples[0];

  it('is needed because the example does not validate against its own schema', () => {
    expect(schemaErrors(example)).not.toEqual([]);
  });

  it('reads one snapshot per marketplace, in order of first appearance, including status-only ones', () => {
    const snapshots = parsed(example);
    expect(snapshots.map((m) => m.marketplaceId)).toEqual([US, CA, MX]);
    expect(snapshots[1]).toMatchObject({ accountStatus: 'NORMAL', metrics: {}, warningStates: [] });
  });

  it('keeps SUSPENDED, which is not in the enum, as UNKNOWN with the raw value', () => {
    const mx = parsed(example)[2]!;
    expect(mx.accountStatus).toBe('UNKNOWN');
    expect(mx.accountStatusRaw).toBe('SUSPENDED');
  });

  it('reads AT_RISK account status and the ahrStatus spelling of the AHR', () => {
    const us = parsed(example)[0]!;
    expect(us.accountStatus).toBe('AT_RISK');
    expect(us.accountStatusRaw).toBe('AT_RISK');
    expect(us.ahr).toEqual({ status: 'WARNED', score: null });
  });

  it('reads the prefulfillmentCancelRate spelling, with the report target over the published one', () => {
    expect(parsed(example)[0]!.metrics.preFulfillmentCancellationRate).toMatchObject({
      value: 0.005,
      target: { value: 0.01, condition: 'LESS_THAN' },
      counts: { total: 17197, defects: 551 },
    });
  });

  it('reads the documentRequest and warningState spellings', () => {
    const us = parsed(example)[0]!;
    expect(us.metrics.documentRequests).toMatchObject({ value: 8, amazonStatus: 'GOOD', counts: { defects: 8 } });
    expect(us.warningStates).toEqual([{ type: 'spammingSellerMessaging', status: 'BAD' }]);
  });

  it('reads both halves of ODR by their mfn and afn keys, whatever fulfillmentType says', () => {
    const us = parsed(example)[0]!;
    const odr = { value: 0.009, counts: { total: 539000, defects: 1078, claims: 442, chargebacks: 15, negativeFeedback: 628 } };
    expect(us.metrics.odrMfn).toMatchObject(odr);
    expect(us.metrics.odrAfn).toMatchObject(odr);
  });

  it('reads policy counts as the metric value with Amazon status and target', () => {
    expect(parsed(example)[0]!.metrics.productSafetyCustomerComplaints).toEqual({
      value: 165,
      amazonStatus: 'BAD',
      target: { value: 0, condition: 'EQUALS' },
      window: { from: '2020-05-22T00:00Z', to: '2020-11-17T23:59Z' },
      counts: { defects: 165 },
    });
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
    expect(us.metrics.invoiceDefectRate?.counts).toEqual({ total: 9001, defects: 315, invoiceDefect: 315, missingInvoice: 214, lateInvoice: 101 });
    expect(us.metrics.unitOnTimeDeliveryRate?.counts).toEqual({ total: 165, good: 146 });
    expect(us.metrics.validTrackingRate?.counts).toEqual({ total: 878443, good: 896462 });
    expect(us.metrics.onTimeDeliveryRate?.counts).toEqual({ total: 808046, good: 847987 });
  });

  it('leaves out metrics the report does not carry and keeps nothing unknown', () => {
    const us = parsed(example)[0]!;
    expect(us.metrics.restrictedProductPolicyViolations).toBeUndefined();
    expect(us.extra).toEqual({});
  });
});

describe('parseSellerPerformanceReport on generated documents', () => {
  it('builds documents that validate against the official schema', () => {
    expect(schemaErrors(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }))).toEqual([]);
    expect(schemaErrors(buildReport({ marketplaceId: US }, { marketplaceId: CA, status: 'AT_RISK', violations: 2 }))).toEqual([]);
  });

  it('reads ODR for seller-fulfilled and FBA orders separately', () => {
    const [us] = parsed(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 }, odrAfn: { defects: 1, orders: 900 } }));
    expect(us!.metrics.odrMfn).toMatchObject({ value: 0.008, counts: { total: 250, defects: 2, claims: 0, chargebacks: 0, negativeFeedback: 2 } });
    expect(us!.metrics.odrAfn).toMatchObject({ value: 0.0011, counts: { total: 900, defects: 1 } });
  });

  it('reads every metric of a complete document, in catalog order', () => {
    const [us] = parsed(buildReport({ marketplaceId: US }));
    expect(Object.keys(us!.metrics)).toHaveLength(18);
    expect(us!.metrics.customerProductReviewsPolicyViolations).toBeUndefined();
  });

  it('reads a new seller with zero orders without inventing defects', () => {
    const [us] = parsed(buildReport({ marketplaceId: US }));
    expect(us!.metrics.odrMfn).toMatchObject({ value: 0, counts: { total: 0, defects: 0 } });
    expect(us!.metrics.lateShipmentRate).toMatchObject({ value: 0, counts: { total: 0, defects: 0 } });
    expect(us!.accountStatus).toBe('NORMAL');
  });

  it('reads ODR objects that carry no fulfillmentType', () => {
    const { doc, entry } = usReport();
    delete (entry.orderDefectRate!.mfn as Record<string, unknown>).fulfillmentType;
    expect(parsed(doc)[0]!.metrics.odrMfn?.value).toBe(0.008);
  });

  it('gives a marketplace that only has an account status a snapshot with no metrics', () => {
    expect(parsed({ accountStatuses: [{ marketplaceId: CA, status: 'DEACTIVATED' }], performanceMetrics: [] })).toEqual([
      { marketplaceId: CA, accountStatus: 'DEACTIVATED', accountStatusRaw: 'DEACTIVATED', ahr: { status: null, score: null }, metrics: {}, warningStates: [], extra: {} },
    ]);
  });

  it('gives a marketplace without an account status row UNKNOWN with no raw value', () => {
    const [us] = parsed({ performanceMetrics: [performanceEntry({ marketplaceId: US })] });
    expect(us).toMatchObject({ accountStatus: 'UNKNOWN', accountStatusRaw: null });
  });

  it('orders marketplaces by first appearance in the document, whichever array comes first', () => {
    const statuses = [{ marketplaceId: MX, status: 'NORMAL' }, { marketplaceId: US, status: 'NORMAL' }];
    const metrics = [performanceEntry({ marketplaceId: US }), performanceEntry({ marketplaceId: CA })];
    expect(parsed({ accountStatuses: statuses, performanceMetrics: metrics }).map((m) => m.marketplaceId)).toEqual([MX, US, CA]);
    expect(parsed({ performanceMetrics: metrics, accountStatuses: statuses }).map((m) => m.marketplaceId)).toEqual([US, CA, MX]);
  });

  it('keeps the first entry and the first status when a marketplace appears twice', () => {
    const first = performanceEntry({ marketplaceId: US, odrMfn: { defects: 1, orders: 100 } });
    const second = performanceEntry({ marketplaceId: US, odrMfn: { defects: 9, orders: 100 } });
    const statuses = [{ marketplaceId: US, status: 'AT_RISK' }, { marketplaceId: US, status: 'NORMAL' }];
    const snapshots = parsed({ accountStatuses: statuses, performanceMetrics: [first, second] });
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ accountStatus: 'AT_RISK', metrics: { odrMfn: { value: 0.01 } } });
  });

  it('turns an unknown metric status into UNKNOWN and an unknown target condition into no target', () => {
    const { doc, entry } = usReport();
    entry.lateShipmentRate!.status = 'FAIR';
    entry.lateShipmentRate!.targetCondition = 'AT_MOST';
    expect(parsed(doc)[0]!.metrics.lateShipmentRate).toMatchObject({ amazonStatus: 'UNKNOWN', target: null });
  });
});

describe('parseSellerPerformanceReport on text and bytes', () => {
  const doc = buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } });
  const text = JSON.stringify(doc);
  const bytes = new TextEncoder().encode(text);

  it('accepts JSON text, as Amazon serves the document with text/plain', () => {
    expect(parsed(text)).toEqual(parsed(doc));
  });

  it('accepts the bytes of the document as a Uint8Array, a Node Buffer or an ArrayBuffer', () => {
    expect(parsed(bytes)).toEqual(parsed(doc));
    expect(parsed(Buffer.from(text))).toEqual(parsed(doc));
    expect(parsed(bytes.buffer)).toEqual(parsed(doc));
  });

  it('decodes multi-byte UTF-8 and skips a byte-order mark', () => {
    const withNames = { ...doc, note: '店铺哨兵 🛡️ Ünïcode' };
    const encoded = new TextEncoder().encode(`\uFEFF${JSON.stringify(withNames)}`);
    const direct = parseSellerPerformanceReport(withNames);
    expect(parseSellerPerformanceReport(encoded)).toEqual(direct);
    expect(parseSellerPerformanceReport(`\uFEFF${text}`)).toEqual(parseSellerPerformanceReport(text));
  });

  it('refuses bytes that are not UTF-8, saying where', () => {
    const broken = Uint8Array.from([...bytes.slice(0, 10), 0xc3, 0x28, ...bytes.slice(10)]);
    expect(failure(broken)).toBe('The report document is not UTF-8 text (bad byte at offset 10).');
    expect(failure(Uint8Array.from([0xe2, 0x82]))).toMatch(/offset 0/);
    expect(failure(Uint8Array.from([0xc0, 0xaf]))).toMatch(/not UTF-8/); // overlong "/"
  });

  it('refuses a gzip body that nobody inflated, saying what to do', () => {
    expect(failure(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]))).toMatch(/gzip-compressed: gunzip it first/);
  });

  it('refuses empty bytes like an empty document', () => {
    expect(failure(new Uint8Array())).toBe('The report document is empty.');
  });
});

describe('parseSellerPerformanceReport on spellings seen in the wild', () => {
  const wild = () => {
    const { lateShipmentRate, ...rest } = performanceEntry({ marketplaceId: US });
    const window = (from: string, to: string) => ({ reportingDateRange: { reportingDateFrom: from, reportingDateTo: to } });
    return {
      ...rest,
      accountHealthRating: { accountHealthRatingStatus: 'GREAT', ahrScore: 428 },
      lateShipmentRateList: [
        { ...(lateShipmentRate as object), ...window('2026-11-13T00:00Z', '2026-11-22T23:59Z'), orderCount: 100, lateShipmentCount: 1, rate: 0.01 },
        { ...(lateShipmentRate as object), ...window('2026-10-24T00:00Z', '2026-11-22T23:59Z'), orderCount: 300, lateShipmentCount: 6, rate: 0.02 },
      ],
      policyViolationWarnings: { warningsCount: 2 },
      customerProductReviewsPolicyViolations: { defectsCount: 1, status: 'BAD', targetValue: 0, targetCondition: 'EQUALS' },
      brandNewMetric: { something: 1 },
    };
  };

  it('keeps the AHR score and reads the accountHealthRatingStatus spelling', () => {
    expect(parsed({ performanceMetrics: [wild()] })[0]!.ahr).toEqual({ status: 'GREAT', score: 428 });
  });

  it('prefers ahrStatus when both AHR spellings are present', () => {
    const entry = { ...wild(), accountHealthRating: { ahrStatus: 'WARNED', accountHealthRatingStatus: 'GREAT', ahrScore: 150 } };
    expect(parsed({ performanceMetrics: [entry] })[0]!.ahr).toEqual({ status: 'WARNED', score: 150 });
  });

  it('takes the 30-day entry of lateShipmentRateList when there is no lateShipmentRate, and keeps the list', () => {
    const [us] = parsed({ performanceMetrics: [wild()] });
    expect(us!.metrics.lateShipmentRate).toMatchObject({ value: 0.02, counts: { total: 300, defects: 6 } });
    expect(us!.extra.lateShipmentRateList).toHaveLength(2);
  });

  it('takes the first list entry when none has the 30-day window', () => {
    const entry = wild();
    entry.lateShipmentRateList = [{ rate: 0, status: 'GOOD', targetValue: 0.04, targetCondition: 'LESS_THAN' }] as never;
    expect(parsed({ performanceMetrics: [entry] })[0]!.metrics.lateShipmentRate).toMatchObject({ value: 0, counts: {} });
  });

  it('prefers the lateShipmentRate object when the list comes beside it', () => {
    const entry = { ...wild(), lateShipmentRate: performanceEntry({ marketplaceId: US, late: { late: 3, orders: 1000 } }).lateShipmentRate };
    expect(parsed({ performanceMetrics: [entry] })[0]!.metrics.lateShipmentRate).toMatchObject({ value: 0.003, counts: { total: 1000, defects: 3 } });
  });

  it('reads customerProductReviewsPolicyViolations and keeps policyViolationWarnings and unknown fields verbatim', () => {
    const [us] = parsed({ performanceMetrics: [wild()] });
    expect(us!.metrics.customerProductReviewsPolicyViolations).toMatchObject({ value: 1, amazonStatus: 'BAD' });
    expect(us!.extra).toEqual({
      lateShipmentRateList: expect.any(Array),
      policyViolationWarnings: { warningsCount: 2 },
      brandNewMetric: { something: 1 },
    });
  });
});

describe('parseSellerPerformanceReport on broken documents', () => {
  const good = JSON.stringify(buildReport({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }));

  it('refuses truncated JSON with an error that says so', () => {
    expect(failure(good.slice(0, Math.floor(good.length / 2)))).toMatch(/^The report document is not valid JSON \(is it truncated\?\): /);
    expect(failure(good.slice(0, -1))).toMatch(/is it truncated/);
  });

  it('refuses an empty or blank document', () => {
    expect(failure('')).toBe('The report document is empty.');
    expect(failure('  \n')).toBe('The report document is empty.');
  });

  it.each([
    ['null', null, 'null'],
    ['an array', [], 'an array'],
    ['a number', 42, 'number 42'],
    ['JSON text of a string', '"hello"', '"hello"'],
    ['nothing at all', undefined, 'nothing'],
  ])('refuses a top level that is %s', (_name, doc, described) => {
    expect(failure(doc)).toBe(`The report document must be a JSON object, got ${described}.`);
  });

  it('refuses an object that is not a seller performance report', () => {
    expect(failure({ hello: 'world' })).toMatch(/neither performanceMetrics nor accountStatuses/);
  });

  it('refuses performanceMetrics or accountStatuses that are not arrays, naming them', () => {
    expect(failure({ performanceMetrics: { marketplaceId: US } })).toBe('performanceMetrics must be an array, got an object.');
    expect(failure({ performanceMetrics: [], accountStatuses: 'NORMAL' })).toBe('accountStatuses must be an array, got "NORMAL".');
  });

  it('leaves out entries that are not objects or lack a marketplace id, saying why, and reads the rest', () => {
    const ca = performanceEntry({ marketplaceId: CA });
    const cases: Array<[unknown, string]> = [
      [{ performanceMetrics: ['US', ca] }, 'performanceMetrics[0] must be an object, got "US".'],
      [{ performanceMetrics: [{ lateShipmentRate: {} }, ca] }, 'performanceMetrics[0].marketplaceId must be a non-empty string, got nothing.'],
      [{ performanceMetrics: [ca], accountStatuses: [{ marketplaceId: 7, status: 'NORMAL' }] }, 'accountStatuses[0].marketplaceId must be a non-empty string, got number 7.'],
      [{ performanceMetrics: [ca], accountStatuses: [{ marketplaceId: US }] }, 'accountStatuses[0].status must be a non-empty string, got nothing.'],
    ];
    for (const [doc, problem] of cases) {
      expect(parseSellerPerformanceReport(doc)).toMatchObject({ ok: true, problems: [problem] });
      expect(parsed(doc).find((m) => m.marketplaceId === CA)?.metrics.odrMfn).toMatchObject({ value: 0, amazonStatus: 'GOOD' });
    }
  });

  it('fails only the metric whose rate is not a number, naming its exact path', () => {
    const { doc, entry } = usReport();
    (entry.orderDefectRate!.mfn as Record<string, unknown>).rate = 'abc';
    const problem = 'performanceMetrics[0].orderDefectRate.mfn.rate is "abc", expected a number.';
    expect(parseSellerPerformanceReport(doc)).toMatchObject({ ok: true, problems: [problem] });
    const [us] = parsed(doc);
    expect(us!.metrics.odrMfn).toEqual({ value: null, target: null, amazonStatus: 'UNKNOWN', window: null, counts: {}, problem });
    expect(us!.metrics.odrAfn).toMatchObject({ value: 0, amazonStatus: 'GOOD' });
    expect(us!.accountStatus).toBe('NORMAL');
  });

  it('fails only the metric whose count is not a whole number, naming its exact path', () => {
    const problemOf = (doc: unknown) => {
      const result = parseSellerPerformanceReport(doc);
      return result.ok ? result.problems : [result.error];
    };
    const { doc, entry } = usReport();
    (entry.orderDefectRate!.afn as Record<string, unknown>).claims = { count: '3', status: 'NONE' };
    expect(problemOf(doc)).toEqual(['performanceMetrics[0].orderDefectRate.afn.claims.count is "3", expected a number.']);
    entry.orderDefectRate!.afn = { ...entry.orderDefectRate!.afn as object, claims: { count: 1.5 } };
    expect(problemOf(doc)).toEqual(['performanceMetrics[0].orderDefectRate.afn.claims.count is 1.5, expected a whole number of at least 0.']);
    entry.orderDefectRate!.afn = { ...entry.orderDefectRate!.afn as object, claims: { count: 0 } };
    entry.lateShipmentRate!.orderCount = -4;
    expect(problemOf(doc)).toEqual(['performanceMetrics[0].lateShipmentRate.orderCount is -4, expected a whole number of at least 0.']);
    expect(parsed(doc)[0]!.metrics.lateShipmentRate?.problem).toMatch(/orderCount is -4/);
  });

  it('isolates wrong shapes of metric objects, windows, AHR and warning states to what they belong to', () => {
    type Read = (us: MarketplaceSnapshot) => unknown;
    const unknownMetric = (id: keyof MarketplaceSnapshot['metrics']): Read => (us) => us.metrics[id]?.amazonStatus === 'UNKNOWN' && us.metrics[id]?.problem !== undefined;
    const cases: Array<[(entry: Entry) => void, string, Read]> = [
      [(e) => (e.orderDefectRate = 'bad' as never), 'performanceMetrics[0].orderDefectRate must be an object, got "bad".', unknownMetric('odrMfn')],
      [(e) => (e.validTrackingRate = [] as never), 'performanceMetrics[0].validTrackingRate must be an object, got an array.', unknownMetric('validTrackingRate')],
      [(e) => (e.listingPolicyViolations!.defectsCount = true), 'performanceMetrics[0].listingPolicyViolations.defectsCount is boolean true, expected a number.', unknownMetric('listingPolicyViolations')],
      [(e) => (e.lateShipmentRate!.reportingDateRange = '30d'), 'performanceMetrics[0].lateShipmentRate.reportingDateRange must be an object, got "30d".', unknownMetric('lateShipmentRate')],
      [(e) => (e.accountHealthRating = 5 as never), 'performanceMetrics[0].accountHealthRating must be an object, got number 5.', (us) => us.ahr.status === null],
      [(e) => (e.accountHealthRating!.ahrScore = 'high'), 'performanceMetrics[0].accountHealthRating.ahrScore is "high", expected a number.', (us) => us.ahr.score === null],
      [(e) => (e.warningStates = {} as never), 'performanceMetrics[0].warningStates must be an array, got an object.', (us) => us.warningStates.length === 0],
      [(e) => (e.lateShipmentRate!.targetValue = Number.NaN), 'performanceMetrics[0].lateShipmentRate.targetValue is number NaN, expected a number.', unknownMetric('lateShipmentRate')],
    ];
    for (const [bend, message, isolated] of cases) {
      const { doc, entry } = usReport();
      bend(entry);
      const result = parseSellerPerformanceReport(doc);
      expect(result, message).toMatchObject({ ok: true, problems: [message] });
      const [us] = parsed(doc);
      expect(isolated(us!), message).toBe(true);
      // Everything else still reads: the late shipment rate, and the ODR unless it was the one bent.
      expect(us!.metrics.preFulfillmentCancellationRate?.amazonStatus, message).toBe('GOOD');
      expect(us!.metrics.odrMfn?.value, message).toBe(message.includes('orderDefectRate') ? null : 0.008);
    }
  });

  it('never throws, even on a document whose fields explode when read', () => {
    const hostile = {
      accountStatuses: [],
      get performanceMetrics(): never {
        throw new TypeError('boom');
      },
    };
    expect(parseSellerPerformanceReport(hostile)).toEqual({ ok: false, error: 'The report could not be read: TypeError: boom' });
    for (const odd of [Symbol('x'), () => 1, 10n, true]) expect(parseSellerPerformanceReport(odd).ok).toBe(false);
  });
});
