/**
 * Buyer feedback of a simulated seller and the GET_SELLER_FEEDBACK_DATA document built from it,
 * shaped like Amazon's real report (see test/fixtures/feedback/README.md for the sources): a
 * tab-delimited flat file with the six SP-API columns, only the negative and neutral (1-3 star)
 * rows, dates written the marketplace's way, and the character set of its region - UTF-8 in North
 * America, Windows-1252 ("Cp1252") for Europe, UTF-8 with a byte-order mark for the Far East.
 */
import type { Region } from './marketplaces.ts';

export const FEEDBACK_REPORT = 'GET_SELLER_FEEDBACK_DATA';

export interface FeedbackRow {
  marketplaceId: string;
  orderId: string;
  rating: number;
  comment: string;
  response: string;
  /** When the buyer left it (sandbox clock, ms). */
  at: number;
}

const DAY = 86_400_000;
const HEADER = ['Date', 'Rating', 'Comments', 'Response', 'Order ID', 'Rater Email'];

/** Per marketplace, as public readers of the real report parse it (airbyte's MARKETPLACE_DATE_FORMAT_MAP). */
function reportDate(ms: number, marketplaceId: string): string {
  const d = new Date(ms);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const yy = String(y % 100).padStart(2, '0');
  if (marketplaceId === 'ATVPDKIKX0DER') return `${m}/${day}/${yy}`;
  if (marketplaceId === 'A1PA6795UKMFR9') return `${day}.${m}.${yy}`;
  if (marketplaceId === 'A1VC38T7YXB528') return `${yy}/${m}/${day}`;
  if (marketplaceId === 'A2NODRKZP88ZB9') return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return `${day}/${m}/${yy}`;
}

/** A comment with a tab, a quote or a line break is quoted, quotes doubled (as flat files do). */
function cell(text: string): string {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A made-up anonymized buyer address, stable per order (the real report carries one). */
function raterEmail(orderId: string, domain: string): string {
  const letters = orderId.replace(/\D/g, '').split('').map((d) => 'abcdefghij'[Number(d)]).join('');
  return `${letters.slice(0, 14)}@marketplace.amazon.${domain}`;
}

export interface FeedbackDocumentBody {
  bytes: Uint8Array;
  contentType: string;
}

const CP1252_EXTRA: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '™': 0x99 };

function encodeCp1252(text: string): Uint8Array {
  return Uint8Array.from(Array.from(text, (ch) => {
    const cp = ch.codePointAt(0)!;
    return cp < 0x100 && (cp < 0x80 || cp > 0x9f) ? cp : (CP1252_EXTRA[ch] ?? 0x3f);
  }));
}

/** The document for one marketplace, rows from `from` to `to` (inclusive, sandbox clock), newest first. */
export function buildFeedbackDocument(rows: readonly FeedbackRow[], marketplaceId: string, region: Region, domain: string, from: number, to: number): FeedbackDocumentBody {
  const lines = rows
    .filter((r) => r.marketplaceId === marketplaceId && r.rating <= 3 && r.at >= from && r.at <= to)
    .sort((a, b) => b.at - a.at)
    .map((r) => [reportDate(r.at, marketplaceId), String(r.rating), cell(r.comment), cell(r.response), r.orderId, raterEmail(r.orderId, domain)].join('\t'));
  const text = [HEADER.join('\t'), ...lines].join('\r\n') + '\r\n';
  if (region === 'eu') return { bytes: encodeCp1252(text), contentType: 'text/plain; charset=Cp1252' };
  const utf8 = new TextEncoder().encode(region === 'fe' ? `\ufeff${text}` : text);
  return { bytes: utf8, contentType: 'text/plain; charset=UTF-8' };
}

/** Order ids like Amazon's (3-7-7 digits), from a per-sandbox counter so runs are repeatable. */
export function sandboxOrderId(n: number): string {
  const a = 100 + (n % 900);
  const b = String(1_000_000 + ((n * 7_919) % 9_000_000)).padStart(7, '0');
  const c = String(1_000_000 + ((n * 104_729) % 9_000_000)).padStart(7, '0');
  return `${a}-${b}-${c}`;
}

/** A couple of old rows per demo marketplace, so a first look has something to learn. */
export function demoFeedback(marketplaceIds: readonly string[], now: number, firstOrder: number): FeedbackRow[] {
  return marketplaceIds.flatMap((marketplaceId, i) => [
    { marketplaceId, orderId: sandboxOrderId(firstOrder + 2 * i), rating: 3, comment: 'Arrived a day late, product fine.', response: '', at: now - (12 + i) * DAY },
    ...(i === 0
      ? [{ marketplaceId, orderId: sandboxOrderId(firstOrder + 2 * i + 1), rating: 2, comment: 'Packaging was damaged.', response: 'Sorry about that - we sent a replacement.', at: now - 20 * DAY }]
      : []),
  ]);
}
