/**
 * Which negative feedback is new since the last look, and how much of it counts against the order
 * defect rate now. Negative means 1 or 2 stars: that is what Amazon counts as an ODR defect
 * (3 stars is neutral and also appears in the report). Amazon's ODR window is 60 days; the
 * report dates a feedback by the day it was left, so the window here counts by that day.
 */
import type { HealthEvent } from '../types.ts';
import type { FeedbackDocument, FeedbackEntry } from './feedback-report.ts';

export const ODR_WINDOW_DAYS = 60;
/** Highest rating that is negative feedback. */
export const NEGATIVE_MAX_RATING = 2;
/** A comment is kept up to this many characters in an event (a message shows less). */
const COMMENT_MAX = 500;
const DAY_MS = 86_400_000;

/** What is remembered per seen feedback: one buyer leaves at most one feedback per order. */
export function feedbackKey(marketplaceId: string, orderId: string): string {
  return `${marketplaceId}|${orderId}`;
}

export interface NegativeFeedbackScan {
  /** Negative feedback not seen before, oldest first. Empty on the first look (see below). */
  fresh: FeedbackEntry[];
  /** Keys of all negative feedback in this document: the caller remembers them. */
  keys: string[];
  /** Negative feedback dated inside the ODR window (undated rows count: the report covers the window). */
  windowCount: number;
  windowDays: number;
}

/** The first day (`YYYY-MM-DD`, UTC) inside a window of `days` ending today. */
function windowStart(now: number, days: number): string {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * `seen` is the set of keys remembered from earlier documents of this marketplace, or null when
 * there were none: a first look only learns what is there, so connecting a store does not replay
 * two months of old feedback as news.
 *
 * @example
 * const scan = scanNegativeFeedback(new Set(['ATVPDKIKX0DER|111-0000000-0000001']), doc, now);
 * scan.fresh // the 1-2 star rows whose orders were not in the set
 */
export function scanNegativeFeedback(seen: ReadonlySet<string> | null, doc: FeedbackDocument, now: number, windowDays = ODR_WINDOW_DAYS): NegativeFeedbackScan {
  const negative = doc.entries.filter((e) => e.rating <= NEGATIVE_MAX_RATING);
  const from = windowStart(now, windowDays);
  const fresh = seen === null ? [] : negative.filter((e) => !seen.has(feedbackKey(doc.marketplaceId, e.orderId)));
  fresh.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.orderId.localeCompare(b.orderId));
  return {
    fresh,
    keys: negative.map((e) => feedbackKey(doc.marketplaceId, e.orderId)),
    windowCount: negative.filter((e) => e.date === null || e.date >= from).length,
    windowDays,
  };
}

/** One new negative feedback as a health event; its key is stable, so a replayed step repeats it. */
export function negativeFeedbackEvent(marketplaceId: string, entry: FeedbackEntry): HealthEvent {
  const comment = Array.from(entry.comment);
  return {
    key: `${marketplaceId}|negative_feedback|${entry.orderId}`,
    kind: 'negative_feedback',
    severity: 'warning',
    marketplaceId,
    metric: null,
    from: null,
    to: String(entry.rating),
    detail: {
      negativeFeedback: {
        orderId: entry.orderId,
        rating: entry.rating,
        date: entry.date,
        comment: comment.length > COMMENT_MAX ? `${comment.slice(0, COMMENT_MAX - 1).join('')}…` : entry.comment,
      },
    },
  };
}
