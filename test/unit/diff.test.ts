import { describe, expect, it } from 'vitest';
import { diff } from '../../shared/diff.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import type { MarketplaceEvaluation } from '../../shared/types.ts';
import { buildReport, type MarketplaceFigures } from './helpers/report-builder.ts';

const US = 'ATVPDKIKX0DER';
const thresholds = resolveThresholds({}, 'store-1', US);
const ctx = (snapshotKey: string) => ({ snapshotKey, thresholds });

function judged(figures: Omit<MarketplaceFigures, 'marketplaceId'>): MarketplaceEvaluation {
  const result = parseSellerPerformanceReport(buildReport({ marketplaceId: US, ...figures }));
  if (!result.ok) throw new Error(result.error);
  return evaluate(result.marketplaces[0]!, thresholds);
}

const healthy = { odrMfn: { defects: 0, orders: 1000 } };
const warnOdr = { odrMfn: { defects: 2, orders: 250 } };
const breachOdr = { odrMfn: { defects: 3, orders: 252 } };
/** Only the level changes: the builder's defects are negative feedback, whose rise is its own event (tested below). */
const levelChanges = (events: ReturnType<typeof diff>) => events.filter((e) => e.kind === 'level_changed');

describe('diff: metric level changes', () => {
  it('finds nothing when nothing changed', () => {
    expect(diff(judged(healthy), judged(healthy), ctx('s2'))).toEqual([]);
  });

  it('reports ODR moving from ok to warn with the numbers a message needs', () => {
    expect(levelChanges(diff(judged(healthy), judged(warnOdr), ctx('s2')))).toEqual([
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

  it('reports a breach as critical', () => {
    // 3 defective of 252 against < 1 %: at most 2 fit, so 1 over; 49 defect-free orders more make 3 of 301 < 1 %.
    expect(levelChanges(diff(judged(warnOdr), judged(breachOdr), ctx('s3')))).toMatchObject([
      { kind: 'level_changed', from: 'warn', to: 'breach', severity: 'critical', detail: { headroom: null, over: 1, wayBack: 49 } },
    ]);
    expect(levelChanges(diff(judged(healthy), judged(breachOdr), ctx('s3')))).toMatchObject([{ from: 'ok', to: 'breach', severity: 'critical' }]);
  });

  it('reports the way back too: a recovery to ok is info, an easing to warn is a warning', () => {
    expect(diff(judged(breachOdr), judged(healthy), ctx('s4'))).toMatchObject([{ kind: 'level_changed', from: 'breach', to: 'ok', severity: 'info' }]);
    expect(diff(judged(warnOdr), judged(healthy), ctx('s4'))).toMatchObject([{ from: 'warn', to: 'ok', severity: 'info' }]);
    expect(diff(judged(breachOdr), judged(warnOdr), ctx('s4'))).toMatchObject([{ from: 'breach', to: 'warn', severity: 'warning' }]);
  });

  it('stays quiet when a metric goes missing (that is the relay\'s data_stale) or first appears healthy', () => {
    const before = judged(healthy);
    const without = { ...before, metrics: { ...before.metrics, odrMfn: undefined } } as MarketplaceEvaluation;
    expect(diff(before, without, ctx('s2'))).toEqual([]);
    expect(diff(without, before, ctx('s3'))).toEqual([]);
  });
});

describe('diff: the first snapshot', () => {
  it('says nothing about a healthy store', () => {
    expect(diff(null, judged(healthy), ctx('s1'))).toEqual([]);
  });

  it('still alerts on a store that is already in trouble', () => {
    expect(diff(null, judged({ ...breachOdr, status: 'AT_RISK' }), ctx('s1'))).toMatchObject([
      { kind: 'account_status_changed', from: null, to: 'AT_RISK', severity: 'critical', key: `${US}|account_status_changed|-|->AT_RISK|s1` },
      { kind: 'level_changed', metric: 'odrMfn', from: 'unknown', to: 'breach', severity: 'critical' },
    ]);
  });

  it('reports a metric that starts in warn, an unhealthy AHR and a status outside the enum', () => {
    const first = { ...judged({ ...warnOdr, status: 'SUSPENDED' }), ahr: { status: 'WARNED', score: 150 } };
    expect(diff(null, first, ctx('s1'))).toMatchObject([
      { kind: 'account_status_changed', to: 'SUSPENDED', severity: 'warning' },
      { kind: 'ahr_status_changed', from: null, to: 'WARNED', severity: 'warning', detail: { valueFrom: null, valueTo: 150 } },
      { kind: 'level_changed', metric: 'odrMfn', from: 'unknown', to: 'warn', severity: 'warning' },
    ]);
  });
});

describe('diff: account, AHR, policy counts and headroom', () => {
  it('reports account status changes, critical toward AT_RISK or DEACTIVATED and info back to NORMAL', () => {
    const normal = judged(healthy);
    const deactivated = judged({ ...healthy, status: 'DEACTIVATED' });
    expect(diff(normal, deactivated, ctx('s2'))).toMatchObject([{ kind: 'account_status_changed', from: 'NORMAL', to: 'DEACTIVATED', severity: 'critical', metric: null }]);
    expect(diff(deactivated, normal, ctx('s3'))).toMatchObject([{ kind: 'account_status_changed', from: 'DEACTIVATED', to: 'NORMAL', severity: 'info' }]);
  });

  it('reports AHR status changes with the scores when the report has them', () => {
    const before = { ...judged(healthy), ahr: { status: 'GREAT', score: 428 } };
    const after = { ...judged(healthy), ahr: { status: 'WARNED', score: 150 } };
    expect(diff(before, after, ctx('s2'))).toMatchObject([
      { kind: 'ahr_status_changed', from: 'GREAT', to: 'WARNED', severity: 'warning', detail: { valueFrom: 428, valueTo: 150 } },
    ]);
    expect(diff(after, before, ctx('s3'))).toMatchObject([{ kind: 'ahr_status_changed', to: 'GREAT', severity: 'info' }]);
  });

  it('reports a listing policy count rising as a warning with its category, and not falling', () => {
    const events = diff(judged({ ...healthy, violations: 1 }), judged({ ...healthy, violations: 3 }), ctx('s2'));
    expect(events).toMatchObject([
      { kind: 'policy_count_rose', metric: 'listingPolicyViolations', from: '1', to: '3', severity: 'warning', detail: { valueFrom: 1, valueTo: 3, category: 'listing' } },
    ]);
    expect(diff(judged({ ...healthy, violations: 3 }), judged({ ...healthy, violations: 2 }), ctx('s3'))).toEqual([]);
  });

  it('reports the first listing violation as a count rising, not as a level change, and its clearing as a recovery', () => {
    expect(diff(judged(healthy), judged({ ...healthy, violations: 1 }), ctx('s2'))).toMatchObject([{ kind: 'policy_count_rose', from: '0', to: '1', severity: 'warning' }]);
    expect(diff(judged({ ...healthy, violations: 1 }), judged(healthy), ctx('s3'))).toMatchObject([{ kind: 'level_changed', metric: 'listingPolicyViolations', from: 'warn', to: 'ok', severity: 'info' }]);
  });

  it('makes a rising intellectual property, authenticity, safety or restricted count critical', () => {
    const base = judged(healthy);
    const withCount = (metric: 'receivedIntellectualPropertyComplaints' | 'productAuthenticityCustomerComplaints' | 'productSafetyCustomerComplaints' | 'restrictedProductPolicyViolations' | 'otherPolicyViolations', n: number) => ({
      ...base,
      metrics: { ...base.metrics, [metric]: { ...base.metrics[metric]!, value: n, level: 'warn' as const } },
    });
    for (const metric of ['receivedIntellectualPropertyComplaints', 'productAuthenticityCustomerComplaints', 'productSafetyCustomerComplaints', 'restrictedProductPolicyViolations'] as const) {
      expect(diff(base, withCount(metric, 1), ctx('s2'))).toMatchObject([{ kind: 'policy_count_rose', metric, severity: 'critical' }]);
    }
    expect(diff(base, withCount('otherPolicyViolations', 1), ctx('s2'))).toMatchObject([{ kind: 'policy_count_rose', severity: 'warning', detail: { category: 'other' } }]);
  });

  it('reports headroom falling to the rule inside warn only on the crossing', () => {
    const at = (late: number) => judged({ late: { late, orders: 300 } });
    // 300 orders under 4 %: at most 11 late. 9 late is 3 % (75 % of the way: warn) with 2 left.
    expect(at(9).metrics.lateShipmentRate).toMatchObject({ level: 'warn', headroom: 2 });
    expect(diff(at(9), at(10), ctx('b'))).toMatchObject([
      { kind: 'headroom_low', metric: 'lateShipmentRate', from: '2', to: '1', severity: 'warning', detail: { headroom: 1 } },
    ]);
    expect(diff(at(10), at(11), ctx('c'))).toEqual([]);
    expect(diff(at(11), at(10), ctx('d'))).toEqual([]);
  });

  it("uses the rule's own headroom threshold", () => {
    // Warn from half way, and when 2 or fewer late shipments are left: 7, 8 and 9 late of 300 all
    // warn, with 4, 3 and 2 left.
    const strict = resolveThresholds({ workspace: { metrics: { lateShipmentRate: { warnMargin: 0.5, headroomWarn: 2 } } } }, 'store-1', US);
    const at = (late: number) => {
      const result = parseSellerPerformanceReport(buildReport({ marketplaceId: US, late: { late, orders: 300 } }));
      if (!result.ok) throw new Error(result.error);
      return evaluate(result.marketplaces[0]!, strict);
    };
    expect(diff(at(7), at(8), { snapshotKey: 'a', thresholds: strict })).toEqual([]);
    expect(diff(at(8), at(9), { snapshotKey: 'b', thresholds: strict })).toMatchObject([{ kind: 'headroom_low', from: '3', to: '2' }]);
    expect(diff(at(9), at(9), { snapshotKey: 'c', thresholds: strict })).toEqual([]);
  });
});

describe('diff: order and keys', () => {
  const before = judged(healthy);
  const after = judged({ ...breachOdr, late: { late: 11, orders: 300 }, violations: 2, status: 'AT_RISK' });

  it('is deterministic: the same step replayed gives the same events and keys', () => {
    expect(diff(before, after, ctx('k'))).toEqual(diff(before, after, ctx('k')));
    expect(diff(structuredClone(before), structuredClone(after), ctx('k'))).toEqual(diff(before, after, ctx('k')));
  });

  it('orders by severity, then account, AHR and the catalog order of metrics', () => {
    const events = diff(before, after, ctx('k'));
    expect(events.map((e) => [e.severity, e.kind, e.metric])).toEqual([
      ['critical', 'account_status_changed', null],
      ['critical', 'level_changed', 'odrMfn'],
      ['warning', 'odr_defects_rose', 'odrMfn'],
      ['warning', 'level_changed', 'lateShipmentRate'],
      ['warning', 'policy_count_rose', 'listingPolicyViolations'],
    ]);
  });

  it('builds every key from marketplace, kind, metric (and part), from, to and the snapshot key, all different', () => {
    const events = diff(before, after, ctx('job-42'));
    const subject = (e: (typeof events)[number]) => `${e.metric ?? '-'}${e.detail.part ? `:${e.detail.part}` : ''}`;
    for (const e of events) expect(e.key).toBe(`${US}|${e.kind}|${subject(e)}|${e.from ?? '-'}>${e.to ?? '-'}|job-42`);
    expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
  });

  it('keys the same change in another snapshot differently', () => {
    const [a] = diff(judged(healthy), judged(warnOdr), ctx('x'));
    const [b] = diff(judged(healthy), judged(warnOdr), ctx('y'));
    expect(a!.key).not.toBe(b!.key);
  });
});
