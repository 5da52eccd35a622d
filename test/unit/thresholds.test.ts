import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, marketplaceScopeKey, resolveThresholds } from '../../shared/thresholds.ts';
import type { ThresholdRules } from '../../shared/types.ts';

const US = 'ATVPDKIKX0DER';
const JP = 'A1VC38T7YXB528';

describe('resolveThresholds', () => {
  const rules: ThresholdRules = {
    workspace: { all: { warnMargin: 0.8 }, metrics: { odrMfn: { headroomWarn: 3 } } },
    stores: { s1: { all: { warnMargin: 0.7 } } },
    marketplaces: { [marketplaceScopeKey('s1', US)]: { metrics: { odrMfn: { warnMargin: 0.5 } } } },
  };

  it('uses the documented defaults with no rules: 75 % of the way, headroom 1', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ warnMargin: 0.75, headroomWarn: 1 });
    expect(resolveThresholds({}, 's1', US)('odrMfn')).toEqual({ warnMargin: 0.75, headroomWarn: 1 });
  });

  it('lets the marketplace scope beat the store, and the store beat the workspace', () => {
    expect(resolveThresholds(rules, 's1', US)('odrMfn').warnMargin).toBe(0.5);
    expect(resolveThresholds(rules, 's1', US)('lateShipmentRate').warnMargin).toBe(0.7);
    expect(resolveThresholds(rules, 's2', US)('lateShipmentRate').warnMargin).toBe(0.8);
  });

  it('resolves each field on its own: a narrower scope that sets one field inherits the other', () => {
    expect(resolveThresholds(rules, 's1', US)('odrMfn')).toEqual({ warnMargin: 0.5, headroomWarn: 3 });
  });

  it("lets a narrower scope's all-metrics value beat a wider scope's per-metric value", () => {
    const r: ThresholdRules = { workspace: { metrics: { odrMfn: { warnMargin: 0.9 } } }, stores: { s1: { all: { warnMargin: 0.6 } } } };
    expect(resolveThresholds(r, 's1', US)('odrMfn').warnMargin).toBe(0.6);
  });

  it("lets a metric's own entry beat the all-metrics value of the same scope", () => {
    const r: ThresholdRules = { stores: { s1: { all: { headroomWarn: 2 }, metrics: { odrAfn: { headroomWarn: 5 } } } } };
    expect(resolveThresholds(r, 's1', US)('odrAfn').headroomWarn).toBe(5);
    expect(resolveThresholds(r, 's1', US)('odrMfn').headroomWarn).toBe(2);
  });

  it('keeps one marketplace rule to its own store and marketplace', () => {
    expect(resolveThresholds(rules, 's1', JP)('odrMfn').warnMargin).toBe(0.7);
    expect(resolveThresholds(rules, 's2', US)('odrMfn').warnMargin).toBe(0.8);
  });

  it('ignores values that are not finite numbers (rules come from stored JSON)', () => {
    const r = { workspace: { all: { warnMargin: Number.NaN, headroomWarn: '4' } } } as unknown as ThresholdRules;
    expect(resolveThresholds(r, 's1', US)('odrMfn')).toEqual(DEFAULT_THRESHOLDS);
  });

  it('hands out a fresh object each time, so a caller cannot change the defaults', () => {
    const resolved = resolveThresholds({}, 's1', US);
    resolved('odrMfn').warnMargin = 0;
    expect(resolved('odrMfn').warnMargin).toBe(0.75);
    expect(DEFAULT_THRESHOLDS.warnMargin).toBe(0.75);
  });
});
