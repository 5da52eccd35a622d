/**
 * The level rules against held-out documents shaped like Amazon's real reports
 * (test/fixtures/levels/README.md says where each shape comes from): Storewatch agrees with
 * Seller Central, warns early on top, and turns what the report says into events.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, classifyEvent } from '../../shared/alerts/rules.ts';
import { diff, suspendedListingsEvents } from '../../shared/diff.ts';
import { evaluate } from '../../shared/evaluate.ts';
import { defaultCatalog } from '../../shared/messages/default-catalog.ts';
import { itemFacts } from '../../shared/messages/facts.ts';
import { renderForChannel } from '../../shared/messages/render.ts';
import { parseSellerPerformanceReport } from '../../shared/report-parser.ts';
import { resolveThresholds } from '../../shared/thresholds.ts';
import type { HealthEvent, MarketplaceEvaluation, MarketplaceSnapshot, Target } from '../../shared/types.ts';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const thresholds = resolveThresholds({}, 'store-1', US);
const NOW = Date.UTC(2026, 10, 23, 1, 0);

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/levels/${name}`, import.meta.url), 'utf8');
}

function snapshots(name: string): MarketplaceSnapshot[] {
  const result = parseSellerPerformanceReport(fixture(name));
  if (!result.ok) throw new Error(result.error);
  return result.marketplaces;
}

function judged(name: string, marketplaceId = US): MarketplaceEvaluation {
  const snapshot = snapshots(name).find((m) => m.marketplaceId === marketplaceId);
  if (!snapshot) throw new Error(`${name} has no ${marketplaceId}`);
  return evaluate(snapshot, resolveThresholds({}, 'store-1', marketplaceId));
}

function facts(event: HealthEvent, language: 'zh-CN' | 'en' = 'zh-CN') {
  return itemFacts({ alertId: 'a', storeName: 'Acme', event, category: 'problem', reminder: false, createdAt: NOW }, language, defaultCatalog, NOW);
}

describe('held-out documents: Amazon decides breach', () => {
  it('breaches on a 10-day late shipment rate Amazon marks BAD while the 30-day one is GOOD, each window its own metric', () => {
    const us = judged('late-shipment-10-day-bad.json');
    expect(us.metrics.lateShipmentRate10d).toMatchObject({ value: 0.0524, amazonStatus: 'BAD', level: 'breach', window: { from: '2026-11-13T00:00:00Z' } });
    expect(us.metrics.lateShipmentRate).toMatchObject({ value: 0.0302, amazonStatus: 'GOOD', level: 'warn' });
    expect(us.level).toBe('breach');
    // 11 late of 210 against < 4 %: at most 8 fit, so 3 over; 65 more on-time orders make 11 of 275 = 4 % - one more, 276, gets under.
    expect(us.metrics.lateShipmentRate10d).toMatchObject({ over: 3, wayBack: 66 });
  });

  it('does not breach a rate exactly at its target that Amazon calls GOOD: an early warning instead', () => {
    const us = judged('valid-tracking-at-target.json');
    expect(us.metrics.validTrackingRate).toMatchObject({ value: 0.95, amazonStatus: 'GOOD', level: 'warn' });
    expect(us.level).toBe('warn');
  });

  it("does not colour a marketplace red when its only blemish is two listing violations", () => {
    const us = judged('two-listing-violations.json');
    expect(us.metrics.listingPolicyViolations).toMatchObject({ value: 2, level: 'warn' });
    expect(us.level).not.toBe('breach');
    expect(us.level).toBe('warn');
  });

  it('keeps a small sample Amazon marks NONE (1 late of 2 orders) at a warning', () => {
    const us = judged('late-shipment-small-sample.json');
    expect(us.metrics.lateShipmentRate).toMatchObject({ amazonStatus: 'NONE', level: 'warn' });
    expect(us.level).toBe('warn');
  });
});

describe('held-out documents: one wrong-typed field', () => {
  it('completes the report, fails that metric alone with its reason, and reads every other metric and marketplace', () => {
    const result = parseSellerPerformanceReport(fixture('wrong-typed-rate.json'));
    expect(result).toMatchObject({ ok: true, problems: ['performanceMetrics[0].orderDefectRate.mfn.rate is "0.0031", expected a number.'] });
    const us = judged('wrong-typed-rate.json');
    expect(us.metrics.odrMfn).toMatchObject({ level: 'unknown', problem: expect.stringContaining('orderDefectRate.mfn.rate') });
    expect(us.metrics.odrAfn).toMatchObject({ value: 0.0033, level: 'ok' });
    expect(us.metrics.lateShipmentRate).toMatchObject({ value: 0.0095, level: 'ok' });
    expect(us.level).toBe('ok');
    expect(judged('wrong-typed-rate.json', CA).metrics.lateShipmentRate10d).toMatchObject({ value: 0.0083, level: 'ok' });
  });

  it('updates the marketplace: the other metrics change against the previous snapshot, the broken one says nothing', () => {
    const before = judged('late-shipment-10-day-bad.json');
    const events = diff(before, judged('wrong-typed-rate.json'), { snapshotKey: 's2', thresholds });
    expect(events.map((e) => [e.kind, e.metric, e.to])).toEqual([
      ['level_changed', 'lateShipmentRate', 'ok'],
      ['level_changed', 'lateShipmentRate10d', 'ok'],
    ]);
  });
});

describe('held-out documents: what the report says becomes events that alert by default', () => {
  it('raises a new A-to-z claim while the order defect rate stays under target and GOOD', () => {
    const before = judged('a-to-z-claim-before.json');
    const after = judged('a-to-z-claim-after.json');
    expect(after.metrics.odrMfn).toMatchObject({ level: 'ok', amazonStatus: 'GOOD' });
    const events = diff(before, after, { snapshotKey: 's2', thresholds });
    expect(events).toMatchObject([{ kind: 'odr_defects_rose', metric: 'odrMfn', from: '0', to: '1', severity: 'warning', detail: { part: 'claims' } }]);
    const event = events[0]!;
    expect(classifyEvent({ ...event, storeId: 'store-1', workspaceId: 'w1', createdAt: NOW }, DEFAULT_RULES)).toMatchObject({ alert: true, category: 'problem' });
    expect(facts(event).headline).toBe('订单缺陷率 ODR（FBM）新增 1 笔A-to-z 索赔');
    expect(facts(event).change).toBe('A-to-z 索赔 0 → 1 · 0.31% → 0.46%');
    expect(facts(event).target).toBe('目标 < 1%');
    expect(facts(event).changeCompact).toBe('A-to-z 索赔 0→1');
    expect(facts(event, 'en').headline).toBe('Order defect rate (seller-fulfilled) 1 new A-to-z claim');
  });

  it('raises a warning state turning BAD and its clearing, and a score drop under the same rating', () => {
    const clean = judged('a-to-z-claim-before.json');
    const warned = judged('warning-state-bad.json');
    const events = diff(clean, warned, { snapshotKey: 's2', thresholds });
    expect(facts(events[1]!).headline).toBe('账户警告变为 BAD');
    expect(facts(events[1]!).change).toBe('spammingSellerMessaging: — → BAD');
    expect(facts(events[0]!).headline).toBe('账户状况评级分数下降');
    expect(facts(events[0]!, 'en').headline).toBe('Account Health Rating score dropped');
    expect(events).toMatchObject([
      { kind: 'ahr_score_changed', from: '428', to: '396', severity: 'warning', detail: { valueFrom: 428, valueTo: 396 } },
      { kind: 'warning_state_changed', from: null, to: 'BAD', detail: { part: 'spammingSellerMessaging' } },
    ]);
    const back = diff(warned, clean, { snapshotKey: 's3', thresholds });
    expect(back).toMatchObject([
      { kind: 'ahr_score_changed', from: '396', to: '428', severity: 'info' },
      { kind: 'warning_state_changed', from: 'BAD', to: null, severity: 'info' },
    ]);
    for (const e of events) expect(classifyEvent({ ...e, storeId: 's', workspaceId: 'w1', createdAt: NOW }, DEFAULT_RULES)).toMatchObject({ alert: true, category: 'problem' });
    for (const e of back) expect(classifyEvent({ ...e, storeId: 's', workspaceId: 'w1', createdAt: NOW }, DEFAULT_RULES)).toMatchObject({ alert: true, category: 'recovery' });
  });

  it('raises suspended listings appearing from the Sellers API flag, and their clearing', () => {
    const appeared = suspendedListingsEvents({ marketplaceId: US, hasSuspendedListings: false }, { marketplaceId: US, hasSuspendedListings: true }, 'p2');
    expect(appeared).toMatchObject([{ kind: 'suspended_listings', from: 'false', to: 'true', severity: 'warning', key: `${US}|suspended_listings|-|false>true|p2` }]);
    expect(classifyEvent({ ...appeared[0]!, storeId: 's', workspaceId: 'w1', createdAt: NOW }, DEFAULT_RULES)).toMatchObject({ alert: true, category: 'problem' });
    expect(suspendedListingsEvents({ marketplaceId: US, hasSuspendedListings: true }, { marketplaceId: US, hasSuspendedListings: false }, 'p3')).toMatchObject([{ to: 'false', severity: 'info' }]);
    expect(suspendedListingsEvents(null, { marketplaceId: US, hasSuspendedListings: false }, 'p1')).toEqual([]);
    expect(suspendedListingsEvents({ marketplaceId: US, hasSuspendedListings: true }, { marketplaceId: US, hasSuspendedListings: null }, 'p4')).toEqual([]);
  });

  it('lets every new kind be switched off by the rules', () => {
    const event = diff(judged('a-to-z-claim-before.json'), judged('a-to-z-claim-after.json'), { snapshotKey: 's2', thresholds })[0]!;
    const rules = { ...DEFAULT_RULES, kinds: { ...DEFAULT_RULES.kinds, odr_defects_rose: false } };
    expect(classifyEvent({ ...event, storeId: 's', workspaceId: 'w1', createdAt: NOW }, rules)).toEqual({ alert: false, reason: 'kind_off' });
  });
});

describe('held-out documents: the breach message', () => {
  const breach = () => diff(judged('a-to-z-claim-before.json'), judged('late-shipment-10-day-bad.json'), { snapshotKey: 's2', thresholds }).find((e) => e.metric === 'lateShipmentRate10d')!;

  it('says how far over it is, the way back, what to do first and where Amazon explains it', () => {
    const f = facts(breach());
    expect(f.headline).toBe('迟发率 LSR（10 天）已超标');
    expect(f.headroom).toBe('已无余量，超出 3 笔迟发订单');
    expect(f.wayBack).toBe('需再有约 66 笔按时发货的订单才能回到目标内');
    expect(f.advice).toContain('预计发货日');
    expect(f.helpLink).toBe('https://sellercentral.amazon.com/help/hub/reference/external/G200285190');
    const en = facts(breach(), 'en');
    expect(en.headroom).toBe('none - 3 late shipments over the limit');
    expect(en.wayBack).toBe('about 66 more orders shipped on time to be back under target');
  });

  it('puts all of it in the WeCom message', () => {
    const r = renderForChannel('wecom', { items: [{ alertId: 'a', storeName: 'Acme', event: breach(), category: 'problem', reminder: false, createdAt: NOW }], language: 'zh-CN', timeZone: 'Asia/Shanghai', now: NOW, resend: false }, defaultCatalog);
    if (r.type !== 'wecom') throw new Error('wrong type');
    const text = r.body.markdown.content;
    expect(text).toContain('> 数值：0.95% → 5.24%（目标 < 4%）');
    expect(text).toContain('> 余量：已无余量，超出 3 笔迟发订单');
    expect(text).toContain('> 回到目标内：需再有约 66 笔按时发货的订单才能回到目标内');
    expect(text).toContain('> 先做：');
    expect(text).toContain('[亚马逊帮助](https://sellercentral.amazon.com/help/hub/reference/external/G200285190)');
  });
});

describe('rounding that never contradicts the level', () => {
  const near = (valueTo: number, target: Target = { value: 0.01, condition: 'LESS_THAN' }): HealthEvent => ({
    key: 'k',
    kind: 'level_changed',
    severity: 'warning',
    marketplaceId: US,
    metric: 'odrMfn',
    from: 'ok',
    to: 'warn',
    detail: { valueFrom: 0.005, valueTo, target, headroom: 0 },
  });

  it('prints 0.996 % beside "< 1%" and 接近超标, never "1%"', () => {
    const f = facts(near(0.00996));
    expect(f.verdict).toBe('接近超标');
    expect(f.change).toBe('0.5% → 0.996%');
    expect(f.target).toBe('目标 < 1%');
  });

  it('keeps two decimals where they already tell the value from the target, and shows an exact hit as the target', () => {
    expect(facts(near(0.0089)).change).toBe('0.5% → 0.89%');
    expect(facts(near(0.95, { value: 0.95, condition: 'GREATER_THAN' })).change).toBe('0.5% → 95%');
    expect(facts(near(0.950004, { value: 0.95, condition: 'GREATER_THAN' })).change).toBe('0.5% → 95.0004%');
  });
});
