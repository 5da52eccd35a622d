/**
 * The vocabulary both halves of Storewatch speak: marketplaces, metrics, snapshots, levels,
 * headroom and events. Types only - the logic lives in the files named for what it does.
 */

/** SP-API selling regions; one refresh token (one consent) covers one region. */
export type Region = 'na' | 'eu' | 'fe';

/** Storewatch's verdict on a metric or marketplace, worst last. */
export type Level = 'unknown' | 'ok' | 'warn' | 'breach';

/** Amazon's account status; anything outside Amazon's enum (e.g. `SUSPENDED`) is `UNKNOWN`. */
export type AccountStatus = 'NORMAL' | 'AT_RISK' | 'DEACTIVATED' | 'UNKNOWN';

/** Amazon's per-metric status (`GOOD | BAD | NONE` in the schema); anything else is `UNKNOWN`. */
export type AmazonStatus = 'GOOD' | 'BAD' | 'NONE' | 'UNKNOWN';

export type TargetCondition = 'LESS_THAN' | 'GREATER_THAN' | 'EQUALS';

/** Rate metrics from GET_V2_SELLER_PERFORMANCE_REPORT, one id each. */
export type RateMetricId =
  | 'odrMfn'
  | 'odrAfn'
  | 'lateShipmentRate'
  | 'lateShipmentRate10d'
  | 'preFulfillmentCancellationRate'
  | 'validTrackingRate'
  | 'onTimeDeliveryRate'
  | 'unitOnTimeDeliveryRate'
  | 'invoiceDefectRate';

/** Policy-compliance counts, named as in Amazon's schema. */
export type CountMetricId =
  | 'listingPolicyViolations'
  | 'productAuthenticityCustomerComplaints'
  | 'productConditionCustomerComplaints'
  | 'productSafetyCustomerComplaints'
  | 'receivedIntellectualPropertyComplaints'
  | 'restrictedProductPolicyViolations'
  | 'suspectedIntellectualPropertyViolations'
  | 'foodAndProductSafetyIssues'
  | 'customerProductReviewsPolicyViolations'
  | 'otherPolicyViolations'
  | 'documentRequests';

export type MetricId = RateMetricId | CountMetricId;

export interface Target {
  value: number;
  condition: TargetCondition;
}

/** A reporting window as the report states it (ISO-8601 strings, kept verbatim). */
export interface DateWindow {
  from: string;
  to: string;
}

/** One metric as read from one report, before Storewatch judges it. */
export interface MetricReading {
  /** Rates as fractions (0.009 = 0.9 %); policy metrics: the count. Null when the report has none. */
  value: number | null;
  /** The report's own target; null when the report gives none (the catalog is the fallback). */
  target: Target | null;
  amazonStatus: AmazonStatus;
  window: DateWindow | null;
  /**
   * The underlying counts, under the catalog's names: `total` (orders/shipments/units the rate is
   * over) and `defects` (the counted bad ones; for "higher is better" rates, the good ones are
   * `good`), plus any sub-counts (`claims`, `chargebacks`, `negativeFeedback`, ...).
   */
  counts: Record<string, number>;
  /**
   * Why this metric could not be read (a field of the wrong type): the metric alone is unknown,
   * the rest of the report stands. Absent when it read fine.
   */
  problem?: string;
}

export interface AhrReading {
  /** `GREAT`, `WARNED`, ... verbatim; null when absent. */
  status: string | null;
  /** 0-1000 when the report carries `ahrScore`; null otherwise. */
  score: number | null;
}

export interface WarningState {
  type: string;
  status: string;
}

/** One marketplace's account health as one report describes it. */
export interface MarketplaceSnapshot {
  marketplaceId: string;
  accountStatus: AccountStatus;
  /** Amazon's value verbatim, so `SUSPENDED` etc. survive. Null when the report has no status row. */
  accountStatusRaw: string | null;
  ahr: AhrReading;
  metrics: Partial<Record<MetricId, MetricReading>>;
  warningStates: WarningState[];
  /** Fields we do not model yet, kept verbatim (new Amazon fields must not be lost). */
  extra: Record<string, unknown>;
}

