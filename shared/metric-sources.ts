/**
 * Where the report parser finds each metric in one `performanceMetrics[]` entry of
 * GET_V2_SELLER_PERFORMANCE_REPORT (field names from Amazon's accountHealthReport-2020-11-18
 * schema; docs/domain/reports.md). Kept apart from the catalog (metrics.ts) because only the
 * relay's parser reads it.
 */
import type { MetricId } from './types.ts';

/** The catalog's names for a metric's counts (MetricReading.counts). */
export type CountName = 'total' | 'defects' | 'good';

/** Where a metric lives in one `performanceMetrics[]` entry of the report. */
export interface MetricSource {
  /**
   * The report keys, the schema's definition first, then the spelling of Amazon's own example
   * (`prefulfillmentCancelRate`, `documentRequest`): accountHealthReport-2020-11-18.json uses both.
   */
  keys: readonly string[];
  /** ODR only: the `mfn` or `afn` half of `orderDefectRate`. */
  part?: 'mfn' | 'afn';
  /**
   * Late shipment only: the window (in days) of the `lateShipmentRateList[]` entry this metric is.
   * Real documents carry one entry per window Amazon judges (10 and 30 days; the LSR help page,
   * G200285190: "over both a 10-day or a 30-day period"); the top-level object is the 30-day one.
   */
  listWindowDays?: number;
  /** The field holding the value: `rate` (a fraction) or `defectsCount` (policy metrics). */
  value: 'rate' | 'defectsCount';
  /** Catalog count name -> report field. A field is a number or a `{count, status}` object. */
  counts: Readonly<Partial<Record<CountName, string>>>;
  /** Breakdown counts kept under their report names (`claims`, `missingInvoice`, ...). */
  subCounts: readonly string[];
}

const rate = (source: Omit<MetricSource, 'value' | 'subCounts'> & { subCounts?: readonly string[] }): MetricSource => ({ value: 'rate', subCounts: [], ...source });
const count = (...keys: string[]): MetricSource => ({ keys, value: 'defectsCount', counts: { defects: 'defectsCount' }, subCounts: [] });

const ODR_COUNTS = { total: 'orderCount', defects: 'orderWithDefects' };
const ODR_PARTS = ['claims', 'chargebacks', 'negativeFeedback'];
const LSR_COUNTS = { total: 'orderCount', defects: 'lateShipmentCount' };

export const METRIC_SOURCES: Readonly<Record<MetricId, MetricSource>> = {
  odrMfn: rate({ keys: ['orderDefectRate'], part: 'mfn', counts: ODR_COUNTS, subCounts: ODR_PARTS }),
  odrAfn: rate({ keys: ['orderDefectRate'], part: 'afn', counts: ODR_COUNTS, subCounts: ODR_PARTS }),
  lateShipmentRate: rate({ keys: ['lateShipmentRate'], counts: LSR_COUNTS, listWindowDays: 30 }),
  // Only in `lateShipmentRateList[]`: no top-level key of its own.
  lateShipmentRate10d: rate({ keys: [], counts: LSR_COUNTS, listWindowDays: 10 }),
  preFulfillmentCancellationRate: rate({ keys: ['preFulfillmentCancellationRate', 'prefulfillmentCancelRate'], counts: { total: 'orderCount', defects: 'cancellationCount' } }),
  validTrackingRate: rate({ keys: ['validTrackingRate'], counts: { total: 'shipmentCount', good: 'validTrackingCount' } }),
  onTimeDeliveryRate: rate({ keys: ['onTimeDeliveryRate'], counts: { total: 'shipmentCountWithValidTracking', good: 'onTimeDeliveryCount' } }),
  unitOnTimeDeliveryRate: rate({ keys: ['unitOnTimeDeliveryRate'], counts: { total: 'totalUnitCount', good: 'unitOnTimeDeliveryCount' } }),
  // `invoiceDefect` is the sum of missing and late invoices (315 = 214 + 101 in the schema's
  // example), so it is both the defects and a sub-count.
  invoiceDefectRate: rate({ keys: ['invoiceDefectRate'], counts: { total: 'orderCount', defects: 'invoiceDefect' }, subCounts: ['invoiceDefect', 'missingInvoice', 'lateInvoice'] }),
  listingPolicyViolations: count('listingPolicyViolations'),
  productAuthenticityCustomerComplaints: count('productAuthenticityCustomerComplaints'),
  productConditionCustomerComplaints: count('productConditionCustomerComplaints'),
  productSafetyCustomerComplaints: count('productSafetyCustomerComplaints'),
  receivedIntellectualPropertyComplaints: count('receivedIntellectualPropertyComplaints'),
  restrictedProductPolicyViolations: count('restrictedProductPolicyViolations'),
  suspectedIntellectualPropertyViolations: count('suspectedIntellectualPropertyViolations'),
  foodAndProductSafetyIssues: count('foodAndProductSafetyIssues'),
  customerProductReviewsPolicyViolations: count('customerProductReviewsPolicyViolations'),
  otherPolicyViolations: count('otherPolicyViolations'),
  documentRequests: count('documentRequests', 'documentRequest'),
};
