/**
 * Small text helpers for messages: numbers as people read them, limits counted the way each
 * channel counts them, and untrusted text made inert.
 */
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../alerts/quiet-hours.ts';
import { compareDecimals, toDecimal } from '../decimal.ts';
import type { DateWindow, Target } from '../types.ts';

/** A fraction as a percentage with at most two decimals: 0.0112 -> "1.12%", 0.009 -> "0.9%". */
export function percent(fraction: number): string {
  const text = (fraction * 100).toFixed(2).replace(/\.?0+$/, '');
  return `${text}%`;
}

const MAX_DECIMALS = 6;

/** -1, 0 or 1 as a is below, equal to or above b, exactly; null when either is not a finite number. */
function order(a: number, b: number): number | null {
  const x = toDecimal(a);
  const y = toDecimal(b);
  return x && y ? Math.sign(compareDecimals(x, y)) : null;
}

/**
 * How many decimals of a percentage keep a rate on its side of the target: two as usual, more when
 * rounding would move the value onto or across the target - 0.996 % beside "< 1%" needs three
 * ("0.996%"), since "1%" would read as a breach next to 接近超标. The popup's Intl formatting
 * asks the same question.
 */
export function percentDecimals(fraction: number, target: Target | null | undefined): number {
  const truth = target ? order(fraction, target.value) : null;
  if (truth === null || !target) return 2;
  for (let decimals = 2; decimals <= MAX_DECIMALS; decimals++) {
    if (order(Number((fraction * 100).toFixed(decimals)) / 100, target.value) === truth) return decimals;
  }
  return MAX_DECIMALS;
}

/** A fraction as a percentage that never contradicts its target (see percentDecimals). */
export function percentBeside(fraction: number, target: Target | null | undefined): string {
  return `${(fraction * 100).toFixed(percentDecimals(fraction, target)).replace(/\.?0+$/, '')}%`;
}

/** A metric value: rates as % (with enough digits not to contradict `target`), counts as integers. */
export function metricValue(value: number | null | undefined, kind: 'rate' | 'count', target?: Target | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return kind === 'rate' ? percentBeside(value, target) : String(Math.round(value));
}

const CONDITION: Record<Target['condition'], string> = { LESS_THAN: '<', GREATER_THAN: '>', EQUALS: '=' };

/** "< 1%", "> 95%", "= 0". */
export function targetText(target: Target, kind: 'rate' | 'count'): string {
  return `${CONDITION[target.condition]} ${metricValue(target.value, kind)}`;
}

/** The date part of an ISO timestamp (the report's windows are ISO-8601). */
function day(iso: string): string {
  const m = /^\d{4}-\d{2}-\d{2}/.exec(iso);
  return m ? m[0] : iso.slice(0, 10);
}

export function windowText(span: DateWindow, separator: string): string {
  return `${day(span.from)}${separator}${day(span.to)}`;
}

/** Local date and time `YYYY-MM-DD HH:MM` of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
}

/** Size in UTF-8 bytes: how WeCom counts its 4096 limit. (No TextEncoder: shared/ has no web APIs.) */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Length in characters (code points): how the Official Account counts its 20 per field. */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/** At most `max` characters, the last one an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Untrusted text (store names come from Amazon or a person) made inert in markdown: no tags, no
 * links, no emphasis, no `<@mention>`, no line breaks - replaced by look-alike characters. Also
 * no HTML entities (`&lt;@all&gt;` would come back as a tag in WeCom's HTML-ish markdown), no
 * backslash escapes, and no bare URLs, which WeCom and WeChat make clickable on their own.
 */
export function inert(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '＆')
    .replace(/\\/g, '＼')
    .replace(/:\/\//g, '：//')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\[/g, '［')
    .replace(/\]/g, '］')
    .replace(/[*_`~#|]/g, ' ')
    .trim();
}
