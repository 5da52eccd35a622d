import { describe, expect, it } from 'vitest';
import { headroomPhrase } from '../../extension/lib/derive/headroom-phrase.ts';
import { backoffDelay } from '../../extension/lib/derive/sync-policy.ts';
import { sparkline } from '../../extension/lib/derive/sparkline.ts';
import { formatAgo, formatClock, formatOvershoot, formatTarget, formatValue, formatWindow } from '../../extension/lib/i18n/format.ts';
import { normalizeRelayUrl } from '../../extension/lib/platform/settings.ts';

const MIN = 60_000;

describe('numbers and dates per language', () => {
  it('shows rates as percentages and counts as whole numbers', () => {
    expect(formatValue(0.008, 'rate', 'en')).toBe('0.8%');
    expect(formatValue(0.0112, 'rate', 'zh-CN')).toBe('1.12%');
    expect(formatValue(12345, 'count', 'en')).toBe('12,345');
    expect(formatValue(null, 'rate', 'en')).toBe('—');
    // Beside its target, as many digits as keep the value on its side: never "1%" for 0.996 %.
    expect(formatValue(0.00996, 'rate', 'zh-CN', { value: 0.01, condition: 'LESS_THAN' })).toBe('0.996%');
    expect(formatValue(0.0089, 'rate', 'en', { value: 0.01, condition: 'LESS_THAN' })).toBe('0.89%');
  });

  it("writes targets with their condition, and a policy count's target as the number allowed", () => {
    expect(formatTarget({ value: 0.01, condition: 'LESS_THAN' }, 'rate', 'en')).toBe('target < 1%');
    expect(formatTarget({ value: 0.95, condition: 'GREATER_THAN' }, 'rate', 'zh-CN')).toBe('目标 > 95%');
    expect(formatTarget({ value: 0, condition: 'EQUALS' }, 'count', 'zh-CN')).toBe('目标 0 次');
    expect(formatTarget({ value: 0, condition: 'EQUALS' }, 'count', 'en')).toBe('target 0');
  });

  it('says how far past its target a value is, in percentage points for rates', () => {
    expect(formatOvershoot(0.014, { value: 0.01, condition: 'LESS_THAN' }, 'rate', 'zh-CN')).toBe('0.4 个百分点');
    expect(formatOvershoot(0.9, { value: 0.95, condition: 'GREATER_THAN' }, 'rate', 'en')).toBe('5 pts');
    expect(formatOvershoot(2, { value: 0, condition: 'EQUALS' }, 'count', 'zh-CN')).toBe('2 次');
  });

  it('writes the last sync as a clock time today and with the date on another day', () => {
    const now = Date.UTC(2025, 2, 14, 9, 30);
    expect(formatClock(Date.UTC(2025, 2, 14, 2, 42), now, 'zh-CN', 'Asia/Shanghai')).toBe('10:42');
    expect(formatClock(Date.UTC(2025, 2, 13, 2, 42), now, 'zh-CN', 'Asia/Shanghai')).toBe('3月13日 10:42');
  });

  it('says how long ago in each language', () => {
    const now = Date.UTC(2025, 2, 14, 9, 30);
    expect(formatAgo(now - 3 * MIN, now, 'en')).toBe('3 minutes ago');
    expect(formatAgo(now - 3 * MIN, now, 'zh-CN')).toBe('3分钟前');
    expect(formatAgo(now - 2 * 86_400_000, now, 'en')).toBe('2 days ago');
    expect(formatAgo(now - 5_000, now, 'en')).toBe('just now');
    expect(formatAgo(now - 5_000, now, 'zh-CN')).toBe('刚刚');
  });

  it('shows a reporting window as calendar days, whatever the viewer\'s time zone', () => {
    // Intl puts thin spaces around the dash.
    expect(formatWindow({ from: '2025-01-13T00:00:00Z', to: '2025-03-14T00:00:00Z' }, 'en').replace(/\s/g, ' ')).toBe('Jan 13 – Mar 14');
    expect(formatWindow(null, 'en')).toBe('—');
  });
});

describe('headroom in words', () => {
  it('says how many more defects break the target, as the WeChat messages do', () => {
    expect(headroomPhrase('odrMfn', { headroom: 2, level: 'warn' }, 'zh-CN')).toBe('再有 2 笔缺陷订单将超标');
    expect(headroomPhrase('odrMfn', { headroom: 2, level: 'warn' }, 'en')).toBe('2 more defective orders and ODR (MFN) breaks');
    expect(headroomPhrase('odrMfn', { headroom: 0, level: 'warn' }, 'en')).toBe('the next defective order breaks ODR (MFN)');
  });

  it('says there is none left once the target is broken, and nothing for unknown metrics', () => {
    expect(headroomPhrase('lateShipmentRate', { headroom: null, level: 'breach' }, 'zh-CN')).toBe('已无余量');
    expect(headroomPhrase('someNewMetric', { headroom: 3, level: 'ok' }, 'en')).toBeNull();
  });

  it('says how far over a breach is and the way back, as the overview gives them', () => {
    const breach = { headroom: null, level: 'breach' as const, over: 3, wayBack: 66 };
    expect(headroomPhrase('lateShipmentRate10d', breach, 'zh-CN')).toBe('已无余量，超出 3 笔迟发订单 · 需再有约 66 笔按时发货的订单才能回到目标内');
    expect(headroomPhrase('lateShipmentRate10d', breach, 'en')).toBe('none - 3 late shipments over the limit · about 66 more orders shipped on time to be back under target');
  });
});

describe('sparkline', () => {
  it('draws one segment per run of values and breaks at a missing one', () => {
    const line = sparkline(
      [
        { takenAt: 0, value: 0.01 },
        { takenAt: 1, value: 0.02 },
        { takenAt: 2, value: null },
        { takenAt: 3, value: 0.03 },
        { takenAt: 4, value: 0.02 },
      ],
      { width: 64, height: 18, pad: 2 },
    );
    expect(line?.path.match(/M/g)).toHaveLength(2);
    expect(line?.last).toEqual({ x: 62, y: 9 });
  });

  it('puts the target line inside the drawn range, and draws nothing from a single point', () => {
    const line = sparkline([{ takenAt: 0, value: 0.005 }, { takenAt: 1, value: 0.008 }], { width: 64, height: 18, target: 0.01 });
    expect(line?.targetY).toBe(2);
    expect(sparkline([{ takenAt: 0, value: 1 }], { width: 64, height: 18 })).toBeNull();
  });
});

describe('small rules', () => {
  it('backs off 30 s, 1 min, 2 min... up to 30 min', () => {
    expect([1, 2, 3, 4, 10, 100].map((n) => backoffDelay(n))).toEqual([30_000, 60_000, 120_000, 240_000, 30 * MIN, 30 * MIN]);
  });

  it('reads a relay address as typed, https by default, plain http only on this machine', () => {
    expect(normalizeRelayUrl('storewatch.example.workers.dev/')).toBe('https://storewatch.example.workers.dev');
    expect(normalizeRelayUrl('https://relay.example.com/v1/')).toBe('https://relay.example.com');
    expect(normalizeRelayUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(normalizeRelayUrl('http://relay.example.com')).toBeNull();
    expect(normalizeRelayUrl('https://user:pw@relay.example.com')).toBeNull();
  });
});
