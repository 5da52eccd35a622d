import { describe, expect, it } from 'vitest';
import { defaultDigestSettings, digestBaseline, digestDueDay, instantOfLocal, localClock, nextDigestAt, zoneOffsetMs } from '../../shared/digest/digest-due.ts';

const SHANGHAI = { enabled: true, hour: 9, timeZone: 'Asia/Shanghai' };
const HOUR = 3_600_000;
// 09:00 in Shanghai on 2026-12-07 is 01:00 UTC.
const NINE_SH = Date.UTC(2026, 11, 7, 1);

describe('digest due rule', () => {
  it('is on at 09:00 Asia/Shanghai for WeCom robots and off for the other channels by default', () => {
    expect(defaultDigestSettings('wecom')).toEqual(SHANGHAI);
    expect(defaultDigestSettings('serverchan').enabled).toBe(false);
    expect(defaultDigestSettings('oa').enabled).toBe(false);
  });

  it('is not due before the local hour, due at it, and not again that local day', () => {
    expect(digestDueDay(SHANGHAI, '2026-12-06', NINE_SH - 60_000)).toBeNull();
    expect(digestDueDay(SHANGHAI, '2026-12-06', NINE_SH)).toBe('2026-12-07');
    expect(digestDueDay(SHANGHAI, '2026-12-07', NINE_SH + 60_000)).toBeNull();
    expect(digestDueDay(SHANGHAI, '2026-12-07', NINE_SH + 14 * HOUR)).toBeNull();
    expect(digestDueDay(SHANGHAI, '2026-12-07', NINE_SH + 24 * HOUR)).toBe('2026-12-08');
  });

  it('catches up later the same day when the ticks around the hour were missed', () => {
    expect(digestDueDay(SHANGHAI, '2026-12-06', NINE_SH + 5 * HOUR)).toBe('2026-12-07');
    expect(digestDueDay(SHANGHAI, null, NINE_SH + 5 * HOUR)).toBe('2026-12-07');
  });

  it('counts a first look after the hour as today served, before it as yesterday', () => {
    expect(digestBaseline(SHANGHAI, NINE_SH + HOUR)).toBe('2026-12-07');
    expect(digestBaseline(SHANGHAI, NINE_SH - HOUR)).toBe('2026-12-06');
    expect(digestDueDay(SHANGHAI, digestBaseline(SHANGHAI, NINE_SH - HOUR), NINE_SH)).toBe('2026-12-07');
    expect(digestBaseline(SHANGHAI, Date.UTC(2026, 0, 1, 0))).toBe('2025-12-31');
  });

  it('is never due while switched off', () => {
    expect(digestDueDay({ ...SHANGHAI, enabled: false }, null, NINE_SH)).toBeNull();
    expect(nextDigestAt({ ...SHANGHAI, enabled: false }, null, NINE_SH)).toBeNull();
  });

  it('uses the local day of its own zone: 07:00 in New York is still the 6th there', () => {
    const ny = { enabled: true, hour: 7, timeZone: 'America/New_York' };
    const sevenNy = Date.UTC(2026, 11, 6, 12);
    expect(localClock(sevenNy, 'America/New_York')).toEqual({ day: '2026-12-06', hour: 7, minute: 0 });
    expect(digestDueDay(ny, '2026-12-05', sevenNy)).toBe('2026-12-06');
    expect(digestDueDay(ny, '2026-12-06', sevenNy)).toBeNull();
  });

  it('does not send a day twice when the zone moves behind the one it was sent in', () => {
    // Sent at 09:00 Shanghai on the 7th; switched to Los Angeles, where it is still the 6th, 17:00.
    const la = { enabled: true, hour: 9, timeZone: 'America/Los_Angeles' };
    expect(digestDueDay(la, '2026-12-07', NINE_SH + HOUR)).toBeNull();
  });

  it('computes zone offsets from the instant alone, daylight saving included', () => {
    expect(zoneOffsetMs('Asia/Shanghai', NINE_SH)).toBe(8 * HOUR);
    expect(zoneOffsetMs('America/New_York', Date.UTC(2026, 6, 1, 12))).toBe(-4 * HOUR);
    expect(zoneOffsetMs('America/New_York', Date.UTC(2026, 11, 1, 12))).toBe(-5 * HOUR);
    expect(instantOfLocal('2026-12-07', 9, 'Asia/Shanghai')).toBe(NINE_SH);
    // 2026-03-08 is the spring-forward day in New York: 09:00 EDT is 13:00 UTC.
    expect(instantOfLocal('2026-03-08', 9, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 13));
  });

  it('names the next due instant: now when due, else the hour today or tomorrow', () => {
    expect(nextDigestAt(SHANGHAI, '2026-12-06', NINE_SH + HOUR)).toBe(NINE_SH + HOUR);
    expect(nextDigestAt(SHANGHAI, '2026-12-06', NINE_SH - HOUR)).toBe(NINE_SH);
    expect(nextDigestAt(SHANGHAI, '2026-12-07', NINE_SH + HOUR)).toBe(NINE_SH + 24 * HOUR);
    expect(nextDigestAt({ ...SHANGHAI, timeZone: 'Not/AZone' }, '2026-12-07', NINE_SH)).toBe(NINE_SH + 24 * HOUR);
  });
});
