import { describe, expect, it } from 'vitest';
import { evaluate, evaluateMetric, meetsTarget, worstLevel } from '../../shared/evaluate.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../shared/thresholds.ts';
import type { MarketplaceSnapshot, MetricReading } from '../../shared/types.ts';
import { buildReport, officialSchema, type MarketplaceFigures } from './helpers/report-builder.ts';

const US = 'ATVPDKIKX0DER';
const defaults = resolveThresholds({}, 'store-1', US);

function snapshotOf(figures: MarketplaceFigures): MarketplaceSnapshot {
  const result = parseSellerPerformanceReport(buildReport(figures));
  if (!result.ok) throw new Error(result.error);
  return result.marketplaces[0]!;
}

function reading(partial: Partial<MetricReading>): MetricReading {
  return { value: null, target: null, amazonStatus: 'GOOD', window: null, counts: {}, ...partial };
}

describe('evaluate: the acceptance figures', () => {
  it('marks ODR as warn when the next defective order would breach (2 of 250 seller-fulfilled orders)', () => {
    const odr = evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 2, orders: 250 } }), defaults).metrics.odrMfn!;
    expect(odr.value).toBe(0.008);
    expect(odr.level).toBe('warn');
    expect(odr.headroom).toBe(0);
    expect(odr.effectiveTarget).toEqual({ value: 0.01, condition: 'LESS_THAN' });
  });

  it('marks ODR as breach at 3 defective of 252 orders, with no headroom left', () => {
    const evaluation = evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 3, orders: 252 } }), defaults);
    expect(evaluation.metrics.odrMfn).toMatchObject({ level: 'breach', headroom: null });
    expect(evaluation.level).toBe('breach');
  });
});

