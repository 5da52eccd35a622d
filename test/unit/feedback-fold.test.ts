/**
 * One negative feedback, one message (shared/alerts/feedback-fold.ts): the per-order event and the
 * ODR count rise pair by count per store and marketplace, whichever arrives first; nothing is lost
 * and nothing is said twice.
 */
import { describe, expect, it } from 'vitest';
import { type FoldEvent, type FoldItem, HOLD_MS, MATCH_MS, foldFeedback, negativeFeedbackRise, takesPart } from '../../shared/alerts/feedback-fold.ts';

const CA = 'A2EUQ1WTGCTBG2';
const US = 'ATVPDKIKX0DER';
const NOW = Date.UTC(2026, 11, 6, 8, 0);
const watched = () => true;
const unwatched = () => false;

function order(orderId: string, marketplaceId = CA): FoldEvent {
  return {
    key: `s1|${marketplaceId}|negative_feedback|${orderId}`,
    kind: 'negative_feedback',
    severity: 'warning',
    marketplaceId,
    metric: null,
    from: null,
    to: '1',
    detail: { negativeFeedback: { orderId, rating: 1, date: '2026-12-05', comment: '' } },
    storeId: 's1',
  };
}

function rise(from: number, to: number, part = 'negativeFeedback', key = `${CA}|odr|${from}>${to}|${part}`, metric: 'odrMfn' | 'odrAfn' = 'odrMfn'): FoldEvent {
  return { key, kind: 'odr_defects_rose', severity: 'warning', marketplaceId: CA, metric, from: String(from), to: String(to), detail: { part }, storeId: 's1' };
}

/** Replays a fold's written items onto the ledger, as the relay's writes would. */
function apply(ledger: FoldItem[], items: FoldItem[]): FoldItem[] {
  const byKey = new Map(ledger.map((i) => [i.eventKey, i]));
  for (const i of items) byKey.set(i.eventKey, i);
  return [...byKey.values()];
}

describe('which events the fold decides', () => {
  it('takes per-order negative feedback and the ODR negative-feedback count, not claims or chargebacks', () => {
    expect(takesPart(order('1'))).toBe(true);
    expect(takesPart(rise(0, 1))).toBe(true);
    expect(takesPart(rise(0, 1, 'claims'))).toBe(false);
    expect(takesPart(rise(0, 1, 'chargebacks'))).toBe(false);
    expect(negativeFeedbackRise(rise(1, 3))).toBe(2);
  });
});

describe('one negative feedback, one message', () => {
  it('silences the count rise that follows a per-order alert', () => {
    const first = foldFeedback([order('1')], [], watched, NOW);
    expect(first.verdicts.get(order('1').key)).toBe('alert');
    const second = foldFeedback([rise(0, 1)], first.items, watched, NOW + 86_400_000);
    expect(second.verdicts.get(rise(0, 1).key)).toBe('silent');
    expect(second.items.find((i) => i.eventKey === order('1').key)?.open).toBe(0);
  });

  it('holds a count rise the feedback report watches, and settles it when the order is named', () => {
    const held = foldFeedback([rise(0, 1)], [], watched, NOW);
    expect(held.verdicts.get(rise(0, 1).key)).toBe('hold');
    expect(held.items[0]).toMatchObject({ source: 'count', open: 1, alerted: false, holdUntil: NOW + HOLD_MS });
    const named = foldFeedback([order('1')], held.items, watched, NOW + 4 * 3_600_000);
    expect(named.verdicts.get(order('1').key)).toBe('alert');
    expect(named.settled).toEqual([rise(0, 1).key]);
  });

  it('alerts a held count whose hold ends unexplained, and silences the per-order event that comes later', () => {
    let ledger = foldFeedback([rise(0, 1)], [], watched, NOW).items;
    const ended = foldFeedback([rise(0, 1)], ledger, watched, NOW + HOLD_MS);
    expect(ended.verdicts.get(rise(0, 1).key)).toBe('alert');
    ledger = apply(ledger, ended.items);
    expect(foldFeedback([order('1')], ledger, watched, NOW + HOLD_MS + 1).verdicts.get(order('1').key)).toBe('silent');
  });

  it('keeps a held count held while its hold lasts (a replayed fan-out)', () => {
    const ledger = foldFeedback([rise(0, 1)], [], watched, NOW).items;
    expect(foldFeedback([rise(0, 1)], ledger, watched, NOW + HOLD_MS - 1).verdicts.get(rise(0, 1).key)).toBe('hold');
  });

  it('matches at the end of a hold a per-order event that raced the count (both read an empty ledger)', () => {
    const count = foldFeedback([rise(0, 1)], [], watched, NOW).items;
    const named = foldFeedback([order('1')], [], watched, NOW).items;
    const ended = foldFeedback([rise(0, 1)], [...count, ...named], watched, NOW + HOLD_MS);
    expect(ended.verdicts.get(rise(0, 1).key)).toBe('silent');
  });

  it('alerts a count rise at once when the feedback report does not watch the marketplace', () => {
    expect(foldFeedback([rise(0, 1)], [], unwatched, NOW).verdicts.get(rise(0, 1).key)).toBe('alert');
  });

  it('pairs by count: a rise of two explained by one order is held for the other', () => {
    const ledger = foldFeedback([order('1')], [], watched, NOW).items;
    const result = foldFeedback([rise(0, 2)], ledger, watched, NOW + 1);
    expect(result.verdicts.get(rise(0, 2).key)).toBe('hold');
    expect(result.items.find((i) => i.eventKey === rise(0, 2).key)?.open).toBe(1);
  });

  it('pools FBM and FBA counts of a marketplace, and keeps marketplaces apart', () => {
    const ledger = foldFeedback([order('1'), order('2', US)], [], watched, NOW).items;
    const result = foldFeedback([rise(0, 1, 'negativeFeedback', 'afn-key', 'odrAfn')], ledger, watched, NOW + 1);
    expect(result.verdicts.get('afn-key')).toBe('silent');
    expect(result.items.find((i) => i.eventKey === order('2', US).key)).toBeUndefined();
  });

  it('lets an unmatched per-order event older than the match window explain nothing', () => {
    const ledger = foldFeedback([order('1')], [], watched, NOW).items;
    expect(foldFeedback([rise(0, 1)], ledger, unwatched, NOW + MATCH_MS + 1).verdicts.get(rise(0, 1).key)).toBe('alert');
  });

  it('decides a replayed per-order event as the first time', () => {
    const ledger = foldFeedback([order('1')], [], watched, NOW).items;
    expect(foldFeedback([order('1')], ledger, watched, NOW + 1).verdicts.get(order('1').key)).toBe('alert');
  });
});
