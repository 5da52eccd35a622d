/**
 * The metric catalog: every number of GET_V2_SELLER_PERFORMANCE_REPORT that Storewatch judges,
 * with labels, direction, the published fallback target (docs/levels.md; the report's own
 * target wins when present) and the usual window. Where the parser finds each one in the report
 * is in metric-sources.ts, what to do when it breaks in metric-guidance.ts: the popup's first
 * screen loads this file and neither of those.
 */
import type { CountMetricId, MetricId, PolicyCategory, RateMetricId, Target } from './types.ts';

export type MetricKind = 'rate' | 'count';
export type Direction = 'lower-is-better' | 'higher-is-better';

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
  /** One order/shipment that counts toward the target, for the way back: "再有约 40 笔无缺陷订单". */
  goodZh: string;
  goodEn: string;
  goodEnPlural: string;
  /** Policy counts only: the category that sets an increase's severity. */
  policyCategory?: PolicyCategory;
}

type Labels = [zh: string, en: string, shortZh: string, shortEn: string];
type DefectWords = [zh: string, en: string, enPlural: string];
type GoodWords = [zh: string, en: string, enPlural: string];

const rate = (
  id: RateMetricId,
  direction: Direction,
  labels: Labels,
  defect: DefectWords,
  target: Target,
  windowDays: number,
  good: GoodWords,
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
  goodZh: good[0],
  goodEn: good[1],
  goodEnPlural: good[2],
});

const count = (id: CountMetricId, category: PolicyCategory, labels: Labels): MetricInfo => ({
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
  goodZh: '',
  goodEn: '',
  goodEnPlural: '',
  policyCategory: category,
});

const LESS = (value: number): Target => ({ value, condition: 'LESS_THAN' });
const MORE = (value: number): Target => ({ value, condition: 'GREATER_THAN' });

const ODR_DEFECT: DefectWords = ['缺陷订单', 'defective order', 'defective orders'];
const ODR_GOOD: GoodWords = ['无缺陷订单', 'defect-free order', 'defect-free orders'];
const LSR_GOOD: GoodWords = ['按时发货的订单', 'order shipped on time', 'orders shipped on time'];
const LSR_DEFECT: DefectWords = ['迟发订单', 'late shipment', 'late shipments'];

/*
 * Chinese names are those of Seller Central's Chinese Account Health page, as public RPA scrapers
 * of that page match them (订单缺陷率, 迟发率, 配送前取消率, 有效追踪率, 准时交货率, 上架政策违规,
 * 违反受限商品政策, 涉嫌侵犯知识产权, 其他违反政策 ...), with the abbreviations operators use beside them.
 */

/**
 * Display order: rates first (the ones with headroom), then policy counts. Short English names of
 * rates are the abbreviations sellers use (LSR, VTR...), which also read right in
 * "27 more late shipments and LSR breaks".
 */
