/**
 * The feedback report writes its dates the way the marketplace's locale does, with no time and
 * no zone: `1/13/17` in the US, `13/1/17` in the UK, `13.1.17` in Germany, `17/1/13` in Japan,
 * `2017-01-13` in Sweden. The order per marketplace is the table public report readers keep
 * (airbytehq/airbyte, source-amazon-seller-partner, `SellerFeedbackReports`
 * MARKETPLACE_DATE_FORMAT_MAP, with a test per format); four-digit years are accepted too, and a
 * four-digit first part always means year first. Unknown marketplaces read day first, the
 * most common order.
 */

export type DateOrder = 'MDY' | 'DMY' | 'YMD';

const ORDER_BY_MARKETPLACE: Readonly<Record<string, DateOrder>> = {
  ATVPDKIKX0DER: 'MDY', // US
  A1VC38T7YXB528: 'YMD', // JP: YY/M/D
  A2NODRKZP88ZB9: 'YMD', // SE: YYYY-MM-DD
};

export function dateOrderOf(marketplaceId: string): DateOrder {
  return ORDER_BY_MARKETPLACE[marketplaceId] ?? 'DMY';
}

function fullYear(text: string): number {
  const n = Number(text);
  return text.length <= 2 ? 2000 + n : n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `YYYY-MM-DD`, or null when the text is no date in the marketplace's order (a month 13, a
 * 31 June): a date we cannot read is reported as unknown rather than guessed.
 *
 * @example
 * feedbackDate('1/13/17', 'ATVPDKIKX0DER') // '2017-01-13'
 * feedbackDate('13.1.17', 'A1PA6795UKMFR9') // '2017-01-13'
 */
export function feedbackDate(text: string, marketplaceId: string): string | null {
  const parts = text.trim().split(/[/.-]/);
  if (parts.length !== 3 || parts.some((p) => !/^\d{1,4}$/.test(p))) return null;
  const [a, b, c] = parts as [string, string, string];
  const order: DateOrder = a.length === 4 ? 'YMD' : dateOrderOf(marketplaceId);
  const [y, m, d] = order === 'YMD' ? [a, b, c] : order === 'MDY' ? [c, a, b] : [c, b, a];
  if (y.length === 3 || m.length > 2 || d.length > 2) return null;
  const year = fullYear(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}
