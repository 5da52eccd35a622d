/**
 * Judges a marketplace snapshot: a level and a headroom per metric, and a level for the
 * marketplace. SPEC.md "What is measured": breach when Amazon says BAD or the target is missed;
 * warn inside the margin or when headroom is low; unknown without data. Account status AT_RISK or
 * DEACTIVATED is critical on its own. The report's target and status win; the catalog is the
 * fallback.
 */
import { compareDecimals, toDecimal } from './decimal.ts';
import { countHeadroom, rateHeadroom } from './headroom.ts';
import { METRIC_IDS, METRICS } from './metrics.ts';
import type {
  Level,
  MarketplaceEvaluation,
  MarketplaceSnapshot,
  MetricEvaluation,
  MetricId,
  MetricReading,
  ResolvedThresholds,
  Target,
  Thresholds,
} from './types.ts';

const LEVEL_ORDER: Readonly<Record<Level, number>> = { unknown: 0, ok: 1, warn: 2, breach: 3 };

/** The worst of some levels; `unknown` only when nothing is known at all. */
export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'unknown';
  for (const level of levels) if (LEVEL_ORDER[level] > LEVEL_ORDER[worst]) worst = level;
  return worst;
}

export function compareLevels(a: Level, b: Level): number {
  return LEVEL_ORDER[a] - LEVEL_ORDER[b];
}

/**
 * Whether a value meets a target, taking the condition literally. Amazon's report states
 * `GREATER_THAN 0.95` for valid tracking while its help pages say ">= 95 %"; we follow the report
 * (it is the machine-readable truth and its `targetCondition` wins everywhere else), so exactly
 * 95 % misses. That is stricter by one boundary value and errs toward an early warning.
 */
export function meetsTarget(value: number, target: Target): boolean {
  const v = toDecimal(value);
  const t = toDecimal(target.value);
  if (!v || !t) return false;
  const order = compareDecimals(v, t);
  switch (target.condition) {
    case 'LESS_THAN':
      return order < 0;
    case 'GREATER_THAN':
      return order > 0;
    case 'EQUALS':
      return order === 0;
  }
}

/**
 * Whether a value that meets its target is at least `margin` of the way from perfect (0 for
 * LESS_THAN, 1 for GREATER_THAN) to the target, in exact decimals: 0.0075 is 75 % of the way to
 * 1 %, not 74.99... An EQUALS target has no way to go (any move breaks it): never "near".
 */
function nearTarget(value: number, target: Target, margin: number): boolean {
  const v = toDecimal(value);
  const t = toDecimal(target.value);
  const m = toDecimal(margin);
  if (!v || !t || !m) return false;
  // v >= m * t  (distance from 0)
  if (target.condition === 'LESS_THAN') {
    return v.numerator * m.denominator * t.denominator >= m.numerator * t.numerator * v.denominator;
  }
  // 1 - v >= m * (1 - t)  (distance from 1)
  if (target.condition === 'GREATER_THAN') {
    return (v.denominator - v.numerator) * m.denominator * t.denominator >= m.numerator * (t.denominator - t.numerator) * v.denominator;
  }
  return false;
}

/** No defect counted yet: the best value the target's direction allows. */
function cleanWindow(value: number, target: Target): boolean {
  if (target.condition === 'LESS_THAN') return value === 0;
  if (target.condition === 'GREATER_THAN') return value === 1;
  return false;
}

export function evaluateMetric(id: MetricId, reading: MetricReading, thresholds: Thresholds): MetricEvaluation {
  const info = METRICS[id];
  const effectiveTarget = reading.target ?? info.fallbackTarget;
  const { value } = reading;
  let headroom =
    value === null
      ? null
      : info.kind === 'count'
        ? countHeadroom(value, effectiveTarget)
        : rateHeadroom(reading.counts, effectiveTarget);

  let level: Level;
  if (reading.amazonStatus === 'BAD') level = 'breach';
  else if (value === null) level = 'unknown';
  else if (!meetsTarget(value, effectiveTarget)) level = 'breach';
  else {
    // A policy count's headroom is always 0 while it is clean (any violation breaks it), so
    // "headroom is low" says nothing there: only rates warn on headroom. Nor does it for a rate
    // whose window is still clean (0 % cancelled, 100 % tracked): a small seller's short window
    // always has little headroom, and "0 % is nearing its target" would be a standing false alarm.
    const lowHeadroom = info.kind === 'rate' && headroom !== null && headroom <= thresholds.headroomWarn && !cleanWindow(value, effectiveTarget);
    level = lowHeadroom || nearTarget(value, effectiveTarget, thresholds.warnMargin) ? 'warn' : 'ok';
  }
  // Once broken there is nothing left to spend, whoever said so (the counts, the rate or Amazon).
  if (level === 'breach') headroom = null;
  return { ...reading, level, headroom, effectiveTarget };
}

/**
 * The account status's own level. AT_RISK and DEACTIVATED are a breach on their own (SPEC.md).
 * A status outside Amazon's enum (the schema's own example has `SUSPENDED`) cannot be read as
 * fine, so it asks for a look (`warn`); no status row at all says nothing (`unknown`).
 */
function accountLevel(snapshot: MarketplaceSnapshot): Level {
  switch (snapshot.accountStatus) {
    case 'AT_RISK':
    case 'DEACTIVATED':
      return 'breach';
    case 'NORMAL':
      return 'ok';
    case 'UNKNOWN':
      return snapshot.accountStatusRaw === null ? 'unknown' : 'warn';
  }
}

/**
 * Evaluates every metric of a marketplace snapshot.
 *
 * @example
 * const evaluation = evaluate(snapshot, resolveThresholds(rules, storeId, snapshot.marketplaceId));
 * evaluation.metrics.odrMfn?.headroom; // 0 = the next defective order breaks ODR
 */
export function evaluate(snapshot: MarketplaceSnapshot, thresholds: ResolvedThresholds): MarketplaceEvaluation {
  const metrics: Partial<Record<MetricId, MetricEvaluation>> = {};
  // Catalog order, and only catalog ids: a stored snapshot may carry ids a later catalog dropped.
  for (const id of METRIC_IDS) {
    const reading = snapshot.metrics[id];
    if (reading) metrics[id] = evaluateMetric(id, reading, thresholds(id));
  }
  const levels = Object.values(metrics).map((m) => m.level);
  levels.push(accountLevel(snapshot));
  return {
    marketplaceId: snapshot.marketplaceId,
    level: worstLevel(levels),
    accountStatus: snapshot.accountStatus,
    accountStatusRaw: snapshot.accountStatusRaw,
    ahr: snapshot.ahr,
    metrics,
  };
}
