/**
 * A marketplace's overview entry, made from its evaluation once, when the snapshot is written
 * (relay/pipeline/snapshots.ts stores it beside the snapshot), so serving the overview never
 * parses a full evaluation. Compact by the rules of shared/api/overview.ts: only metrics that need
 * attention, and nothing a reader can rebuild (country code, NORMAL status, the catalog's target).
 */
import { type MarketplaceOverviewWire, catalogTarget, windowInterval } from './api/overview.ts';
import type { MarketplaceEvaluation, Target } from './types.ts';

function sameTarget(a: Target | null, b: Target | null): boolean {
  return a === b || (a !== null && b !== null && a.value === b.value && a.condition === b.condition);
}

export function marketplaceSummary(e: MarketplaceEvaluation, fetchedAt: number): MarketplaceOverviewWire {
  const metrics: NonNullable<MarketplaceOverviewWire['metrics']> = {};
  for (const [id, m] of Object.entries(e.metrics)) {
    if (!m || (m.level !== 'warn' && m.level !== 'breach')) continue;
    metrics[id] = {
      value: m.value,
      level: m.level,
      ...(m.headroom === null ? {} : { headroom: m.headroom }),
      ...(sameTarget(m.effectiveTarget, catalogTarget(id)) ? {} : { target: m.effectiveTarget }),
      ...(m.window ? { window: windowInterval(m.window) } : {}),
    };
  }
  const ahr = e.ahr.status === null && e.ahr.score === null ? null : { ...(e.ahr.status === null ? {} : { status: e.ahr.status }), ...(e.ahr.score === null ? {} : { score: e.ahr.score }) };
  return {
    marketplaceId: e.marketplaceId,
    level: e.level,
    ...(e.accountStatus === 'NORMAL' ? {} : { accountStatus: e.accountStatus }),
    ...(ahr ? { ahr } : {}),
    fetchedAt,
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}
