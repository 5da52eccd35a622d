/**
 * When a channel's daily digest (早报) is due: at its chosen hour in its own IANA time zone, at
 * most once per local day. Pure: the instant comes in as `now`; Intl with an explicit `timeZone`
 * gives the same answer for the same instant on any machine, so it is allowed here.
 *
 * A tick missed around the hour is caught up later that same local day; a repeated tick finds
 * the day already sent. The relay also keys the digest it queues by channel and local day, so
 * two sweeps racing on one tick still send one.
 */
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../alerts/quiet-hours.ts';

export interface DigestSettings {
  enabled: boolean;
  /** Local hour, 0-23. */
  hour: number;
  /** IANA name, e.g. Asia/Shanghai. */
  timeZone: string;
}

export const DEFAULT_DIGEST_HOUR = 9;

/** On by default for WeCom group robots (a team reads them together in the morning), off elsewhere. */
export function defaultDigestSettings(channelType: string): DigestSettings {
  return { enabled: channelType === 'wecom', hour: DEFAULT_DIGEST_HOUR, timeZone: DEFAULT_TIME_ZONE };
}

export interface LocalClock {
  /** `YYYY-MM-DD` in the zone. */
  day: string;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOrDefault(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

function partsAt(at: number, timeZone: string): Record<string, number> {
  const zone = zoneOrDefault(timeZone);
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  // Some engines print midnight as 24 even with h23.
  out['hour'] = (out['hour'] ?? 0) % 24;
  return out;
}

const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');

export function localClock(at: number, timeZone: string): LocalClock {
  const p = partsAt(at, timeZone);
  return { day: `${p['year']}-${pad(p['month'])}-${pad(p['day'])}`, hour: p['hour'] ?? 0, minute: p['minute'] ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at instant `at`, in ms (Shanghai: +8 h). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const p = partsAt(at, timeZone);
  const wall = Date.UTC(p['year'] ?? 1970, (p['month'] ?? 1) - 1, p['day'] ?? 1, p['hour'] ?? 0, p['minute'] ?? 0, p['second'] ?? 0);
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the zone's wall clock reads `day` at `hour`:00 (a skipped DST hour lands an hour later). */
export function instantOfLocal(day: string, hour: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  // Two passes: the offset at the first guess may differ from the offset at the answer across a switch.
  const guess = wall - zoneOffsetMs(timeZone, wall);
  return wall - zoneOffsetMs(timeZone, guess);
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The local day a digest is due for at `now`, or null. `lastSentDay` is the local day of the
 * last digest sent (null: never). A day at or before it is never sent again - also when the zone
 * changed to one that is behind.
 *
 * @example
 * digestDueDay({ enabled: true, hour: 9, timeZone: 'Asia/Shanghai' }, '2026-12-06', Date.UTC(2026, 11, 7, 1)) // '2026-12-07'
 */
export function digestDueDay(settings: DigestSettings, lastSentDay: string | null, now: number): string | null {
  if (!settings.enabled) return null;
  const clock = localClock(now, settings.timeZone);
  if (clock.hour < settings.hour) return null;
  if (lastSentDay !== null && lastSentDay >= clock.day) return null;
  return clock.day;
}

function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * What a channel's first look counts as already sent: today once its hour has passed (a robot
 * added in the afternoon gets its first digest the next morning, not at once), else yesterday
 * (so this morning's digest still comes, also when the ticks around the hour are missed).
 */
export function digestBaseline(settings: DigestSettings, now: number): string {
  const clock = localClock(now, settings.timeZone);
  return clock.hour >= settings.hour ? clock.day : dayBefore(clock.day);
}

/**
 * The first instant at or after `now` when a digest is due: what the relay stores so its sweep
 * reads only channels whose time has come. Null when the digest is off.
 */
export function nextDigestAt(settings: DigestSettings, lastSentDay: string | null, now: number): number | null {
  if (!settings.enabled) return null;
  if (digestDueDay(settings, lastSentDay, now) !== null) return now;
  const today = localClock(now, settings.timeZone).day;
  let day = lastSentDay !== null && lastSentDay >= today ? nextDay(lastSentDay) : today;
  // At most a couple of steps: today's hour may already be past (then tomorrow's).
  for (let i = 0; i < 3; i++) {
    const at = instantOfLocal(day, settings.hour, settings.timeZone);
    if (at > now) return at;
    day = nextDay(day);
  }
  return instantOfLocal(day, settings.hour, settings.timeZone);
}
