/**
 * How a new negative feedback reads in a message: the stars, the order (linked to its page in
 * Seller Central), the day and the buyer's words. Kept apart from the metric wording because a
 * feedback has no value, target or headroom - it has an order and a comment.
 */
import type { Language } from '../alerts/rules.ts';
import type { HealthEvent } from '../types.ts';
import type { MarketplaceLabel } from './catalog.ts';
import { clip, inert } from './format.ts';

/** A comment is shown up to this many characters: enough to act on, short enough for a batch. */
const COMMENT_SHOWN = 200;

export interface FeedbackWords {
  subject: string;
  verdict: string;
  headline: (rating: number) => string;
  stars: (rating: number) => string;
  ratingLabel: string;
  orderLabel: string;
  dateLabel: string;
  commentLabel: string;
  openOrder: string;
  advice: string;
}

const ZH: FeedbackWords = {
  subject: '买家反馈',
  verdict: '收到差评',
  headline: (rating) => `收到 ${rating} 星差评`,
  stars: (rating) => `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)} ${rating} 星`,
  ratingLabel: '评分',
  orderLabel: '订单',
  dateLabel: '日期',
  commentLabel: '买家评价',
  openOrder: '在卖家后台打开订单',
  advice: '差评计入订单缺陷率（ODR）。请尽快联系买家解决问题；符合亚马逊政策的反馈可申请移除。',
};

const EN: FeedbackWords = {
  subject: 'Buyer feedback',
  verdict: 'negative feedback received',
  headline: (rating) => `New ${rating}-star feedback`,
  stars: (rating) => `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)} ${rating} star${rating === 1 ? '' : 's'}`,
  ratingLabel: 'Rating',
  orderLabel: 'Order',
  dateLabel: 'Date',
  commentLabel: 'Comment',
  openOrder: 'Open the order in Seller Central',
  advice: 'Negative feedback counts toward the order defect rate (ODR). Contact the buyer soon; feedback that breaks Amazon policy can be removed on request.',
};

export function feedbackWords(language: Language): FeedbackWords {
  return language === 'en' ? EN : ZH;
}

export interface FeedbackFacts {
  headline: string;
  change: string;
  order: string;
  date: string | null;
  comment: string | null;
  advice: string;
  link: string | null;
  linkText: string;
}

/** Null when the event carries no feedback (an older or foreign row): it is then worded generically. */
export function feedbackFacts(event: HealthEvent, market: MarketplaceLabel | null, language: Language): FeedbackFacts | null {
  const fb = event.detail.negativeFeedback;
  if (!fb) return null;
  const w = feedbackWords(language);
  const rating = Math.min(5, Math.max(1, Math.round(fb.rating)));
  const order = inert(fb.orderId);
  const comment = clip(inert(fb.comment), COMMENT_SHOWN);
  return {
    headline: w.headline(rating),
    change: w.stars(rating),
    order,
    date: fb.date ? inert(fb.date) : null,
    comment: comment || null,
    advice: w.advice,
    link: market?.orderUrl?.(fb.orderId) || market?.accountHealthUrl || null,
    linkText: market?.orderUrl ? w.openOrder : '',
  };
}
