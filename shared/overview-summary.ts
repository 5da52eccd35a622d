/**
 * A marketplace's overview entry, made from its evaluation once, when the snapshot is written
 * (relay/pipeline/snapshots.ts stores it beside the snapshot), so serving the overview never
 * parses a full evaluation. Compact by the rules of shared/api/overview.ts: only metrics that need
 * attention, and nothing a reader can rebuild (country code, NORMAL status, the catalog's target);
 * a broken rate keeps the counts that say how far past its target it is.
 */
import { type MarketplaceOverviewWire, catalogTarget, windowInterval } from './api/overview.ts';
import type { MarketplaceEvaluation, Target } from './types.ts';

function sameTarget(a: Target | null, b: Target | null): boolean {
  return a === b || (a !== null && b !== null && a.value === b.value && a.condition === b.condition);
}

function pick(counts: Readonly<Record<string, number>>, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.flatMap((n) => (counts[n] === undefined ? [] : [[n, counts[n]]])));
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
      // A broken metric says how far past its target it is and the way back ("3 over, 250 clean
      // orders bring it back"), and a broken rate the counts that figure comes from.
      ...(m.level === 'breach' && m.over !== undefined && m.over !== null ? { over: m.over } : {}),
      ...(m.level === 'breach' && m.wayBack !== undefined && m.wayBack !== null ? { wayBack: m.wayBack } : {}),
      ...(m.level === 'breach' && m.counts.total !== undefined ? { counts: pick(m.counts, ['total', 'defects', 'good']) } : {}),
    };
  }
  const ahr = e.ahr.score === null ? e.ahr.status : { status: e.ahr.status, score: e.ahr.score };
  return {
    marketplaceId: e.marketplaceId,
    level: e.level,
    ...(e.accountStatus === 'NORMAL' ? {} : { accountStatus: e.accountStatus }),
    ...(ahr ? { ahr } : {}),
    fetchedAt,
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}
