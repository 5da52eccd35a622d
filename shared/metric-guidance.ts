/**
 * What to do first when a metric breaks, and Amazon's help page for it: the last lines of an
 * alert (messages/facts.ts). Apart from the catalog (metrics.ts) so that the popup's first screen,
 * which shows no advice, does not load it.
 */
import type { MetricId } from './types.ts';

export interface MetricGuidance {
  /** The first thing to do when it breaks, one line each. */
  firstStepZh: string;
  firstStepEn: string;
  /**
   * Amazon's help page for the metric, as a path on the marketplace's Seller Central host; null
   * when we could not confirm one (the message then links the Account Health page only).
   */
  helpPath: string | null;
}

const guide = (firstStepZh: string, firstStepEn: string, helpPath: string | null): MetricGuidance => ({ firstStepZh, firstStepEn, helpPath });

/*
 * Help pages: only the late shipment (G200285190) and on-time delivery (G200633610) pages were
 * confirmed from copies of Seller Central help; the others are Amazon's usual help ids for the
 * metric, NOT confirmed, and marked so.
 */
const ODR = guide('先处理未结的 A-to-z 索赔和信用卡拒付，再联系留差评的买家解决问题。', 'Answer open A-to-z claims and chargebacks first, then reach out to buyers who left negative feedback.', '/help/hub/reference/external/G200205140' /* unconfirmed */);
const LSR = guide('今天起在预计发货日前确认发货；必要时延长处理时间。', 'Confirm shipment before the expected ship date from today on; lengthen handling time if you must.', '/help/hub/reference/external/G200285190');
const OTDR = guide('检查运输时间设置，与承运人核对延误的货件。', 'Check your transit time settings and follow up late shipments with the carrier.', '/help/hub/reference/external/G200633610');
const POLICY = guide('在账户状况页打开该政策的违规列表，逐条查看并处理或申诉。', 'Open the violations list for this policy on Account Health and address or appeal each one.', null);

export const METRIC_GUIDANCE: Readonly<Record<MetricId, MetricGuidance>> = {
  odrMfn: ODR,
  odrAfn: ODR,
  lateShipmentRate: LSR,
  lateShipmentRate10d: LSR,
  preFulfillmentCancellationRate: guide('核对库存，停售无货的商品，避免卖家取消订单。', 'Reconcile inventory and pause listings you cannot fill, so you need not cancel orders.', '/help/hub/reference/external/G200285220' /* unconfirmed */),
  validTrackingRate: guide('确认发货时填写承运人和有效的追踪编码。', 'Enter the carrier and a valid tracking number when confirming each shipment.', '/help/hub/reference/external/G201817070' /* unconfirmed */),
  onTimeDeliveryRate: OTDR,
  unitOnTimeDeliveryRate: OTDR,
  invoiceDefectRate: guide('在订单确认发货后一个工作日内上传发票。', 'Upload the invoice within one business day of confirming the shipment.', null),
  listingPolicyViolations: POLICY,
  productAuthenticityCustomerComplaints: POLICY,
  productConditionCustomerComplaints: POLICY,
  productSafetyCustomerComplaints: POLICY,
  receivedIntellectualPropertyComplaints: POLICY,
  restrictedProductPolicyViolations: POLICY,
  suspectedIntellectualPropertyViolations: POLICY,
  foodAndProductSafetyIssues: POLICY,
  customerProductReviewsPolicyViolations: POLICY,
  otherPolicyViolations: POLICY,
  documentRequests: POLICY,
};