/** A judged metric: the reading plus Storewatch's level and headroom. */
export interface MetricEvaluation extends MetricReading {
  level: Level;
  /**
   * How many more defects (defective orders, late shipments, cancellations, violations...) the
   * current window takes before the target breaks; 0 = the next one breaks it; null = not computable.
   */
  headroom: number | null;
  /** The target actually used: the report's, else the catalog's fallback. */
  effectiveTarget: Target | null;
  /**
   * Once the target is missed (by the counts): how many defects past the last count that still
   * met it ("超出 2 笔"); null while on target or when the counts cannot say.
   */
  over?: number | null;
  /**
   * Once the target is missed (by the counts): how many more defect-free orders/shipments the
   * window needs, at today's volume, to be back on target; null when the counts cannot say.
   */
  wayBack?: number | null;
}

export interface MarketplaceEvaluation {
  marketplaceId: string;
  level: Level;
  accountStatus: AccountStatus;
  accountStatusRaw: string | null;
  ahr: AhrReading;
  metrics: Partial<Record<MetricId, MetricEvaluation>>;
  /** The report's warning states, kept so the next diff can see one turn BAD or clear (absent in older rows). */
  warningStates?: WarningState[];
}

/** Warn thresholds for one metric. */
export interface Thresholds {
  /** Warn when the value is this fraction of the way from perfect to the target (default 0.75). */
  warnMargin: number;
  /** Warn when headroom is at or below this count (default 1). */
  headroomWarn: number;
}

/** Threshold overrides at one scope; absent fields inherit from the wider scope. */
export interface ThresholdOverrides {
  all?: Partial<Thresholds>;
  metrics?: Partial<Record<MetricId, Partial<Thresholds>>>;
}

/**
 * Thresholds scoped workspace -> store -> marketplace. Keys of `stores` are store ids; keys of
 * `marketplaces` are `${storeId}/${marketplaceId}`.
 */
export interface ThresholdRules {
  workspace?: ThresholdOverrides;
  stores?: Record<string, ThresholdOverrides>;
  marketplaces?: Record<string, ThresholdOverrides>;
}

/** Thresholds resolved for one marketplace: what `evaluate` takes. */
export type ResolvedThresholds = (metric: MetricId) => Thresholds;

export type HealthEventKind =
  | 'level_changed'
  | 'headroom_low'
  | 'policy_count_rose'
  | 'account_status_changed'
  | 'ahr_status_changed'
  | 'ahr_score_changed'
  | 'warning_state_changed'
  | 'odr_defects_rose'
  | 'suspended_listings'
  | 'auth_lost'
  | 'reauth_due'
  | 'data_stale'
  | 'polling_failing';

export type Severity = 'info' | 'warning' | 'critical';

/** Something that happened to a store, derived by `diff` (or by the relay for the last four kinds). */
export interface HealthEvent {
  /** Stable across replays of the same step: the de-duplication key. */
  key: string;
  kind: HealthEventKind;
  severity: Severity;
  marketplaceId: string | null;
  metric: MetricId | null;
  /** Old and new value of what changed: a level, a status, a count or a headroom, as text. */
  from: string | null;
  to: string | null;
  /** Numbers a message needs (old/new value, target, headroom, counts), all optional. */
  detail: {
    valueFrom?: number | null;
    valueTo?: number | null;
    target?: Target | null;
    headroom?: number | null;
    window?: DateWindow | null;
    /** Breach only: defects past the target, and defect-free orders needed to get back under it. */
    over?: number | null;
    wayBack?: number | null;
    /** `warning_state_changed`: Amazon's `warningType`. `odr_defects_rose`: `claims`, `chargebacks` or `negativeFeedback`. */
    part?: string;
    /** `policy_count_rose`: the policy's category, which sets the severity. */
    category?: PolicyCategory;
  };
}

/** How grave a policy count is: intellectual property, authenticity, safety and restricted products are critical. */
export type PolicyCategory = 'intellectualProperty' | 'authenticity' | 'safety' | 'restricted' | 'listing' | 'other';
