/**
 * Warn thresholds and their scopes: workspace -> store -> marketplace, each either for all metrics
 * or for one. The narrowest scope that sets a field wins: rules can tighten any threshold per
 * workspace, per store and per marketplace (docs/levels.md#8-rule-defaults).
 */
import type { MetricId, ResolvedThresholds, ThresholdOverrides, ThresholdRules, Thresholds } from './types.ts';

/** The defaults (docs/levels.md#8-rule-defaults): warn at 75 % of the way to the target, or when headroom is at or below 1. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { warnMargin: 0.75, headroomWarn: 1 };

export function marketplaceScopeKey(storeId: string, marketplaceId: string): string {
  return `${storeId}/${marketplaceId}`;
}

// Rules arrive as stored JSON: a field that is not a finite number is treated as not set.
function apply(into: Thresholds, overrides: Partial<Thresholds> | undefined): void {
  if (!overrides) return;
  if (Number.isFinite(overrides.warnMargin)) into.warnMargin = overrides.warnMargin as number;
  if (Number.isFinite(overrides.headroomWarn)) into.headroomWarn = overrides.headroomWarn as number;
}

/** Within one scope the metric's own entry beats the scope's `all`. */
function applyScope(into: Thresholds, scope: ThresholdOverrides | undefined, metric: MetricId): void {
  apply(into, scope?.all);
  apply(into, scope?.metrics?.[metric]);
}

/**
 * Resolves the thresholds that apply to one marketplace of one store.
 *
 * @example
 * const thresholds = resolveThresholds(rules, store.id, 'ATVPDKIKX0DER');
 * thresholds('odrMfn'); // { warnMargin: 0.75, headroomWarn: 1 } unless a rule says otherwise
 */
export function resolveThresholds(rules: ThresholdRules, storeId: string, marketplaceId: string): ResolvedThresholds {
  const store = rules.stores?.[storeId];
  const marketplace = rules.marketplaces?.[marketplaceScopeKey(storeId, marketplaceId)];
  return (metric) => {
    const result: Thresholds = { ...DEFAULT_THRESHOLDS };
    applyScope(result, rules.workspace, metric);
    applyScope(result, store, metric);
    applyScope(result, marketplace, metric);
    return result;
  };
}
