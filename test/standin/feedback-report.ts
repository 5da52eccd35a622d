/**
 * The GET_SELLER_FEEDBACK_DATA flat file: tab-separated, a header row, then one row per order with
 * neutral or negative feedback (Amazon's "Report Type Values" page lists it among the performance
 * reports). Columns as public SP-API report readers take them: Date, Rating, Comments, Your
 * Response, Order ID, Rater Email. Dates in the US style `MM/DD/YY` (the North American Seller
 * Central export; other marketplaces localize them, which this stand-in does not model). Amazon
 * cancels a flat-file report that has no rows (the Reports model: "an automatic cancellation if
 * there is no data to return"), so an empty list means CANCELLED, not an empty file.
 */
import type { MarketplaceHealth } from './health.ts';
import { seedOf, seededRandom } from './prng.ts';

const DAY = 86_400_000;
const HEADER = ['Date', 'Rating', 'Comments', 'Your Response', 'Order ID', 'Rater Email'];

export interface FeedbackRow {
  at: number;
  rating: number;
  comments: string;
  orderId: string;
}

/** One row per negative-feedback defect the seller's ODR counts, spread over the 60-day window. */
export function feedbackRows(sellerId: string, marketplaceId: string, health: MarketplaceHealth, now: number): FeedbackRow[] {
  const random = seededRandom(seedOf(`feedback/${sellerId}/${marketplaceId}`));
  const digits = (n: number) => Array.from({ length: n }, () => String(random.int(0, 9))).join('');
  return Array.from({ length: health.odrMfn.negativeFeedback }, (_, i) => ({
    at: now - (i * 7 + 1) * DAY,
    rating: random.int(1, 2),
    comments: i % 2 === 0 ? 'Item arrived late and damaged' : 'Never received, seller did not answer',
    orderId: `${digits(3)}-${digits(7)}-${digits(7)}`,
  }));
}

function usDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCFullYear() % 100)}`;
}

export function feedbackFile(rows: readonly FeedbackRow[]): string {
  const lines = [HEADER.join('\t'), ...rows.map((r) => [usDate(r.at), String(r.rating), r.comments, '', r.orderId, `buyer${r.orderId.slice(-4)}@marketplace.amazon.com`].join('\t'))];
  return `${lines.join('\n')}\n`;
}
