/**
 * Turns two evaluations of one marketplace into events: what changed that a person may need to
 * know - levels and headroom, and what the report itself says: policy counts rising (severity by
 * category), warning states turning BAD and clearing, the Account Health Rating's status and
 * score, new A-to-z claims, chargebacks and negative feedback inside the ODR window, suspended
 * listings (docs/levels.md). Deterministic and ordered, each event with a stable key so that a
 * replayed pipeline step produces the same keys and storage can ignore the repeat.
 */
import { ahrLevel, compareLevels } from './evaluate.ts';
import { METRIC_IDS, METRICS } from './metrics.ts';
import type {
  AccountStatus,
  HealthEvent,
  HealthEventKind,
  MarketplaceEvaluation,
  MetricEvaluation,
  MetricId,
  PolicyCategory,
  ResolvedThresholds,
  Severity,
  WarningState,
} from './types.ts';

export interface DiffContext {
  /** Identifies the new snapshot (e.g. its content hash or id): part of every event key. */
  snapshotKey: string;
  thresholds: ResolvedThresholds;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Policy categories whose every new count is critical (intellectual property, authenticity, safety, restricted products). */
const CRITICAL_POLICY: ReadonlySet<PolicyCategory> = new Set(['intellectualProperty', 'authenticity', 'safety', 'restricted']);

/** The ODR's breakdown counts (orderDefectRate.{mfn,afn}.{claims,chargebacks,negativeFeedback}.count). */
export const ODR_PARTS = ['claims', 'chargebacks', 'negativeFeedback'] as const;

export function policySeverity(category: PolicyCategory | undefined): Severity {
  return category && CRITICAL_POLICY.has(category) ? 'critical' : 'warning';
}

function eventKey(marketplaceId: string, kind: HealthEventKind, subject: string, from: string | null, to: string | null, snapshotKey: string): string {
  return [marketplaceId, kind, subject, `${from ?? '-'}>${to ?? '-'}`, snapshotKey].join('|');
}

function ahrSeverity(level: ReturnType<typeof ahrLevel>): Severity {
  return level === 'breach' ? 'critical' : level === 'warn' ? 'warning' : 'info';
}

const isBad = (status: string | undefined) => status === 'BAD';

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
    const subject = detail.part === undefined ? (metric ?? '-') : `${metric ?? '-'}:${detail.part}`;
    events.push({ key: eventKey(marketplaceId, kind, subject, from, to, ctx.snapshotKey), kind, severity, marketplaceId, metric, from, to, detail, order });
  };

  const statusFrom = previous ? previous.accountStatusRaw ?? previous.accountStatus : null;
  const statusTo = next.accountStatusRaw ?? next.accountStatus;
  if (previous ? statusFrom !== statusTo : next.accountStatus !== 'NORMAL' && next.accountStatusRaw !== null) {
    push(-2, 'account_status_changed', accountSeverity(next.accountStatus), null, statusFrom, statusTo);
  }

  const ahrFrom = previous?.ahr.status ?? null;
  const ahrTo = next.ahr.status;
  const ahrNow = ahrLevel(next.ahr);
  const scores = { valueFrom: previous?.ahr.score ?? null, valueTo: next.ahr.score };
  if (ahrTo !== null && (previous ? ahrFrom !== ahrTo : ahrNow !== 'ok')) {
    push(-1, 'ahr_status_changed', ahrSeverity(ahrNow), null, ahrFrom, ahrTo, scores);
  } else if (previous && previous.ahr.score !== null && next.ahr.score !== null && previous.ahr.score !== next.ahr.score) {
    // Same status, new score: a drop is a problem (worse when it crosses into a lower band), a rise is good news.
    const severity = next.ahr.score < previous.ahr.score ? (ahrNow === 'ok' ? 'warning' : ahrSeverity(ahrNow)) : 'info';
    push(-1, 'ahr_score_changed', severity, null, String(previous.ahr.score), String(next.ahr.score), scores);
  }

  warningEvents(previous?.warningStates ?? null, next.warningStates ?? []).forEach(({ type, from, to }) => {
    push(-1, 'warning_state_changed', isBad(to ?? undefined) ? 'warning' : 'info', null, from, to, { part: type });
  });

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
      ...(after.level === 'breach' ? { over: after.over ?? null, wayBack: after.wayBack ?? null } : {}),
    };
    const info = METRICS[id];
    const levelBefore = before?.level ?? 'unknown';

    if (info.kind === 'count') {
      // A policy count speaks by its increases, with the severity of its category; going back to
      // 0 is the one level change worth a word (a recovery).
      const countBefore = before?.value ?? (previous ? 0 : null);
      if (after.value !== null && after.value > (countBefore ?? 0)) {
        const category = info.policyCategory;
        push(order, 'policy_count_rose', policySeverity(category), id, countBefore === null ? null : String(countBefore), String(after.value), { ...detail, ...(category ? { category } : {}) });
      } else if (after.level === 'ok' && levelBefore !== 'ok' && levelBefore !== 'unknown') {
        push(order, 'level_changed', 'info', id, levelBefore, after.level, detail);
      }
      return;
    }

    if (levelBefore !== after.level) {
      // A first look (or a metric appearing) only speaks up when something needs attention;
      // a metric that was merely unknown and is now fine is not news.
      if (levelBefore !== 'unknown' || compareLevels(after.level, 'ok') > 0) {
        push(order, 'level_changed', levelSeverity(after), id, levelBefore, after.level, detail);
      }
    } else {
      // Same level: finer changes inside it.
      const limit = ctx.thresholds(id).headroomWarn;
      const headroomBefore = before?.headroom ?? null;
      if (after.level !== 'breach' && after.headroom !== null && after.headroom <= limit && (headroomBefore === null || headroomBefore > limit)) {
        push(order, 'headroom_low', 'warning', id, headroomBefore === null ? null : String(headroomBefore), String(after.headroom), detail);
      }
    }

    // New claims, chargebacks or negative feedback are news even while the rate is under target.
    // A count that rises means at least one new one (one leaving the window as another arrives
    // the same day goes unseen: the report has counts, not the claims themselves).
    if (before) {
      for (const part of ODR_PARTS) {
        const was = before.counts[part];
        const now = after.counts[part];
        if (was !== undefined && now !== undefined && now > was) {
          push(order, 'odr_defects_rose', 'warning', id, String(was), String(now), { ...detail, part });
        }
      }
    }
  });

  return events
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.order - b.order)
    .map(({ order: _order, ...event }) => event);
}

