/**
 * Judges a marketplace snapshot: a level and a headroom per metric, and a level for the
 * marketplace. SPEC.md "What is measured": breach when Amazon says BAD or the target is missed;
 * warn inside the margin or when headroom is low; unknown without data. Account status AT_RISK or
 * DEACTIVATED is critical on its own. The report's target and status win; the catalog is the
 * fallback.
 */
import { countHeadroom, rateHeadroom } from './headroom.ts';
import { METRICS } from './metrics.ts';
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
 * Whether a value meets a target, taking the condition literally: Amazon's report states
 * `GREATER_THAN 0.95` for valid tracking, so exactly 95 % does not meet it. That is stricter than
 * the help pages' ">= 95 %" by one boundary value, and errs on the side of an early warning.
 */
export function meetsTarget(value: number, target: Target): boolean {
  switch (target.condition) {
    case 'LESS_THAN':
      return value < target.value;
    case 'GREATER_THAN':
      return value > target.value;
    case 'EQUALS':
      return value === target.value;
  }
}

/** How far the value has moved from perfect toward the target: 0 = perfect, 1 = at the target. */
function progressTowardTarget(value: number, target: Target): number | null {
  if (target.condition === 'LESS_THAN') return target.value > 0 ? value / target.value : null;
  if (target.condition === 'GREATER_THAN') return target.value < 1 ? (1 - value) / (1 - target.value) : null;
  return null;
}

// Float noise guard for the margin comparison (0.0075 / 0.01 must count as 75 %).
const EPSILON = 1e-9;

export function evaluateMetric(id: MetricId, reading: MetricReading, thresholds: Thresholds): MetricEvaluation {
  const info = METRICS[id];
  const effectiveTarget = reading.target ?? info.fallbackTarget;
  const { value } = reading;
  const headroom =
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
    const progress = progressTowardTarget(value, effectiveTarget);
    const nearTarget = progress !== null && progress + EPSILON >= thresholds.warnMargin;
    // A policy count's headroom is always 0 while it is clean (any violation breaks it), so
    // "headroom is low" says nothing there: only rates warn on headroom.
    const lowHeadroom = info.kind === 'rate' && headroom !== null && headroom <= thresholds.headroomWarn;
    level = nearTarget || lowHeadroom ? 'warn' : 'ok';
  }
  return { ...reading, level, headroom, effectiveTarget };
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
  for (const [id, reading] of Object.entries(snapshot.metrics) as Array<[MetricId, MetricReading]>) {
    metrics[id] = evaluateMetric(id, reading, thresholds(id));
  }
  const levels = Object.values(metrics).map((m) => m.level);
  if (snapshot.accountStatus === 'AT_RISK' || snapshot.accountStatus === 'DEACTIVATED') levels.push('breach');
  else if (snapshot.accountStatus === 'NORMAL') levels.push('ok');
  return {
    marketplaceId: snapshot.marketplaceId,
    level: worstLevel(levels),
    accountStatus: snapshot.accountStatus,
    accountStatusRaw: snapshot.accountStatusRaw,
    ahr: snapshot.ahr,
    metrics,
  };
}
