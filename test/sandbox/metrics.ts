/**
 * Per-marketplace metric state of a simulated seller: stored counts, optional clock-driven drift,
 * and the derived rate/status the report carries (targets from
 * docs/domain/reports.md#published-targets-fallback-only).
 */

/** Rate metrics, named as in the report (accountHealthReport-2020-11-18.json); `.afn` is ODR's AFN half. */
export const RATE_METRICS = {
  orderDefectRate: { kind: 'defect', target: 0.01, windowDays: 60 },
  'orderDefectRate.afn': { kind: 'defect', target: 0.01, windowDays: 60 },
  lateShipmentRate: { kind: 'defect', target: 0.04, windowDays: 30 },
  // Amazon judges late shipment over 10 days too; real reports carry it in lateShipmentRateList[].
  lateShipmentRate10d: { kind: 'defect', target: 0.04, windowDays: 10 },
  preFulfillmentCancellationRate: { kind: 'defect', target: 0.025, windowDays: 7 },
  invoiceDefectRate: { kind: 'defect', target: 0.05, windowDays: 7 },
  validTrackingRate: { kind: 'good', target: 0.95, windowDays: 30 },
  onTimeDeliveryRate: { kind: 'good', target: 0.9, windowDays: 14 },
  unitOnTimeDeliveryRate: { kind: 'good', target: 0.9, windowDays: 14 },
} as const;
export type RateMetric = keyof typeof RATE_METRICS;

/** Policy counts: target 0, condition EQUALS, ~180-day window (docs/domain/reports.md). */
export const POLICY_METRICS = [
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
export type PolicyMetric = (typeof POLICY_METRICS)[number];
export const POLICY_WINDOW_DAYS = 180;

/** `n` is defects for "defect" metrics, good events for "good" metrics. */
export interface Count {
  n: number;
  total: number;
}

/** Adds `step` to a metric's `n` every `everyMs` since `since`, at most `max` times. */
export interface Drift {
  since: number;
  everyMs: number;
  step: number;
  max: number;
}

export interface MarketMetrics {
  rates: Record<RateMetric, Count>;
  policies: Record<PolicyMetric, number>;
  /** Base AHR score before deductions (0-1000). */
  ahrBase: number;
  drift: Partial<Record<RateMetric | PolicyMetric, Drift>>;
}

export function isRateMetric(name: string): name is RateMetric {
  return Object.hasOwn(RATE_METRICS, name);
}
export function isPolicyMetric(name: string): name is PolicyMetric {
  return (POLICY_METRICS as readonly string[]).includes(name);
}

export function healthyMetrics(orders: number): MarketMetrics {
  const policies = Object.fromEntries(POLICY_METRICS.map((p) => [p, 0])) as Record<PolicyMetric, number>;
  return {
    rates: {
      orderDefectRate: { n: 0, total: orders },
      'orderDefectRate.afn': { n: 0, total: Math.round(orders * 1.5) },
      lateShipmentRate: { n: Math.floor(orders * 0.01), total: orders },
      lateShipmentRate10d: { n: Math.floor(orders * 0.0033), total: Math.max(1, Math.round(orders / 3)) },
      preFulfillmentCancellationRate: { n: 0, total: Math.max(1, Math.round(orders / 8)) },
      invoiceDefectRate: { n: 0, total: Math.max(1, Math.round(orders / 8)) },
      validTrackingRate: { n: Math.ceil(orders * 0.99), total: orders },
      onTimeDeliveryRate: { n: Math.ceil(orders * 0.97), total: orders },
      unitOnTimeDeliveryRate: { n: Math.ceil(orders * 0.96), total: orders },
    },
    policies,
    ahrBase: 420,
    drift: {},
  };
}

function drifted(base: number, drift: Drift | undefined, now: number): number {
  if (!drift || now < drift.since) return base;
  const steps = Math.min(drift.max, Math.floor((now - drift.since) / drift.everyMs));
  return base + steps * drift.step;
}

export function rateCount(m: MarketMetrics, metric: RateMetric, now: number): Count {
  const c = m.rates[metric];
  const n = drifted(c.n, m.drift[metric], now);
  return { n: Math.max(0, Math.min(n, c.total)), total: c.total };
}

export function policyCount(m: MarketMetrics, metric: PolicyMetric, now: number): number {
  return Math.max(0, drifted(m.policies[metric], m.drift[metric], now));
}

/** The report's own rounding: defects/total to 4 decimals (brief: "counts consistent with rates"). */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export interface RateView {
  n: number;
  total: number;
  rate: number;
  target: number;
  condition: 'LESS_THAN' | 'GREATER_THAN';
  status: 'GOOD' | 'BAD';
  windowDays: number;
}

export function rateView(m: MarketMetrics, metric: RateMetric, now: number): RateView {
  const def = RATE_METRICS[metric];
  const { n, total } = rateCount(m, metric, now);
  const rate = total === 0 ? (def.kind === 'good' ? 1 : 0) : round4(n / total);
  const good = def.kind === 'defect' ? rate < def.target : rate >= def.target;
  return {
    n,
    total,
    rate,
    target: def.target,
    condition: def.kind === 'defect' ? 'LESS_THAN' : 'GREATER_THAN',
    status: good ? 'GOOD' : 'BAD',
    windowDays: def.windowDays,
  };
}

/**
 * A made-up but monotone AHR: policy violations cost points, breached rates cost more. Real AHR
 * weighting is unpublished; the bands (200+ healthy, <100 unhealthy) are from docs/domain/reports.md.
 */
export function ahrScore(m: MarketMetrics, now: number): number {
  let score = m.ahrBase;
  for (const p of POLICY_METRICS) score -= 40 * policyCount(m, p, now);
  for (const r of Object.keys(RATE_METRICS) as RateMetric[]) if (rateView(m, r, now).status === 'BAD') score -= 100;
  return Math.max(0, Math.min(1000, score));
}

export interface MetricUpdate {
  metric: string;
  defects?: number;
  total?: number;
  good?: number;
  count?: number;
}

/** Applies a control-API update; a set value replaces the metric's drift. Returns an error text or null. */
export function applyUpdate(m: MarketMetrics, u: MetricUpdate, now: number): string | null {
  const nonNeg = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  for (const k of ['defects', 'total', 'good', 'count'] as const) {
    if (u[k] !== undefined && !nonNeg(u[k])) return `${k} must be a non-negative integer`;
  }
  if (u.metric === 'ahrScore') {
    if (u.count === undefined) return 'ahrScore needs count';
    m.ahrBase = Math.min(1000, u.count);
    return null;
  }
  if (isPolicyMetric(u.metric)) {
    const value = u.count ?? u.defects;
    if (value === undefined) return `${u.metric} needs count`;
    m.policies[u.metric] = value;
    delete m.drift[u.metric];
    return null;
  }
  if (!isRateMetric(u.metric)) return `unknown metric ${u.metric}`;
  const kind = RATE_METRICS[u.metric].kind;
  const current = rateCount(m, u.metric, now);
  const total = u.total ?? current.total;
  let n = current.n;
  if (kind === 'defect' && u.defects !== undefined) n = u.defects;
  if (kind === 'good' && u.good !== undefined) n = u.good;
  if (kind === 'good' && u.defects !== undefined && u.good === undefined) n = total - u.defects;
  if (u.count !== undefined) n = u.count;
  if (n > total) return `count ${n} exceeds total ${total}`;
  m.rates[u.metric] = { n, total };
  delete m.drift[u.metric];
  return null;
}