/**
 * Warning states that turned BAD or cleared, by `warningType`. A first look (`before` null)
 * reports only those that are BAD now; one that disappears from the report while BAD has cleared.
 */
function warningEvents(before: readonly WarningState[] | null, after: readonly WarningState[]): Array<{ type: string; from: string | null; to: string | null }> {
  const was = new Map((before ?? []).map((w) => [w.type, w.status]));
  const now = new Map(after.map((w) => [w.type, w.status]));
  const out: Array<{ type: string; from: string | null; to: string | null }> = [];
  for (const [type, status] of now) {
    if (isBad(status) && !isBad(was.get(type))) out.push({ type, from: was.get(type) ?? null, to: status });
    if (!isBad(status) && isBad(was.get(type))) out.push({ type, from: 'BAD', to: status });
  }
  for (const [type, status] of was) if (isBad(status) && !now.has(type)) out.push({ type, from: status, to: null });
  return out.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** What the Sellers API says of one marketplace: `participation.hasSuspendedListings`, null until known. */
export interface ParticipationReading {
  marketplaceId: string;
  hasSuspendedListings: boolean | null;
}

/**
 * Events from the Sellers API's participation flag: suspended listings appearing (a warning) and
 * clearing (a recovery). `snapshotKey` identifies the reading that brought the change.
 *
 * @example
 * suspendedListingsEvents({ marketplaceId, hasSuspendedListings: false }, { marketplaceId, hasSuspendedListings: true }, key)
 * // [{ kind: 'suspended_listings', from: 'false', to: 'true', severity: 'warning', ... }]
 */
export function suspendedListingsEvents(previous: ParticipationReading | null, next: ParticipationReading, snapshotKey: string): HealthEvent[] {
  const before = previous?.hasSuspendedListings ?? null;
  const after = next.hasSuspendedListings;
  if (after === null || before === after || (before === null && !after)) return [];
  const from = before === null ? null : String(before);
  const to = String(after);
  return [
    {
      key: eventKey(next.marketplaceId, 'suspended_listings', '-', from, to, snapshotKey),
      kind: 'suspended_listings',
      severity: after ? 'warning' : 'info',
      marketplaceId: next.marketplaceId,
      metric: null,
      from,
      to,
      detail: {},
    },
  ];
}
