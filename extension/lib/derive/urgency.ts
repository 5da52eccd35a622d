/**
 * What needs action first: the worst metric of a marketplace or store, ranked by level and then
 * by how little room is left, and how far a broken metric is past its target. The relay judged
 * every metric; this only ranks what it said, so every surface leads with the same line.
 */
import type { MarketplaceOverview, MetricOverview, StoreOverview } from '../../../shared/api/index.ts';
import { METRICS, isMetricId } from '../../../shared/metrics.ts';
import { DEFAULT_THRESHOLDS } from '../../../shared/thresholds.ts';
import { LEVEL_RANK, marketplaceLevel, storeLevel } from './levels.ts';

export interface UrgentMetric {
  market: MarketplaceOverview;
  metricId: string;
  metric: MetricOverview;
  /** Shown as at risk: warn or breach, or a rate with at most the warn threshold of headroom left. */
  atRisk: boolean;
  /** Broken: defects (or missing good ones) past what the target allows, when the counts say. */
  overBy: number | null;
}

const CATALOG_ORDER = Object.keys(METRICS);

function kindOf(metricId: string): 'rate' | 'count' {
  return isMetricId(metricId) ? METRICS[metricId].kind : 'rate';
}

/** A rate still at 0 % defects (or 100 % good) has little headroom in a small window, yet nothing wrong. */
function cleanWindow(metric: MetricOverview): boolean {
  if (metric.value === null || !metric.target) return true;
  return metric.target.condition === 'GREATER_THAN' ? metric.value >= 1 : metric.value <= 0;
}

/**
 * At risk although the relay may say ok: a rate whose next defect or so breaks it (the default warn
 * threshold of headroom), in a window that already has defects. A clean policy count always has
 * headroom 0 ("the next violation breaks it") and is not at risk for that.
 */
export function isMetricAtRisk(metricId: string, metric: MetricOverview): boolean {
  if (metric.level === 'warn' || metric.level === 'breach') return true;
  if (metric.level !== 'ok' || kindOf(metricId) !== 'rate' || metric.headroom === null) return false;
  return metric.headroom <= DEFAULT_THRESHOLDS.headroomWarn && !cleanWindow(metric);
}

/**
 * How many defects past the target a broken rate is: the fewest that would have to go for it to
 * meet the target again (catalog counts `total` with `defects` or `good`). Counts: the count past
 * the target. Null when the counts do not say.
 */
export function overBy(metricId: string, metric: MetricOverview): number | null {
  const target = metric.target;
  if (metric.level !== 'breach' || !target || metric.value === null) return null;
  if (kindOf(metricId) === 'count') {
    // EQUALS 0 allows none; LESS_THAN t allows t - 1.
    const allowed = target.condition === 'EQUALS' ? target.value : target.condition === 'LESS_THAN' ? target.value - 1 : null;
    return allowed !== null && metric.value > allowed ? metric.value - allowed : null;
  }
  const total = metric.counts.total;
  if (total === undefined || total <= 0) return null;
  // Rounded a hair to absorb binary fractions: 0.01 * 500 is exactly 5 defects allowed "below".
  const edge = Math.round(target.value * total * 1e6) / 1e6;
  if (target.condition === 'LESS_THAN' && metric.counts.defects !== undefined) {
    const allowed = Math.ceil(edge) - 1;
    return metric.counts.defects > allowed ? metric.counts.defects - allowed : null;
  }
  if (target.condition === 'GREATER_THAN' && metric.counts.good !== undefined) {
    const needed = Math.floor(edge) + 1;
    return needed > metric.counts.good ? needed - metric.counts.good : null;
  }
  return null;
}

/** Lower sorts first: breach past by more, then less room left; metrics without headroom last. */
function pressure(metricId: string, metric: MetricOverview): number {
  if (metric.level === 'breach') return -(overBy(metricId, metric) ?? 0) - 1;
  return metric.headroom ?? Number.MAX_SAFE_INTEGER;
}

function rankOf(metricId: string, metric: MetricOverview): number {
  // An ok metric at risk ranks with the warnings: it is what the person should look at next.
  return isMetricAtRisk(metricId, metric) && metric.level === 'ok' ? LEVEL_RANK.warn : LEVEL_RANK[metric.level];
}

/** Worst first: level (at-risk ok ones with the warnings), then pressure, then catalog order. */
export function metricsWorstFirst(metrics: Readonly<Record<string, MetricOverview>>): [string, MetricOverview][] {
  const order = (id: string) => (isMetricId(id) ? CATALOG_ORDER.indexOf(id) : Number.MAX_SAFE_INTEGER);
  return Object.entries(metrics).sort(
    ([a, ma], [b, mb]) => rankOf(b, mb) - rankOf(a, ma) || pressure(a, ma) - pressure(b, mb) || order(a) - order(b),
  );
}

export function urgentOfMarket(market: MarketplaceOverview): UrgentMetric | null {
  const first = metricsWorstFirst(market.metrics)[0];
  if (!first) return null;
  const [metricId, metric] = first;
  return { market, metricId, metric, atRisk: isMetricAtRisk(metricId, metric), overBy: overBy(metricId, metric) };
}

function compareUrgent(a: UrgentMetric, b: UrgentMetric): number {
  return (
    LEVEL_RANK[marketplaceLevel(b.market)] - LEVEL_RANK[marketplaceLevel(a.market)] ||
    rankOf(b.metricId, b.metric) - rankOf(a.metricId, a.metric) ||
    pressure(a.metricId, a.metric) - pressure(b.metricId, b.metric) ||
    a.market.countryCode.localeCompare(b.market.countryCode)
  );
}

/** The one metric of the store that needs action first, across its marketplaces. */
export function urgentOfStore(store: StoreOverview): UrgentMetric | null {
  const all = store.marketplaces.map(urgentOfMarket).filter((u): u is UrgentMetric => u !== null);
  return all.sort(compareUrgent)[0] ?? null;
}

/** Stores by severity, then by how little room their worst metric has left, then by name. */
export function storesByUrgency(stores: readonly StoreOverview[]): StoreOverview[] {
  const keyed = stores.map((store) => {
    const urgent = urgentOfStore(store);
    return { store, level: LEVEL_RANK[storeLevel(store)], pressure: urgent ? pressure(urgent.metricId, urgent.metric) : Number.MAX_SAFE_INTEGER };
  });
  return keyed.sort((a, b) => b.level - a.level || a.pressure - b.pressure || a.store.name.localeCompare(b.store.name)).map((k) => k.store);
}

/** The detail's groups: what to look at, first; the rest folded; policy counts as one group. */
export interface DetailGroups {
  problems: [string, MetricOverview][];
  /** Healthy rates (and unknown ones), folded. */
  healthy: [string, MetricOverview][];
  /** Policy counts that are fine, as one group; the non-zero ones are named. */
  policy: { clean: number; nonZero: [string, MetricOverview][] };
}

export function detailGroups(metrics: Readonly<Record<string, MetricOverview>>): DetailGroups {
  const groups: DetailGroups = { problems: [], healthy: [], policy: { clean: 0, nonZero: [] } };
  for (const entry of metricsWorstFirst(metrics)) {
    const [id, metric] = entry;
    if (isMetricAtRisk(id, metric)) groups.problems.push(entry);
    else if (kindOf(id) === 'count') {
      if (metric.value !== null && metric.value > 0) groups.policy.nonZero.push(entry);
      else groups.policy.clean++;
    } else groups.healthy.push(entry);
  }
  return groups;
}
