/**
 * The metric catalog: every number of GET_V2_SELLER_PERFORMANCE_REPORT that Storewatch judges,
 * with labels, direction, the published fallback target (DOMAIN.md section 1; the report's own
 * target wins when present), the usual window, and where the parser finds it in the report.
 */
import type { CountMetricId, MetricId, RateMetricId, Target } from './types.ts';

export type MetricKind = 'rate' | 'count';
export type Direction = 'lower-is-better' | 'higher-is-better';

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
  /** The field holding the value: `rate` (a fraction) or `defectsCount` (policy metrics). */
  value: 'rate' | 'defectsCount';
  /** Catalog count name -> report field. A field is a number or a `{count, status}` object. */
  counts: Readonly<Partial<Record<CountName, string>>>;
  /** Breakdown counts kept under their report names (`claims`, `missingInvoice`, ...). */
  subCounts: readonly string[];
}

export interface MetricInfo {
  id: MetricId;
  kind: MetricKind;
  direction: Direction;
  labelZh: string;
  labelEn: string;
  /** Fits a chip or a 20-character WeChat template field. */
  shortZh: string;
  shortEn: string;
  /** One defect, for headroom phrases: "再有 2 笔缺陷订单" / "2 more defective orders". */
  defectZh: string;
  defectEn: string;
  defectEnPlural: string;
  fallbackTarget: Target;
  /** The window Amazon usually reports over; the report's own `reportingDateRange` is the truth. */
  windowDays: number;
  source: MetricSource;
}

type Labels = [zh: string, en: string, shortZh: string, shortEn: string];
type DefectWords = [zh: string, en: string, enPlural: string];

const rate = (
  id: RateMetricId,
  direction: Direction,
  labels: Labels,
  defect: DefectWords,
  target: Target,
  windowDays: number,
  source: Omit<MetricSource, 'value' | 'subCounts'> & { subCounts?: readonly string[] },
): MetricInfo => ({
  id,
  kind: 'rate',
  direction,
  labelZh: labels[0],
  labelEn: labels[1],
  shortZh: labels[2],
  shortEn: labels[3],
  defectZh: defect[0],
  defectEn: defect[1],
  defectEnPlural: defect[2],
  fallbackTarget: target,
  windowDays,
  source: { value: 'rate', subCounts: [], ...source },
});

const count = (id: CountMetricId, labels: Labels, keys: readonly string[] = [id]): MetricInfo => ({
  id,
  kind: 'count',
  direction: 'lower-is-better',
  labelZh: labels[0],
  labelEn: labels[1],
  shortZh: labels[2],
  shortEn: labels[3],
  defectZh: '违规',
  defectEn: 'violation',
  defectEnPlural: 'violations',
  // The schema's ListingLevelViolation: `targetValue: 0, targetCondition: EQUALS`, ~180 days.
  fallbackTarget: { value: 0, condition: 'EQUALS' },
  windowDays: 180,
  source: { keys, value: 'defectsCount', counts: { defects: 'defectsCount' }, subCounts: [] },
});

const LESS = (value: number): Target => ({ value, condition: 'LESS_THAN' });
const MORE = (value: number): Target => ({ value, condition: 'GREATER_THAN' });

const ODR_DEFECT: DefectWords = ['缺陷订单', 'defective order', 'defective orders'];
const ODR_COUNTS = { total: 'orderCount', defects: 'orderWithDefects' };
const ODR_PARTS = ['claims', 'chargebacks', 'negativeFeedback'];

/**
 * Display order: rates first (the ones with headroom), then policy counts. Short English names of
 * rates are the abbreviations sellers use (LSR, VTR...), which also read right in
 * "27 more late shipments and LSR breaks".
 */