describe('evaluateMetric: who decides', () => {
  it("lets Amazon's BAD status win over a value that meets the target", () => {
    const m = evaluateMetric('lateShipmentRate', reading({ value: 0.01, amazonStatus: 'BAD', counts: { total: 100, defects: 1 } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'breach', headroom: null });
  });

  it("never breaches while Amazon says GOOD: a missed target by our arithmetic is a warning", () => {
    const m = evaluateMetric('unitOnTimeDeliveryRate', reading({ value: 0.8848, target: { value: 0.9, condition: 'GREATER_THAN' } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'warn', headroom: null, over: null, wayBack: null });
  });

  it('lets NONE (too few orders to judge) be at most a warning: 1 late shipment of 2 orders', () => {
    const m = evaluateMetric('lateShipmentRate', reading({ value: 0.5, amazonStatus: 'NONE', counts: { total: 2, defects: 1 } }), DEFAULT_THRESHOLDS);
    expect(m.level).toBe('warn');
    expect(evaluateMetric('lateShipmentRate', reading({ value: 0, amazonStatus: 'NONE', counts: { total: 2, defects: 0 } }), DEFAULT_THRESHOLDS).level).toBe('ok');
  });

  it('lets our calculation decide where the report gives no status at all', () => {
    const m = evaluateMetric('lateShipmentRate', reading({ value: 0.5, amazonStatus: 'UNKNOWN', counts: { total: 2, defects: 1 } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'breach', over: 1, wayBack: 24 });
  });

  it('uses the report target over the catalog fallback', () => {
    const m = evaluateMetric('invoiceDefectRate', reading({ value: 0.035, amazonStatus: 'UNKNOWN', target: { value: 0.03, condition: 'LESS_THAN' } }), DEFAULT_THRESHOLDS);
    expect(m.effectiveTarget).toEqual({ value: 0.03, condition: 'LESS_THAN' });
    expect(m.level).toBe('breach');
  });

  it('falls back to the published target when the report gives none', () => {
    const m = evaluateMetric('preFulfillmentCancellationRate', reading({ value: 0.02 }), DEFAULT_THRESHOLDS);
    expect(m.effectiveTarget).toEqual({ value: 0.025, condition: 'LESS_THAN' });
    expect(m.level).toBe('warn');
  });

  it('marks a metric without a value or a status as unknown, and keeps the reading', () => {
    const m = evaluateMetric('odrAfn', reading({ amazonStatus: 'UNKNOWN', window: { from: 'a', to: 'b' } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'unknown', headroom: null, window: { from: 'a', to: 'b' } });
  });

  it('marks a metric the parser could not read as unknown, with its reason, whatever else it says', () => {
    const m = evaluateMetric('odrMfn', reading({ value: 0.5, amazonStatus: 'BAD', problem: 'performanceMetrics[0].orderDefectRate.mfn.rate is "0.01", expected a number.' }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'unknown', headroom: null, problem: expect.stringContaining('expected a number') });
  });
});

describe('evaluateMetric: the warn margin', () => {
  const odr = (value: number, warnMargin = 0.75) => evaluateMetric('odrMfn', reading({ value }), { warnMargin, headroomWarn: 1 }).level;

  it('warns at exactly 75 % of the way to a lower-is-better target, not a hair before', () => {
    expect(odr(0.0075)).toBe('warn');
    expect(odr(0.0074)).toBe('ok');
    expect(odr(0.0099)).toBe('warn');
    expect(odr(0)).toBe('ok');
  });

  it('warns at 75 % of the way from 100 % down to a higher-is-better target', () => {
    // From 100 % toward 95 %: 96.25 % is 75 % of the way.
    expect(evaluateMetric('validTrackingRate', reading({ value: 0.9625 }), DEFAULT_THRESHOLDS).level).toBe('warn');
    expect(evaluateMetric('validTrackingRate', reading({ value: 0.9626 }), DEFAULT_THRESHOLDS).level).toBe('ok');
  });

  it('honours a tighter margin from the rules', () => {
    expect(odr(0.005, 0.5)).toBe('warn');
    expect(odr(0.005)).toBe('ok');
  });

  it('warns on low headroom even when the rate is far from the target', () => {
    // 1 of 60 orders is 1.7 % against 4 %: only one more late shipment fits (3 of 60 is 5 %).
    const m = evaluateMetric('lateShipmentRate', reading({ value: 0.0167, counts: { total: 60, defects: 1 } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'warn', headroom: 1 });
    const relaxed = evaluateMetric('lateShipmentRate', reading({ value: 0.0167, counts: { total: 60, defects: 1 } }), { warnMargin: 0.75, headroomWarn: 0 });
    expect(relaxed.level).toBe('ok');
  });
});

describe('evaluateMetric: boundaries taken literally', () => {
  it('reads GREATER_THAN 0.95 literally: exactly 95 % valid tracking misses it, a breach only without a status', () => {
    expect(evaluateMetric('validTrackingRate', reading({ value: 0.95, amazonStatus: 'UNKNOWN' }), DEFAULT_THRESHOLDS).level).toBe('breach');
    // Seller Central shows 95 % green: with Amazon's GOOD it is an early warning.
    expect(evaluateMetric('validTrackingRate', reading({ value: 0.95 }), DEFAULT_THRESHOLDS).level).toBe('warn');
    expect(meetsTarget(0.95, { value: 0.95, condition: 'GREATER_THAN' })).toBe(false);
  });

  it('reads LESS_THAN 0.01 literally: exactly 1 % ODR is a breach', () => {
    expect(meetsTarget(0.01, { value: 0.01, condition: 'LESS_THAN' })).toBe(false);
    expect(meetsTarget(0.0099, { value: 0.01, condition: 'LESS_THAN' })).toBe(true);
  });

  it('compares decimals exactly, not as doubles', () => {
    expect(meetsTarget(0.1 + 0.2, { value: 0.3, condition: 'GREATER_THAN' })).toBe(true);
    expect(meetsTarget(0.3, { value: 0.3, condition: 'EQUALS' })).toBe(true);
  });
});

describe('evaluateMetric: policy counts', () => {
  it('does not warn on a clean policy count just because its headroom is 0', () => {
    const m = evaluateMetric('listingPolicyViolations', reading({ value: 0, target: { value: 0, condition: 'EQUALS' } }), DEFAULT_THRESHOLDS);
    expect(m).toMatchObject({ level: 'ok', headroom: 0 });
  });

  it.each(['GOOD', 'BAD', 'NONE', 'UNKNOWN'] as const)('warns, never breaches, on a violation count whatever its status (%s)', (amazonStatus) => {
    expect(evaluateMetric('listingPolicyViolations', reading({ value: 2, amazonStatus }), DEFAULT_THRESHOLDS)).toMatchObject({ level: 'warn', headroom: null });
    expect(evaluateMetric('receivedIntellectualPropertyComplaints', reading({ value: 1, amazonStatus }), DEFAULT_THRESHOLDS).level).toBe('warn');
  });
});

describe('evaluate: the marketplace level', () => {
  it('is the worst of its metrics', () => {
    expect(evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 0, orders: 1000 }, late: { late: 20, orders: 300 } }), defaults).level).toBe('breach');
    expect(evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 0, orders: 1000 }, violations: 1 }), defaults).level).toBe('warn');
  });

  it.each([
    [{ status: 'GREAT', score: 428 }, 'ok'],
    [{ status: 'WARNED', score: null }, 'warn'],
    [{ status: 'GREAT', score: 150 }, 'warn'],
    [{ status: null, score: 99 }, 'breach'],
    [{ status: 'CRITICAL', score: null }, 'breach'],
  ] as const)('follows the Account Health Rating %o: %s', (ahr, level) => {
    expect(evaluate({ ...snapshotOf({ marketplaceId: US }), ahr }, defaults).level).toBe(level);
  });

  it.each(['AT_RISK', 'DEACTIVATED'] as const)('is breach on a %s account status alone', (status) => {
    expect(evaluate({ ...snapshotOf({ marketplaceId: US }), metrics: {}, accountStatus: status, accountStatusRaw: status }, defaults).level).toBe('breach');
  });

  it('asks for a look (warn) at an account status outside Amazon\'s enum, such as SUSPENDED', () => {
    const snapshot = { ...snapshotOf({ marketplaceId: US }), accountStatus: 'UNKNOWN' as const, accountStatusRaw: 'SUSPENDED' };
    expect(evaluate(snapshot, defaults)).toMatchObject({ level: 'warn', accountStatus: 'UNKNOWN', accountStatusRaw: 'SUSPENDED' });
  });

  it('is unknown with no metrics and no account status', () => {
    const empty: MarketplaceSnapshot = { marketplaceId: US, accountStatus: 'UNKNOWN', accountStatusRaw: null, ahr: { status: null, score: null }, metrics: {}, warningStates: [], extra: {} };
    expect(evaluate(empty, defaults)).toMatchObject({ level: 'unknown', metrics: {} });
  });

  it('is ok for a new seller with zero orders and a normal account, headroom not computable', () => {
    const evaluation = evaluate(snapshotOf({ marketplaceId: US }), defaults);
    expect(evaluation.metrics.odrMfn).toMatchObject({ level: 'ok', headroom: null });
    expect(evaluation.metrics.lateShipmentRate).toMatchObject({ level: 'ok', headroom: null });
    expect(evaluation.level).toBe('ok');
  });

  it('judges metrics with the thresholds of their own metric', () => {
    const thresholds = resolveThresholds({ workspace: { metrics: { lateShipmentRate: { headroomWarn: 20 } } } }, 's', US);
    const evaluation = evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 1, orders: 1000 }, late: { late: 1, orders: 300 } }), thresholds);
    expect(evaluation.metrics.lateShipmentRate).toMatchObject({ level: 'warn', headroom: 10 });
    expect(evaluation.metrics.odrMfn).toMatchObject({ level: 'ok', headroom: 8 });
  });

  it('does not call a clean window "near its target" however little headroom a small seller has', () => {
    const clean = evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 0, orders: 60 } }), defaults);
    expect(clean.metrics.odrMfn).toMatchObject({ value: 0, level: 'ok', headroom: 0 });
    const one = evaluate(snapshotOf({ marketplaceId: US, odrMfn: { defects: 1, orders: 250 } }), defaults);
    expect(one.metrics.odrMfn).toMatchObject({ level: 'warn', headroom: 1 });
  });

  it('lists metrics in catalog order and ignores ids the catalog does not know', () => {
    const snapshot = snapshotOf({ marketplaceId: US });
    const reordered = { ...snapshot, metrics: { documentRequests: snapshot.metrics.documentRequests, retiredMetric: reading({ value: 1 }), odrMfn: snapshot.metrics.odrMfn } } as unknown as MarketplaceSnapshot;
    expect(Object.keys(evaluate(reordered, defaults).metrics)).toEqual(['odrMfn', 'documentRequests']);
  });
});

