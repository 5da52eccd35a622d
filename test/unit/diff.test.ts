import { describe, expect, it } from 'vitest';
import { diff } from '../../shared/diff.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { buildReport, type MarketplaceFigures } from './helpers/report-builder.ts';

const US = 'ATVPDKIKX0DER';
const thresholds = resolveThresholds({}, 'store-1', US);

function judged(figures: Omit<MarketplaceFigures, 'marketplaceId'>): MarketplaceEvaluation {
  const result = parseSellerPerformanceReport(buildReport({ marketplaceId: US, ...figures }));
  if (!result.ok) throw new Error(result.error);
  return evaluate(result.marketplaces[0]!, thresholds);
}

const healthy = { odrMfn: { defects: 0, orders: 1000 } };

describe('diff', () => {
  it('finds nothing when nothing changed', () => {
    expect(diff(judged(healthy), judged(healthy), { snapshotKey: 's2', thresholds })).toEqual([]);
  });

  it('reports ODR moving from ok to warn with the numbers a message needs', () => {
    const events = diff(judged(healthy), judged({ odrMfn: { defects: 2, orders: 250 } }), { snapshotKey: 's2', thresholds });
    expect(events).toEqual([
      {
        key: `${US}|level_changed|odrMfn|ok>warn|s2`,
        kind: 'level_changed',
        severity: 'warning',
        marketplaceId: US,
        metric: 'odrMfn',
        from: 'ok',
        to: 'warn',
        detail: {
          valueFrom: 0,
          valueTo: 0.008,
          target: { value: 0.01, condition: 'LESS_THAN' },
          headroom: 0,
          window: { from: '2026-09-24T00:00Z', to: '2026-11-22T23:59Z' },
        },
      },
    ]);
  });

  it('reports a breach as critical and a recovery as info', () => {
    const warn = judged({ odrMfn: { defects: 2, orders: 250 } });
    const breach = judged({ odrMfn: { defects: 3, orders: 252 } });
    expect(diff(warn, breach, { snapshotKey: 's3', thresholds })).toMatchObject([{ kind: 'level_changed', from: 'warn', to: 'breach', severity: 'critical' }]);
    expect(diff(breach, judged(healthy), { snapshotKey: 's4', thresholds })).toMatchObject([{ kind: 'level_changed', from: 'breach', to: 'ok', severity: 'info' }]);
  });

  it('alerts on the first snapshot only for what needs attention', () => {
    expect(diff(null, judged(healthy), { snapshotKey: 's1', thresholds })).toEqual([]);
    expect(diff(null, judged({ odrMfn: { defects: 3, orders: 252 }, status: 'AT_RISK' }), { snapshotKey: 's1', thresholds })).toMatchObject([
      { kind: 'account_status_changed', from: null, to: 'AT_RISK', severity: 'critical' },
      { kind: 'level_changed', metric: 'odrMfn', from: 'unknown', to: 'breach' },
    ]);
  });

  it('reports a policy count rising while already in breach', () => {
    const events = diff(judged({ ...healthy, violations: 1 }), judged({ ...healthy, violations: 3 }), { snapshotKey: 's2', thresholds });
    expect(events).toMatchObject([{ kind: 'policy_count_rose', metric: 'listingPolicyViolations', from: '1', to: '3' }]);
  });

  it('reports headroom falling to the rule inside warn only on the crossing', () => {
    const at = (late: number) => judged({ late: { late, orders: 300 } });
    // 300 orders under 4 %: at most 11 late. 9 late is 3 % (75 % of the way: warn) with 2 left.
    expect(at(9).metrics.lateShipmentRate).toMatchObject({ level: 'warn', headroom: 2 });
    expect(diff(at(9), at(10), { snapshotKey: 'b', thresholds })).toMatchObject([
      { kind: 'headroom_low', metric: 'lateShipmentRate', from: '2', to: '1', severity: 'warning', detail: { headroom: 1 } },
    ]);
    expect(diff(at(10), at(11), { snapshotKey: 'c', thresholds })).toEqual([]);
  });

  it('reports AHR status changes', () => {
    const before = judged(healthy);
    const after = { ...judged(healthy), ahr: { status: 'WARNED', score: 150 } };
    expect(diff(before, after, { snapshotKey: 's2', thresholds })).toMatchObject([{ kind: 'ahr_status_changed', from: 'GREAT', to: 'WARNED', severity: 'warning' }]);
  });

  it('is deterministic: the same inputs give the same events and keys, ordered by severity', () => {
    const before = judged(healthy);
    const after = judged({ odrMfn: { defects: 3, orders: 252 }, late: { late: 11, orders: 300 }, violations: 2, status: 'AT_RISK' });
    const first = diff(before, after, { snapshotKey: 'k', thresholds });
    const second = diff(before, after, { snapshotKey: 'k', thresholds });
    expect(second).toEqual(first);
    const rank = (e: { severity: string }) => ['critical', 'warning', 'info'].indexOf(e.severity);
    expect(first.map(rank)).toEqual(first.map(rank).sort((a, b) => a - b));
    expect(first[0]).toMatchObject({ kind: 'account_status_changed', severity: 'critical' });
    expect(new Set(first.map((e) => e.key)).size).toBe(first.length);
  });

  it('keys the same change in another snapshot differently', () => {
    const [a] = diff(judged(healthy), judged({ odrMfn: { defects: 2, orders: 250 } }), { snapshotKey: 'x', thresholds });
    const [b] = diff(judged(healthy), judged({ odrMfn: { defects: 2, orders: 250 } }), { snapshotKey: 'y', thresholds });
    expect(a!.key).not.toBe(b!.key);
  });
});
