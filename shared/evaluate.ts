/**
 * Judges a marketplace snapshot: a level and a headroom per metric, and a level for the
 * marketplace, so that Storewatch agrees with Seller Central (docs/levels.md says it in full):
 *
 * - A rate: Amazon's own `status` decides breach where Amazon gives one - BAD is a breach; GOOD
 *   is ok or warn, never a breach; NONE (too few orders to judge) is at most warn. Our exact
 *   headroom and warn margin only warn early on top. With no status at all, our calculation
 *   decides (breach when the target is missed).
 * - A policy count is ok at 0 and warn above it, never a breach on its own: many healthy stores
 *   carry a few listing violations for months. Its increase is an event by category
 *   (shared/diff.ts); Amazon's verdict on policy compliance is the Account Health Rating.
 * - The marketplace: the worst of its rates, its counts, its account status and its rating.
 */
import { compareDecimals, toDecimal } from './decimal.ts';
import { countHeadroom, overTarget, rateHeadroom, wayBack } from './headroom.ts';
import { METRIC_IDS, METRICS } from './metrics.ts';
import type {
  AhrReading,
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

/** Our own verdict on a rate from its value, target and headroom alone: what decides when Amazon gives no status. */
function calculatedLevel(value: number | null, target: Target, headroom: number | null, thresholds: Thresholds): Level {
  if (value === null) return 'unknown';
  if (!meetsTarget(value, target)) return 'breach';
  // Low headroom says nothing for a window that is still clean (0 % cancelled, 100 % tracked): a
  // small seller's short window always has little headroom, and "0 % is nearing its target"
  // would be a standing false alarm.
  const lowHeadroom = headroom !== null && headroom <= thresholds.headroomWarn && !cleanWindow(value, target);
  return lowHeadroom || nearTarget(value, target, thresholds.warnMargin) ? 'warn' : 'ok';
}

/** A rate's level: Amazon's status where it gives one, our calculation capped by it. */
function rateLevel(reading: MetricReading, ours: Level): Level {
  switch (reading.amazonStatus) {
    case 'BAD':
      return 'breach';
    case 'GOOD':
      // Amazon says fine: at its target exactly (valid tracking 95 % against "> 95 %") or by a
      // rounding of its own, a miss by our arithmetic is an early warning, not a breach.
      if (ours === 'breach') return 'warn';
      return ours === 'unknown' ? 'ok' : ours;
    case 'NONE':
      // Too few orders to judge (1 late of 2): worth a look, not an alarm.
      return ours === 'breach' ? 'warn' : ours;
    case 'UNKNOWN':
      return ours;
  }
}

export function evaluateMetric(id: MetricId, reading: MetricReading, thresholds: Thresholds): MetricEvaluation {
  const info = METRICS[id];
  const effectiveTarget = reading.target ?? info.fallbackTarget;
  if (reading.problem !== undefined) {
    return { ...reading, level: 'unknown', headroom: null, effectiveTarget, over: null, wayBack: null };
  }
  const { value } = reading;
  let headroom =
    value === null
      ? null
      : info.kind === 'count'
        ? countHeadroom(value, effectiveTarget)
        : rateHeadroom(reading.counts, effectiveTarget);

  let level: Level;
  if (info.kind === 'count') {
    // Ok when clean, warn with any count, whatever its own status says (see the file comment).
    level = value === null ? 'unknown' : value > 0 ? 'warn' : 'ok';
    return { ...reading, level, headroom, effectiveTarget, over: null, wayBack: null };
  }
  level = rateLevel(reading, calculatedLevel(value, effectiveTarget, headroom, thresholds));
  if (level !== 'breach') return { ...reading, level, headroom, effectiveTarget, over: null, wayBack: null };
  // Once broken there is nothing left to spend, whoever said so (the counts, the rate or Amazon);
  // what is left to say is how far over it is and the way back.
  headroom = null;
  const back = wayBack(reading.counts, effectiveTarget);
  return { ...reading, level, headroom, effectiveTarget, over: overTarget(reading.counts, effectiveTarget), wayBack: back === 0 ? null : back };
}

/**
 * The account status's own level. AT_RISK and DEACTIVATED are a breach on their own.
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

/** Statuses Amazon's rating uses: the schema's GREAT and WARNED, and those third-party tools report. */
const AHR_STATUS_LEVEL: Readonly<Record<string, Level>> = {
  GREAT: 'ok',
  GOOD: 'ok',
  FAIR: 'ok',
  HEALTHY: 'ok',
  WARNED: 'warn',
  AT_RISK: 'warn',
  CRITICAL: 'breach',
  UNHEALTHY: 'breach',
};

/**
 * The Account Health Rating's own level. Seller Central bands the 0-1000 score: 200 and up
 * healthy, 100-199 at risk, under 100 unhealthy (as public tools read it); the status is used
 * too, and the worse of the two wins. A status we do not know asks for a look (`warn`).
 */
export function ahrLevel(ahr: AhrReading): Level {
  const byScore: Level = ahr.score === null ? 'unknown' : ahr.score < 100 ? 'breach' : ahr.score < 200 ? 'warn' : 'ok';
  const byStatus: Level = ahr.status === null ? 'unknown' : (AHR_STATUS_LEVEL[ahr.status.toUpperCase()] ?? 'warn');
  return worstLevel([byScore, byStatus]);
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
  levels.push(accountLevel(snapshot), ahrLevel(snapshot.ahr));
  return {
    marketplaceId: snapshot.marketplaceId,
    level: worstLevel(levels),
    accountStatus: snapshot.accountStatus,
    accountStatusRaw: snapshot.accountStatusRaw,
    ahr: snapshot.ahr,
    metrics,
    warningStates: snapshot.warningStates,
  };
}
