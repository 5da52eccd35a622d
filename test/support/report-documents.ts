/**
 * Builds GET_V2_SELLER_PERFORMANCE_REPORT documents that follow Amazon's schema
 * (accountHealthReport-2020-11-18.json), so tests speak in orders and defects, not JSON. Pure:
 * used by Node and workerd tests alike (schema validation lives in test/unit/helpers).
 */
const WINDOW = { reportingDateRange: { reportingDateFrom: '2026-09-24T00:00Z', reportingDateTo: '2026-11-22T23:59Z' } };

const rateOf = (defects: number, total: number) => (total === 0 ? 0 : Number((defects / total).toFixed(4)));
const counted = (count: number) => ({ count, status: 'NONE' });
/**
 * Amazon's verdict as Seller Central shows it: BAD once the target is missed, GOOD otherwise (the
 * builder never says NONE; tests that need "too few orders" write the status themselves).
 * `missed` compares in whole numbers so 1 of 100 against < 1 % is exactly a miss.
 */
const verdict = (missed: boolean) => (missed ? 'BAD' : 'GOOD');

export interface MarketplaceFigures {
  marketplaceId: string;
  status?: string;
  /** `claims` of the defects are A-to-z claims, the rest negative feedback (default: all feedback). */
  odrMfn?: { defects: number; orders: number; claims?: number };
  odrAfn?: { defects: number; orders: number; claims?: number };
  late?: { late: number; orders: number };
  cancel?: { cancelled: number; orders: number };
  tracking?: { valid: number; shipments: number };
  violations?: number;
}

function odr(f: { defects: number; orders: number; claims?: number } | undefined, type: 'mfn' | 'afn') {
  const { defects, orders, claims = 0 } = f ?? { defects: 0, orders: 0 };
  return {
    ...WINDOW,
    orderCount: orders,
    orderWithDefects: counted(defects),
    claims: counted(claims),
    chargebacks: counted(0),
    negativeFeedback: counted(Math.max(0, defects - claims)),
    fulfillmentType: type,
    status: verdict(defects * 100 >= orders && orders > 0),
    rate: rateOf(defects, orders),
    targetValue: 0.01,
    targetCondition: 'LESS_THAN',
  };
}

function violation(count: number) {
  return { ...WINDOW, defectsCount: count, status: count > 0 ? 'BAD' : 'GOOD', targetValue: 0, targetCondition: 'EQUALS' };
}

/** One performanceMetrics entry with every field the schema requires. */
export function performanceEntry(f: MarketplaceFigures): Record<string, unknown> {
  const late = f.late ?? { late: 0, orders: 0 };
  const cancel = f.cancel ?? { cancelled: 0, orders: 0 };
  const tracking = f.tracking ?? { valid: 0, shipments: 0 };
  const v = f.violations ?? 0;
  return {
    marketplaceId: f.marketplaceId,
    orderDefectRate: { mfn: odr(f.odrMfn, 'mfn'), afn: odr(f.odrAfn, 'afn') },
    lateShipmentRate: { ...WINDOW, orderCount: late.orders, lateShipmentCount: late.late, status: verdict(late.late * 25 >= late.orders && late.orders > 0), rate: rateOf(late.late, late.orders), targetValue: 0.04, targetCondition: 'LESS_THAN' },
    preFulfillmentCancellationRate: { ...WINDOW, orderCount: cancel.orders, cancellationCount: cancel.cancelled, status: verdict(cancel.cancelled * 40 >= cancel.orders && cancel.orders > 0), rate: rateOf(cancel.cancelled, cancel.orders), targetValue: 0.025, targetCondition: 'LESS_THAN' },
    validTrackingRate: { ...WINDOW, shipmentCount: tracking.shipments, validTrackingCount: tracking.valid, status: verdict(tracking.valid * 20 <= tracking.shipments * 19 && tracking.shipments > 0), rate: tracking.shipments === 0 ? 1 : rateOf(tracking.valid, tracking.shipments), targetValue: 0.95, targetCondition: 'GREATER_THAN' },
    onTimeDeliveryRate: { ...WINDOW, shipmentCountWithValidTracking: 100, onTimeDeliveryCount: 98, status: 'GOOD', rate: 0.98, targetValue: 0.9, targetCondition: 'GREATER_THAN' },
    unitOnTimeDeliveryRate: { ...WINDOW, unitOnTimeDeliveryCount: 99, totalUnitCount: 100, status: 'GOOD', rate: 0.99, targetValue: 0.9, targetCondition: 'GREATER_THAN' },
    invoiceDefectRate: { ...WINDOW, orderCount: 0, invoiceDefect: counted(0), missingInvoice: counted(0), lateInvoice: counted(0), status: 'NONE', rate: 0, targetValue: 0.05, targetCondition: 'LESS_THAN' },
    warningStates: [],
    accountHealthRating: { ahrStatus: 'GREAT', ...WINDOW },
    listingPolicyViolations: violation(v),
    productAuthenticityCustomerComplaints: violation(0),
    productConditionCustomerComplaints: violation(0),
    productSafetyCustomerComplaints: violation(0),
    receivedIntellectualPropertyComplaints: violation(0),
    restrictedProductPolicyViolations: violation(0),
    suspectedIntellectualPropertyViolations: violation(0),
    foodAndProductSafetyIssues: violation(0),
    otherPolicyViolations: violation(0),
    documentRequests: violation(0),
  };
}

export function buildReport(...marketplaces: MarketplaceFigures[]): Record<string, unknown> {
  return {
    accountStatuses: marketplaces.map((m) => ({ marketplaceId: m.marketplaceId, status: m.status ?? 'NORMAL' })),
    performanceMetrics: marketplaces.map(performanceEntry),
  };
}
