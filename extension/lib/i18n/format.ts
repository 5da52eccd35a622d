/**
 * Numbers, dates and durations as each language writes them (Intl), for the popup, panels and
 * options. Pure: the time to compare against always comes in.
 */
import { percentDecimals } from '../../../shared/messages/format.ts';
import type { Target } from '../../../shared/types.ts';
import { type Language, intlLocale } from './i18n.ts';

const percentFormats = new Map<string, Intl.NumberFormat>();
const integerFormats = new Map<Language, Intl.NumberFormat>();

function percentFormat(language: Language, decimals = 2): Intl.NumberFormat {
  const key = `${language}/${decimals}`;
  let f = percentFormats.get(key);
  if (!f) percentFormats.set(key, (f = new Intl.NumberFormat(intlLocale(language), { style: 'percent', maximumFractionDigits: decimals })));
  return f;
}

function integerFormat(language: Language): Intl.NumberFormat {
  let f = integerFormats.get(language);
  if (!f) integerFormats.set(language, (f = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 })));
  return f;
}

/** Rates are fractions (0.009 = 0.9 %); counts are whole numbers. Missing values are a dash. */
export function formatValue(value: number | null | undefined, kind: 'rate' | 'count', language: Language, target?: Target | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  // Beside its target a rate gets the digits that keep it on its side: 0.996 % is never "1%".
  return kind === 'rate' ? percentFormat(language, percentDecimals(value, target)).format(value) : integerFormat(language).format(value);
}

export function formatNumber(value: number, language: Language): string {
  return integerFormat(language).format(value);
}

const CONDITION: Record<Target['condition'], string> = { LESS_THAN: '<', GREATER_THAN: '>', EQUALS: '' };

/**
 * "目标 < 1%", "目标 0 次" / "target < 1%", "target 0": a policy count's `EQUALS 0` is read as the
 * number of violations allowed, as Seller Central words it, never as "= 0".
 */
export function formatTarget(target: Target | null, kind: 'rate' | 'count', language: Language): string {
  if (!target) return '—';
  const value = formatValue(target.value, kind, language);
  const sign = CONDITION[target.condition];
  const amount = kind === 'count' && language === 'zh-CN' ? `${value} 次` : value;
  return `${language === 'en' ? 'target' : '目标'} ${sign ? `${sign} ` : ''}${amount}`;
}

/** How far past its target a value is: "0.4 个百分点" / "0.4 pts" for rates, "2 次" / "2" for counts. */
export function formatOvershoot(value: number, target: Target, kind: 'rate' | 'count', language: Language): string | null {
  const gap = Math.abs(value - target.value);
  if (kind === 'count') return language === 'en' ? formatNumber(gap, language) : `${formatNumber(gap, language)} 次`;
  const points = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 2 }).format(gap * 100);
  return language === 'en' ? `${points} pts` : `${points} 个百分点`;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 分钟前" / "3 minutes ago"; under a minute is "刚刚" / "just now" (Intl says "现在"). */
export function formatAgo(at: number, now: number, language: Language): string {
  const f = new Intl.RelativeTimeFormat(intlLocale(language), { numeric: 'auto' });
  const diff = Math.max(0, now - at);
  for (const [unit, ms] of UNITS) if (diff >= ms) return f.format(-Math.floor(diff / ms), unit);
  return language === 'en' ? 'just now' : '刚刚';
}

/** "10:42" today, "11月19日 10:42" another day: when something last happened, in local time. */
export function formatClock(at: number, now: number, language: Language, timeZone?: string): string {
  const zone = timeZone ? { timeZone } : {};
  const day = (n: number) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', ...zone }).format(n);
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zone } as const;
  const options: Intl.DateTimeFormatOptions = day(at) === day(now) ? time : { month: 'short', day: 'numeric', ...time };
  return new Intl.DateTimeFormat(intlLocale(language), options).format(at);
}

export function formatDateTime(at: number, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(at);
}

/** The report's windows are ISO dates; shown as calendar days, not shifted by the viewer's zone. */
export function formatWindow(window: { from: string; to: string } | null, language: Language): string {
  if (!window) return '—';
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${window.from} – ${window.to}`;
  const f = new Intl.DateTimeFormat(intlLocale(language), { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return f.formatRange(from, to);
}
