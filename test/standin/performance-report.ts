/**
 * The document of GET_V2_SELLER_PERFORMANCE_REPORT for one marketplace, in the shape of Amazon's
 * model `accountHealthReport-2020-11-18.json`: `{accountStatuses[], performanceMetrics[]}`, every
 * field the model lists as required, spelled as its definitions spell it
 * (`preFulfillmentCancellationRate`, `warningStates`, `documentRequests`). The model requires
 * `ahrStatus` in `accountHealthRating` but defines `accountHealthRatingStatus`; the stand-in sends
 * both, which satisfies the schema either way. Dates are `YYYY-MM-DDTHH:mmZ` as in the model's
 * examples; each window ends the day before `now`.
 */
import { type Counted, type MarketplaceHealth, rateOf } from './health.ts';

const DAY = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function range(now: number, days: number): { reportingDateFrom: string; reportingDateTo: string } {
  const end = now - DAY;
  return { reportingDateFrom: `${day(end - (days - 1) * DAY)}T00:00Z`, reportingDateTo: `${day(end)}T23:59Z` };
}

type Condition = 'LESS_THAN' | 'GREATER_THAN';

/** Amazon's verdict: NONE with too few orders to judge, else GOOD or BAD against the target. */
function verdict(c: Counted, target: number, condition: Condition, rate = rateOf(c)): 'GOOD' | 'BAD' | 'NONE' {
  if (c.total < 10) return 'NONE';
  const good = condition === 'LESS_THAN' ? rate < target : rate >= target;
  return good ? 'GOOD' : 'BAD';
}

function rateMetric(now: number, days: number, c: Counted, target: number, condition: Condition, counts: Record<string, number>) {
  const rate = rateOf(c);
  return { reportingDateRange: range(now, days), ...counts, status: verdict(c, target, condition, rate), rate, targetValue: target, targetCondition: condition };
}

function odr(now: number, c: Counted & Partial<{ claims: number; chargebacks: number; negativeFeedback: number }>, fulfillmentType: 'mfn' | 'afn') {
  const status = verdict(c, 0.01, 'LESS_THAN');
  return {
    reportingDateRange: range(now, 60),
    orderCount: c.total,
    orderWithDefects: { count: c.count, status },
    claims: { count: c.claims ?? 0, status: 'NONE' },
    chargebacks: { count: c.chargebacks ?? 0, status: 'NONE' },
    negativeFeedback: { count: c.negativeFeedback ?? c.count, status: 'NONE' },
    fulfillmentType,
    status,
    rate: rateOf(c),
    targetValue: 0.01,
    targetCondition: 'LESS_THAN',
  };
}

const POLICY_FIELDS = [
  'listingPolicyViolations',
  'productAuthenticityCustomerComplaints',
  'productConditionCustomerComplaints',
  'productSafetyCustomerComplaints',
  'receivedIntellectualPropertyComplaints',
  'restrictedProductPolicyViolations',
  'suspectedIntellectualPropertyViolations',
  'foodAndProductSafetyIssues',
  'otherPolicyViolations',
  'documentRequests',
] as const;

export function performanceMetrics(marketplaceId: string, h: MarketplaceHealth, now: number): Record<string, unknown> {
  const policies = Object.fromEntries(
    POLICY_FIELDS.map((field) => [field, { reportingDateRange: range(now, 180), defectsCount: 0, status: 'GOOD', targetValue: 0, targetCondition: 'EQUALS' }]),
  );
  return {
    marketplaceId,
    orderDefectRate: { mfn: odr(now, h.odrMfn, 'mfn'), afn: odr(now, h.odrAfn, 'afn') },
    lateShipmentRate: rateMetric(now, 30, h.lateShipment, 0.04, 'LESS_THAN', { orderCount: h.lateShipment.total, lateShipmentCount: h.lateShipment.count }),
    preFulfillmentCancellationRate: rateMetric(now, 7, h.cancellation, 0.025, 'LESS_THAN', { orderCount: h.cancellation.total, cancellationCount: h.cancellation.count }),
    validTrackingRate: rateMetric(now, 30, { total: h.validTracking.total, count: h.validTracking.count }, 0.95, 'GREATER_THAN', {
      shipmentCount: h.validTracking.total,
      validTrackingCount: h.validTracking.count,
    }),
    onTimeDeliveryRate: rateMetric(now, 14, h.onTimeDelivery, 0.9, 'GREATER_THAN', {
      shipmentCountWithValidTracking: h.onTimeDelivery.total,
      onTimeDeliveryCount: h.onTimeDelivery.count,
    }),
    unitOnTimeDeliveryRate: rateMetric(now, 14, h.onTimeDelivery, 0.9, 'GREATER_THAN', { unitOnTimeDeliveryCount: h.onTimeDelivery.count, totalUnitCount: h.onTimeDelivery.total }),
    invoiceDefectRate: {
      reportingDateRange: range(now, 7),
      orderCount: 0,
      invoiceDefect: { count: 0, status: 'NONE' },
      missingInvoice: { count: 0, status: 'NONE' },
      lateInvoice: { count: 0, status: 'NONE' },
      status: 'NONE',
      rate: 0,
      targetValue: 0.05,
      targetCondition: 'LESS_THAN',
    },
    warningStates: [],
    accountHealthRating: { ahrStatus: h.ahrStatus, accountHealthRatingStatus: h.ahrStatus, reportingDateRange: range(now, 180) },
    ...policies,
  };
}

/** The whole document for the marketplaces one report was created for. */
export function performanceReport(entries: ReadonlyArray<{ marketplaceId: string; health: MarketplaceHealth }>, now: number): string {
  return JSON.stringify({
    accountStatuses: entries.map((e) => ({ marketplaceId: e.marketplaceId, status: e.health.accountStatus })),
    performanceMetrics: entries.map((e) => performanceMetrics(e.marketplaceId, e.health, now)),
  });
}
