/**
 * Reads a GET_SELLER_FEEDBACK_DATA document: Amazon's tab-delimited flat file of the negative and
 * neutral (1-3 star) feedback buyers left, one row per order.
 *
 * Shape, as public readers of the real report read it:
 * - SP-API today: six columns, Date, Rating, Comments, Response, Order ID, Rater Email
 *   (abuzuhri/Amazon-SP-API-CSharp `FeedbackOrderReport.cs`; airbytehq/airbyte
 *   `SellerFeedbackReportsGzipCsvDecoder`, which also notes the header words are localized to the
 *   marketplace's language while the column order stays the same);
 * - the older MWS layout: nine columns, with Arrived on Time, Item as Described and Customer
 *   Service between the response and the order id (public PHP readers index the order id at 7).
 * So columns are found by their English names when the header has them, otherwise by position
 * for the two known widths. Dates follow the marketplace's locale (feedback-dates.ts).
 *
 * The rater's e-mail is personal data Storewatch has no use for: it is never read.
 */
import { feedbackDate } from './feedback-dates.ts';
import { readTabSeparated } from './tab-separated.ts';

export const FEEDBACK_REPORT_TYPE = 'GET_SELLER_FEEDBACK_DATA';

export interface FeedbackEntry {
  orderId: string;
  /** 1-5 stars. */
  rating: number;
  /** `YYYY-MM-DD` as the report gives the day (the marketplace's own calendar); null when unreadable. */
  date: string | null;
  /** The buyer's comment, as written (untrusted text). */
  comment: string;
  /** The seller's public response; '' when none. */
  response: string;
}

export interface FeedbackDocument {
  marketplaceId: string;
  entries: FeedbackEntry[];
  /** Rows that could not be read (1-based line of the row in the file), so a caller can log them. */
  skipped: Array<{ row: number; reason: string }>;
}

export type FeedbackParseResult = { ok: true; document: FeedbackDocument } | { ok: false; error: string };

type Column = 'date' | 'rating' | 'comment' | 'response' | 'orderId';

/** English header words, squeezed to letters (`Order ID` -> `orderid`). */
const HEADER_NAMES: Readonly<Record<string, Column>> = {
  date: 'date',
  rating: 'rating',
  comments: 'comment',
  comment: 'comment',
  response: 'response',
  yourresponse: 'response',
  orderid: 'orderId',
};

/** Positions by width when the header words are localized. */
const LAYOUTS: Readonly<Record<number, Record<Column, number>>> = {
  6: { date: 0, rating: 1, comment: 2, response: 3, orderId: 4 },
  9: { date: 0, rating: 1, comment: 2, response: 3, orderId: 7 },
};

function columnsOf(header: readonly string[]): Record<Column, number> | null {
  const byName: Partial<Record<Column, number>> = {};
  header.forEach((cell, i) => {
    const column = HEADER_NAMES[cell.toLowerCase().replace(/[^a-z]/g, '')];
    if (column && byName[column] === undefined) byName[column] = i;
  });
  const { date, rating, comment, response, orderId } = byName;
  if (date !== undefined && rating !== undefined && comment !== undefined && orderId !== undefined) {
    return { date, rating, comment, response: response ?? -1, orderId };
  }
  return LAYOUTS[header.length] ?? null;
}

/** Amazon order ids are 3-7-7 digits; anything id-like is kept, free text is not. */
const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{4,39}$/;

/**
 * One row's cells under the header's columns. An unquoted tab inside a comment adds cells: the
 * columns before the comment are read from the start, those after it from the end, and the cells
 * between are the comment.
 */
function cellsOf(cells: readonly string[], width: number, columns: Record<Column, number>): ((c: Column) => string) | null {
  const extra = cells.length - width;
  if (extra < 0) return null;
  const at = (i: number) => (i < 0 ? '' : (i > columns.comment ? cells[i + extra] : cells[i]) ?? '');
  return (c) => (c === 'comment' ? cells.slice(columns.comment, columns.comment + extra + 1).join('\t') : at(columns[c]));
}

/**
 * Parses the document text (see report-text.ts for bytes). Never throws.
 *
 * @example
 * const parsed = parseFeedbackReport(text, 'ATVPDKIKX0DER');
 * if (parsed.ok) parsed.document.entries.filter((e) => e.rating <= 2);
 */
export function parseFeedbackReport(text: string, marketplaceId: string): FeedbackParseResult {
  const rows = readTabSeparated(text);
  const header = rows[0];
  if (!header) return { ok: true, document: { marketplaceId, entries: [], skipped: [] } };
  const columns = columnsOf(header);
  if (!columns) return { ok: false, error: `Unrecognized feedback report header (${header.length} columns)` };
  const entries = new Map<string, FeedbackEntry>();
  const skipped: FeedbackDocument['skipped'] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const cell = cellsOf(cells, header.length, columns);
    if (!cell) {
      skipped.push({ row, reason: `${cells.length} of ${header.length} columns` });
      return;
    }
    const rating = cell('rating').trim();
    const orderId = cell('orderId').trim();
    if (!/^[1-5]$/.test(rating)) {
      skipped.push({ row, reason: 'rating is not 1-5' });
      return;
    }
    if (!ORDER_ID.test(orderId)) {
      skipped.push({ row, reason: 'no order id' });
      return;
    }
    // One feedback per order: a repeated order id keeps its last row.
    entries.set(orderId, {
      orderId,
      rating: Number(rating),
      date: feedbackDate(cell('date'), marketplaceId),
      comment: cell('comment').trim(),
      response: cell('response').trim(),
    });
  });
  return { ok: true, document: { marketplaceId, entries: [...entries.values()], skipped } };
}