describe('evaluate on the official example', () => {
  const result = parseSellerPerformanceReport(officialSchema().examples[0]);
  if (!result.ok) throw new Error(result.error);
  const [us, ca, mx] = result.marketplaces.map((m) => evaluate(m, defaults));

  it('finds US at risk, with policy counts to look at and the late shipment rate near its target', () => {
    expect(us!.level).toBe('breach');
    expect(us!.metrics.lateShipmentRate).toMatchObject({ level: 'warn', headroom: 6930 });
    expect(us!.metrics.productSafetyCustomerComplaints?.level).toBe('warn');
    // ODR 0.9 % against 1 %: 90 % of the way; 1078 of 539000 leaves 4311 more.
    expect(us!.metrics.odrMfn).toMatchObject({ level: 'warn', headroom: 4311 });
  });

  it('warns, not breaches, on unit on-time delivery at 88.48 % against > 90 % because Amazon says GOOD', () => {
    expect(us!.metrics.unitOnTimeDeliveryRate?.level).toBe('warn');
  });

  it('cannot compute headroom where the example counts more good shipments than shipments', () => {
    // 95.29 % is 94 % of the way from 100 % down to 95 %: warn, on the rate alone.
    expect(us!.metrics.validTrackingRate).toMatchObject({ level: 'warn', headroom: null });
  });

  it('finds CA ok and MX (SUSPENDED) in need of a look', () => {
    expect(ca!.level).toBe('ok');
    expect(mx!.level).toBe('warn');
  });
});

describe('worstLevel', () => {
  it('orders unknown < ok < warn < breach, so any known level beats unknown', () => {
    expect(worstLevel(['ok', 'unknown'])).toBe('ok');
    expect(worstLevel(['warn', 'breach', 'ok'])).toBe('breach');
    expect(worstLevel(['unknown'])).toBe('unknown');
    expect(worstLevel([])).toBe('unknown');
  });
});
