/**
 * Turns two evaluations of one marketplace into events: what changed that a person may need to
 * know (SPEC.md "Events"). Deterministic and ordered, each event with a stable key so that a
 * replayed pipeline step produces the same keys and storage can ignore the repeat.
 */
import { compareLevels } from './evaluate.ts';
import { METRIC_IDS, METRICS } from './metrics.ts';
import type {
  AccountStatus,
  HealthEvent,
  HealthEventKind,
  MarketplaceEvaluation,
  MetricEvaluation,
  MetricId,
  ResolvedThresholds,
  Severity,
} from './types.ts';

export interface DiffContext {
  /** Identifies the new snapshot (e.g. its content hash or id): part of every event key. */
  snapshotKey: string;
  thresholds: ResolvedThresholds;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** AHR statuses that need no attention. Amazon documents GREAT and WARNED in the report schema. */
const HEALTHY_AHR = new Set(['GREAT', 'GOOD', 'HEALTHY']);

function eventKey(marketplaceId: string, kind: HealthEventKind, metric: MetricId | null, from: string | null, to: string | null, snapshotKey: string): string {
  return [marketplaceId, kind, metric ?? '-', `${from ?? '-'}>${to ?? '-'}`, snapshotKey].join('|');
}

function accountSeverity(to: AccountStatus): Severity {
  if (to === 'AT_RISK' || to === 'DEACTIVATED') return 'critical';
  return to === 'NORMAL' ? 'info' : 'warning';
}

function levelSeverity(metric: MetricEvaluation): Severity {
  if (metric.level === 'breach') return 'critical';
  return metric.level === 'warn' ? 'warning' : 'info';
}

/**
 * Events between the previous evaluation of a marketplace (null for the first one) and the next.
 *
 * @example
 * diff(previous, next, { snapshotKey: snapshot.id, thresholds })
 * // [{ kind: 'level_changed', metric: 'odrMfn', from: 'warn', to: 'breach', severity: 'critical', ... }]
 */
export function diff(previous: MarketplaceEvaluation | null, next: MarketplaceEvaluation, ctx: DiffContext): HealthEvent[] {
  const events: Array<HealthEvent & { order: number }> = [];
  const marketplaceId = next.marketplaceId;
  const push = (
    order: number,
    kind: HealthEventKind,
    severity: Severity,
    metric: MetricId | null,
    from: string | null,
    to: string | null,
    detail: HealthEvent['detail'] = {},
  ) => {
    events.push({ key: eventKey(marketplaceId, kind, metric, from, to, ctx.snapshotKey), kind, severity, marketplaceId, metric, from, to, detail, order });
  };

  const statusFrom = previous ? previous.accountStatusRaw ?? previous.accountStatus : null;
  const statusTo = next.accountStatusRaw ?? next.accountStatus;
  if (previous ? statusFrom !== statusTo : next.accountStatus !== 'NORMAL' && next.accountStatusRaw !== null) {
    push(-2, 'account_status_changed', accountSeverity(next.accountStatus), null, statusFrom, statusTo);
  }

  const ahrFrom = previous?.ahr.status ?? null;
  const ahrTo = next.ahr.status;
  if (ahrTo !== null && (previous ? ahrFrom !== ahrTo : !HEALTHY_AHR.has(ahrTo))) {
    push(-1, 'ahr_status_changed', HEALTHY_AHR.has(ahrTo) ? 'info' : 'warning', null, ahrFrom, ahrTo, {
      valueFrom: previous?.ahr.score ?? null,
      valueTo: next.ahr.score,
    });
  }

  METRIC_IDS.forEach((id, order) => {
    const after = next.metrics[id];
    // A metric going quiet is not a level change: missing data is the relay's `data_stale` event.
    if (!after || after.level === 'unknown') return;
    const before = previous?.metrics[id];
    const detail: HealthEvent['detail'] = {
      valueFrom: before?.value ?? null,
      valueTo: after.value,
      target: after.effectiveTarget,
      headroom: after.headroom,
      window: after.window,
    };
    const levelBefore = before?.level ?? 'unknown';
    if (levelBefore !== after.level) {
      // A first look (or a metric appearing) only speaks up when something needs attention;
      // a metric that was merely unknown and is now fine is not news.
      if (levelBefore !== 'unknown' || compareLevels(after.level, 'ok') > 0) {
        push(order, 'level_changed', levelSeverity(after), id, levelBefore, after.level, detail);
      }
      return;
    }
    // Same level: finer changes inside it.
    if (METRICS[id].kind === 'count') {
      if (before?.value != null && after.value !== null && after.value > before.value) {
        push(order, 'policy_count_rose', 'warning', id, String(before.value), String(after.value), detail);
      }
      return;
    }
    const limit = ctx.thresholds(id).headroomWarn;
    const headroomBefore = before?.headroom ?? null;
    if (after.level !== 'breach' && after.headroom !== null && after.headroom <= limit && (headroomBefore === null || headroomBefore > limit)) {
      push(order, 'headroom_low', 'warning', id, headroomBefore === null ? null : String(headroomBefore), String(after.headroom), detail);
    }
  });

  return events
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.order - b.order)
    .map(({ order: _order, ...event }) => event);
}
