/**
 * Builds GET_V2_SELLER_PERFORMANCE_REPORT documents that follow Amazon's schema
 * (accountHealthReport-2020-11-18.json), so tests speak in orders and defects, not JSON. Pure:
 * used by Node and workerd tests alike (schema validation lives in test/unit/helpers).
 */
const WINDOW = { reportingDateRange: { reportingDateFrom: '2026-09-24T00:00Z', reportingDateTo: '2026-11-22T23:59Z' } };

const rateOf = (defects: number, total: number) => (total === 0 ? 0 : Number((defects / total).toFixed(4)));
const counted = (count: number) => ({ count, status: 'NONE' });

export interface MarketplaceFigures {
  marketplaceId: string;
  status?: string;
  odrMfn?: { defects: number; orders: number };
  odrAfn?: { defects: number; orders: number };
  late?: { late: number; orders: number };
  cancel?: { cancelled: number; orders: number };
  tracking?: { valid: number; shipments: number };
  violations?: number;
}

function odr(f: { defects: number; orders: number } | undefined, type: 'mfn' | 'afn') {
  const { defects, orders } = f ?? { defects: 0, orders: 0 };
  return {
    ...WINDOW,
    orderCount: orders,
    orderWithDefects: counted(defects),
    claims: counted(0),
    chargebacks: counted(0),
    negativeFeedback: counted(defects),
    fulfillmentType: type,
    status: 'GOOD',
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
    lateShipmentRate: { ...WINDOW, orderCount: late.orders, lateShipmentCount: late.late, status: 'GOOD', rate: rateOf(late.late, late.orders), targetValue: 0.04, targetCondition: 'LESS_THAN' },
    preFulfillmentCancellationRate: { ...WINDOW, orderCount: cancel.orders, cancellationCount: cancel.cancelled, status: 'GOOD', rate: rateOf(cancel.cancelled, cancel.orders), targetValue: 0.025, targetCondition: 'LESS_THAN' },
    validTrackingRate: { ...WINDOW, shipmentCount: tracking.shipments, validTrackingCount: tracking.valid, status: 'GOOD', rate: tracking.shipments === 0 ? 1 : rateOf(tracking.valid, tracking.shipments), targetValue: 0.95, targetCondition: 'GREATER_THAN' },
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
