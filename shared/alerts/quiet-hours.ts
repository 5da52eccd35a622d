/**
 * Quiet hours in a member's own time zone. Pure: the wall clock comes in as `now`; Intl with an
 * explicit `timeZone` is deterministic for a given instant, so it is allowed here.
 */

/** `HH:MM` 24-hour local times; `start === end` means no quiet hours. The range may wrap midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

/** China is where most of our users are (docs/architecture.md#who-it-serves). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight for `HH:MM`, or null when the text is not a valid time. */
export function parseHhMm(text: string): number | null {
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** True when `timeZone` is an IANA name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    // Constructing the formatter is the check: it throws RangeError for an unknown zone.
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone !== '';
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const zone = isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** Minutes after local midnight at instant `now` in `timeZone` (unknown zones fall back to Shanghai). */
export function localMinuteOfDay(now: number, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/**
 * When quiet hours are on at `now`, the instant they end (start of the minute local time reads
 * `end`); null when they are off or not configured. Around a DST switch the end may land an hour
 * early or late - acceptable for "don't wake me", and China has no DST.
 */
export function quietUntil(quiet: QuietHours | null, timeZone: string, now: number): number | null {
  if (!quiet) return null;
  const start = parseHhMm(quiet.start);
  const end = parseHhMm(quiet.end);
  if (start === null || end === null || start === end) return null;
  const local = localMinuteOfDay(now, timeZone);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return null;
  const minutesLeft = (end - local + 1440) % 1440;
  return Math.floor(now / 60_000) * 60_000 + minutesLeft * 60_000;
}