export const METRIC_LIST: readonly MetricInfo[] = [
  rate('odrMfn', 'lower-is-better', ['订单缺陷率（自配送）', 'Order defect rate (seller-fulfilled)', 'ODR (自配送)', 'ODR (MFN)'], ODR_DEFECT, LESS(0.01), 60, { keys: ['orderDefectRate'], part: 'mfn', counts: ODR_COUNTS, subCounts: ODR_PARTS }),
  rate('odrAfn', 'lower-is-better', ['订单缺陷率（亚马逊配送）', 'Order defect rate (FBA)', 'ODR (FBA)', 'ODR (FBA)'], ODR_DEFECT, LESS(0.01), 60, { keys: ['orderDefectRate'], part: 'afn', counts: ODR_COUNTS, subCounts: ODR_PARTS }),
  rate('lateShipmentRate', 'lower-is-better', ['迟发率', 'Late shipment rate', '迟发率', 'LSR'], ['迟发订单', 'late shipment', 'late shipments'], LESS(0.04), 30, { keys: ['lateShipmentRate'], counts: { total: 'orderCount', defects: 'lateShipmentCount' } }),
  rate('preFulfillmentCancellationRate', 'lower-is-better', ['配送前取消率', 'Pre-fulfillment cancel rate', '取消率', 'CR'], ['取消订单', 'cancellation', 'cancellations'], LESS(0.025), 7, { keys: ['preFulfillmentCancellationRate', 'prefulfillmentCancelRate'], counts: { total: 'orderCount', defects: 'cancellationCount' } }),
  rate('validTrackingRate', 'higher-is-better', ['有效追踪率', 'Valid tracking rate', '有效追踪率', 'VTR'], ['无有效追踪的货件', 'shipment without valid tracking', 'shipments without valid tracking'], MORE(0.95), 30, { keys: ['validTrackingRate'], counts: { total: 'shipmentCount', good: 'validTrackingCount' } }),
  // Amazon's solutions architect (selling-partner-api-models#4078): the shipment-based on-time
  // rate keeps its 30-day window; the US unit-based one is the 14-day metric.
  rate('onTimeDeliveryRate', 'higher-is-better', ['准时送达率', 'On-time delivery rate', '准时送达率', 'OTDR'], ['延迟送达', 'late delivery', 'late deliveries'], MORE(0.9), 30, { keys: ['onTimeDeliveryRate'], counts: { total: 'shipmentCountWithValidTracking', good: 'onTimeDeliveryCount' } }),
  rate('unitOnTimeDeliveryRate', 'higher-is-better', ['商品准时送达率', 'Unit on-time delivery rate', '件准时送达率', 'Unit OTDR'], ['延迟送达的商品', 'late unit', 'late units'], MORE(0.9), 14, { keys: ['unitOnTimeDeliveryRate'], counts: { total: 'totalUnitCount', good: 'unitOnTimeDeliveryCount' } }),
  // `invoiceDefect` is the sum of missing and late invoices (315 = 214 + 101 in the schema's
  // example), so it is both the defects and a sub-count.
  rate('invoiceDefectRate', 'lower-is-better', ['发票缺陷率', 'Invoice defect rate', '发票缺陷率', 'IDR'], ['发票缺陷', 'invoice defect', 'invoice defects'], LESS(0.05), 7, { keys: ['invoiceDefectRate'], counts: { total: 'orderCount', defects: 'invoiceDefect' }, subCounts: ['invoiceDefect', 'missingInvoice', 'lateInvoice'] }),
  count('listingPolicyViolations', ['商品政策违规', 'Listing policy violations', '商品政策', 'Listing policy']),
  count('productAuthenticityCustomerComplaints', ['商品真实性买家投诉', 'Product authenticity complaints', '真实性投诉', 'Authenticity']),
  count('productConditionCustomerComplaints', ['商品状况买家投诉', 'Product condition complaints', '商品状况投诉', 'Condition']),
  count('productSafetyCustomerComplaints', ['商品安全买家投诉', 'Product safety complaints', '安全投诉', 'Safety']),
  count('receivedIntellectualPropertyComplaints', ['知识产权投诉', 'Intellectual property complaints', '知识产权投诉', 'IP complaints']),
  count('restrictedProductPolicyViolations', ['受限商品政策违规', 'Restricted product violations', '受限商品', 'Restricted']),
  count('suspectedIntellectualPropertyViolations', ['涉嫌知识产权违规', 'Suspected IP violations', '涉嫌侵权', 'Suspected IP']),
  count('foodAndProductSafetyIssues', ['食品和商品安全问题', 'Food and product safety issues', '食品安全', 'Food safety']),
  // Not in the schema; seen in reports in the wild (DOMAIN.md section 1, quirks).
  count('customerProductReviewsPolicyViolations', ['买家商品评论政策违规', 'Customer product reviews violations', '评论政策', 'Reviews policy']),
  count('otherPolicyViolations', ['其他政策违规', 'Other policy violations', '其他违规', 'Other policy']),
  count('documentRequests', ['文件要求', 'Document requests', '文件要求', 'Documents'], ['documentRequests', 'documentRequest']),
];

export const METRIC_IDS: readonly MetricId[] = METRIC_LIST.map((m) => m.id);

export const METRICS: Readonly<Record<MetricId, MetricInfo>> = Object.fromEntries(
  METRIC_LIST.map((m) => [m.id, m]),
) as Record<MetricId, MetricInfo>;

export function isMetricId(value: unknown): value is MetricId {
  return typeof value === 'string' && Object.hasOwn(METRICS, value);
}