export const METRIC_LIST: readonly MetricInfo[] = [
  rate('odrMfn', 'lower-is-better', ['订单缺陷率 ODR（FBM）', 'Order defect rate (seller-fulfilled)', 'ODR (FBM)', 'ODR (MFN)'], ODR_DEFECT, LESS(0.01), 60, ODR_GOOD),
  rate('odrAfn', 'lower-is-better', ['订单缺陷率 ODR（FBA）', 'Order defect rate (FBA)', 'ODR (FBA)', 'ODR (FBA)'], ODR_DEFECT, LESS(0.01), 60, ODR_GOOD),
  rate('lateShipmentRate', 'lower-is-better', ['迟发率 LSR（30 天）', 'Late shipment rate (30 days)', 'LSR 30天', 'LSR'], LSR_DEFECT, LESS(0.04), 30, LSR_GOOD),
  rate('lateShipmentRate10d', 'lower-is-better', ['迟发率 LSR（10 天）', 'Late shipment rate (10 days)', 'LSR 10天', 'LSR 10d'], LSR_DEFECT, LESS(0.04), 10, LSR_GOOD),
  rate('preFulfillmentCancellationRate', 'lower-is-better', ['配送前取消率 CR', 'Pre-fulfillment cancel rate', '取消率 CR', 'CR'], ['取消订单', 'cancellation', 'cancellations'], LESS(0.025), 7, ['未取消的订单', 'order not cancelled', 'orders not cancelled']),
  rate('validTrackingRate', 'higher-is-better', ['有效追踪率 VTR', 'Valid tracking rate', '有效追踪率 VTR', 'VTR'], ['无有效追踪的货件', 'shipment without valid tracking', 'shipments without valid tracking'], MORE(0.95), 30, ['有有效追踪的货件', 'shipment with valid tracking', 'shipments with valid tracking']),
  // Amazon's solutions architect (selling-partner-api-models#4078): the shipment-based on-time
  // rate keeps its 30-day window; the US unit-based one is the 14-day metric.
  rate('onTimeDeliveryRate', 'higher-is-better', ['准时交货率 OTDR', 'On-time delivery rate', '准时交货率 OTDR', 'OTDR'], ['延迟送达', 'late delivery', 'late deliveries'], MORE(0.9), 30, ['准时送达的货件', 'shipment delivered on time', 'shipments delivered on time']),
  rate('unitOnTimeDeliveryRate', 'higher-is-better', ['准时交货率 OTDR（按件）', 'Unit on-time delivery rate', '件准时交货率', 'Unit OTDR'], ['延迟送达的商品', 'late unit', 'late units'], MORE(0.9), 14, ['准时送达的商品', 'unit delivered on time', 'units delivered on time']),
  // `invoiceDefect` is the sum of missing and late invoices (315 = 214 + 101 in the schema's
  // example), so it is both the defects and a sub-count.
  rate('invoiceDefectRate', 'lower-is-better', ['发票缺陷率 IDR', 'Invoice defect rate', '发票缺陷率', 'IDR'], ['发票缺陷', 'invoice defect', 'invoice defects'], LESS(0.05), 7, ['按时上传发票的订单', 'order invoiced on time', 'orders invoiced on time']),
  count('listingPolicyViolations', 'listing', ['上架政策违规', 'Listing policy violations', '上架政策', 'Listing policy']),
  count('productAuthenticityCustomerComplaints', 'authenticity', ['商品真实性买家投诉', 'Product authenticity complaints', '真实性投诉', 'Authenticity']),
  count('productConditionCustomerComplaints', 'other', ['商品状况买家投诉', 'Product condition complaints', '商品状况投诉', 'Condition']),
  count('productSafetyCustomerComplaints', 'safety', ['商品安全买家投诉', 'Product safety complaints', '安全投诉', 'Safety']),
  count('receivedIntellectualPropertyComplaints', 'intellectualProperty', ['知识产权投诉', 'Intellectual property complaints', '知识产权投诉', 'IP complaints']),
  count('restrictedProductPolicyViolations', 'restricted', ['违反受限商品政策', 'Restricted product violations', '受限商品', 'Restricted']),
  count('suspectedIntellectualPropertyViolations', 'intellectualProperty', ['涉嫌侵犯知识产权', 'Suspected IP violations', '涉嫌侵权', 'Suspected IP']),
  count('foodAndProductSafetyIssues', 'safety', ['食品和商品安全问题', 'Food and product safety issues', '食品安全', 'Food safety']),
  // Not in the schema; seen in real reports (docs/levels.md, policy counts).
  count('customerProductReviewsPolicyViolations', 'listing', ['违反买家商品评论政策', 'Customer product reviews violations', '评论政策', 'Reviews policy']),
  count('otherPolicyViolations', 'other', ['其他违反政策', 'Other policy violations', '其他违规', 'Other policy']),
  count('documentRequests', 'other', ['文件要求', 'Document requests', '文件要求', 'Documents']),
];

export const METRIC_IDS: readonly MetricId[] = METRIC_LIST.map((m) => m.id);

export const METRICS: Readonly<Record<MetricId, MetricInfo>> = Object.fromEntries(
  METRIC_LIST.map((m) => [m.id, m]),
) as Record<MetricId, MetricInfo>;

export function isMetricId(value: unknown): value is MetricId {
  return typeof value === 'string' && Object.hasOwn(METRICS, value);
}
