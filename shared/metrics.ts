/**
 * The metric catalog: every number of GET_V2_SELLER_PERFORMANCE_REPORT that Storewatch judges,
 * with labels, direction, the published fallback target (DOMAIN.md section 1; the report's own
 * target wins when present) and where the parser finds it.
 */
import type { CountMetricId, MetricId, RateMetricId, Target } from './types.ts';

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
  windowDays: number;
}

const rate = (
  id: RateMetricId,
  direction: Direction,
  labels: [zh: string, en: string, shortZh: string, shortEn: string],
  defect: [zh: string, en: string, enPlural: string],
  target: Target,
  windowDays: number,
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
});

const count = (id: CountMetricId, labelZh: string, labelEn: string, shortZh: string, shortEn: string): MetricInfo => ({
  id,
  kind: 'count',
  direction: 'lower-is-better',
  labelZh,
  labelEn,
  shortZh,
  shortEn,
  defectZh: '违规',
  defectEn: 'violation',
  defectEnPlural: 'violations',
  // Policy counts carry `targetValue: 0, targetCondition: EQUALS` in the report.
  fallbackTarget: { value: 0, condition: 'EQUALS' },
  windowDays: 180,
});

const LESS = (value: number): Target => ({ value, condition: 'LESS_THAN' });
const MORE = (value: number): Target => ({ value, condition: 'GREATER_THAN' });

/** Display order: rates first (the ones with headroom), then policy counts. */
export const METRIC_LIST: readonly MetricInfo[] = [
  rate('odrMfn', 'lower-is-better', ['订单缺陷率（自配送）', 'Order defect rate (seller-fulfilled)', 'ODR 自配送', 'ODR (MFN)'], ['缺陷订单', 'defective order', 'defective orders'], LESS(0.01), 60),
  rate('odrAfn', 'lower-is-better', ['订单缺陷率（亚马逊配送）', 'Order defect rate (FBA)', 'ODR FBA', 'ODR (FBA)'], ['缺陷订单', 'defective order', 'defective orders'], LESS(0.01), 60),
  rate('lateShipmentRate', 'lower-is-better', ['迟发率', 'Late shipment rate', '迟发率', 'Late shipment'], ['迟发订单', 'late shipment', 'late shipments'], LESS(0.04), 30),
  rate('preFulfillmentCancellationRate', 'lower-is-better', ['配送前取消率', 'Pre-fulfillment cancel rate', '取消率', 'Cancel rate'], ['取消订单', 'cancellation', 'cancellations'], LESS(0.025), 7),
  rate('validTrackingRate', 'higher-is-better', ['有效追踪率', 'Valid tracking rate', '有效追踪率', 'Valid tracking'], ['无有效追踪的货件', 'shipment without valid tracking', 'shipments without valid tracking'], MORE(0.95), 30),
  rate('onTimeDeliveryRate', 'higher-is-better', ['准时送达率', 'On-time delivery rate', '准时送达率', 'On-time delivery'], ['延迟送达', 'late delivery', 'late deliveries'], MORE(0.9), 14),
  rate('unitOnTimeDeliveryRate', 'higher-is-better', ['商品准时送达率', 'Unit on-time delivery rate', '件准时送达率', 'Unit on-time'], ['延迟送达的商品', 'late unit', 'late units'], MORE(0.9), 14),
  rate('invoiceDefectRate', 'lower-is-better', ['发票缺陷率', 'Invoice defect rate', '发票缺陷率', 'Invoice defects'], ['发票缺陷', 'invoice defect', 'invoice defects'], LESS(0.05), 7),
  count('listingPolicyViolations', '商品政策违规', 'Listing policy violations', '商品政策', 'Listing policy'),
  count('productAuthenticityCustomerComplaints', '商品真实性买家投诉', 'Product authenticity complaints', '真实性投诉', 'Authenticity'),
  count('productConditionCustomerComplaints', '商品状况买家投诉', 'Product condition complaints', '商品状况投诉', 'Condition'),
  count('productSafetyCustomerComplaints', '商品安全买家投诉', 'Product safety complaints', '安全投诉', 'Safety'),
  count('receivedIntellectualPropertyComplaints', '知识产权投诉', 'Intellectual property complaints', '知识产权投诉', 'IP complaints'),
  count('restrictedProductPolicyViolations', '受限商品政策违规', 'Restricted product violations', '受限商品', 'Restricted'),
  count('suspectedIntellectualPropertyViolations', '涉嫌知识产权违规', 'Suspected IP violations', '涉嫌侵权', 'Suspected IP'),
  count('foodAndProductSafetyIssues', '食品和商品安全问题', 'Food and product safety issues', '食品安全', 'Food safety'),
  count('customerProductReviewsPolicyViolations', '买家商品评论政策违规', 'Customer product reviews violations', '评论政策', 'Reviews policy'),
  count('otherPolicyViolations', '其他政策违规', 'Other policy violations', '其他违规', 'Other policy'),
  count('documentRequests', '文件要求', 'Document requests', '文件要求', 'Documents'),
];

export const METRIC_IDS: readonly MetricId[] = METRIC_LIST.map((m) => m.id);

export const METRICS: Readonly<Record<MetricId, MetricInfo>> = Object.fromEntries(
  METRIC_LIST.map((m) => [m.id, m]),
) as Record<MetricId, MetricInfo>;

export function isMetricId(value: unknown): value is MetricId {
  return typeof value === 'string' && Object.hasOwn(METRICS, value);
}
