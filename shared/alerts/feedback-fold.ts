/**
 * One negative feedback, one message. A new 1-2 star feedback is heard twice: the feedback report
 * names it (`negative_feedback`, with the order) and the account-health report counts it (the ODR
 * breakdown's `negativeFeedback` count rises: `odr_defects_rose`, part `negativeFeedback`). The two
 * reports arrive at different times, either may come first, and the feedback report may be failing
 * or switched off. The rule (docs/levels.md, docs/feedback-and-digest.md):
 *
 * - Whichever side arrives first and alerts stays open (`open` = what the other side has not
 *   matched yet); the other side's event, when it comes, matches it and stays silent - except that
 *   a count rise never silences the per-order message, which says more (it is the one kept).
 * - A count rise that no per-order alert explains yet is **held** when the feedback report watches
 *   the marketplace (read it lately, and `negative_feedback` alerts there): the feedback report's
 *   next look names the order and that message is the one sent. A hold ends at `HOLD_MS`: still
 *   unexplained, the count rise alerts then. Nothing is lost, at worst late.
 * - Not watched (the feedback report never read it, fails for half a day, or is switched off): the
 *   count rise alerts at once, and a per-order event that later explains it stays silent.
 * - A match pairs units by count (the ODR gives counts, not orders), oldest first, per store and
 *   marketplace, FBM and FBA together; an open side older than `MATCH_MS` explains nothing.
 *
 * A-to-z claims and chargebacks (the other parts of `odr_defects_rose`) are not touched. Pure: the
 * relay reads the open items and writes what this returns (relay/alerts/feedback-fold-db.ts).
 */
import type { HealthEvent } from '../types.ts';

const HOUR_MS = 3_600_000;
/** How long a count rise waits for the feedback report: two of its 4-hourly looks and an hour. */
export const HOLD_MS = 9 * HOUR_MS;
/** A feedback look this recent means the feedback report watches the marketplace (one failed look allowed). */
export const WATCH_FRESH_MS = 12 * HOUR_MS;
/**
 * How long an unmatched side may explain the other: the performance report trails new feedback by a
 * day or more (its windows end the day before), so two weeks covers it; an older leftover (feedback
 * the ODR never counted, e.g. on an order outside its window) must not swallow a later rise.
 */
export const MATCH_MS = 14 * 24 * HOUR_MS;

/** One side's event in the ledger (table feedback_folds). */
export interface FoldItem {
  eventKey: string;
  storeId: string;
  marketplaceId: string;
  source: 'order' | 'count';
  /** Units the other side has not matched yet. */
  open: number;
  /** Its own event sent a message: what it matches stays silent. */
  alerted: boolean;
  /** Set while a count rise waits for the feedback report. */
  holdUntil: number | null;
  createdAt: number;
}

export type FoldVerdict = 'alert' | 'silent' | 'hold';

/** An event that passed the rules, with where it happened. */
export interface FoldEvent extends HealthEvent {
  storeId: string;
}

export interface FoldResult {
  /** Verdicts of the events that take part; any other event is left to the rules. */
  verdicts: Map<string, FoldVerdict>;
  /** Items to write (new or changed). */
  items: FoldItem[];
  /** Held count rises the per-order events now explain: decided silent. */
  settled: string[];
}

/** How much the ODR's negative-feedback count rose, for an `odr_defects_rose` of that part; else null. */
export function negativeFeedbackRise(event: HealthEvent): number | null {
  if (event.kind !== 'odr_defects_rose' || event.detail.part !== 'negativeFeedback') return null;
  const rise = Number(event.to) - Number(event.from);
  return Number.isInteger(rise) && rise > 0 ? rise : null;
}

/** Whether the fold decides this event (a per-order negative feedback, or a count rise of it). */
export function takesPart(event: HealthEvent): boolean {
  return event.marketplaceId !== null && (event.kind === 'negative_feedback' || negativeFeedbackRise(event) !== null);
}

function verdictOf(item: FoldItem, now: number): FoldVerdict {
  if (item.holdUntil !== null && item.holdUntil > now) return 'hold';
  return item.alerted ? 'alert' : 'silent';
}

/**
 * Decides the events (in order) against the open items of their marketplaces. `watched` says whether
 * the feedback report watches a store's marketplace now.
 *
 * @example
 * // The feedback report named the order first; the ODR count rises a day later:
 * foldFeedback([countRise], [{ source: 'order', open: 1, alerted: true, ... }], () => true, now)
 * // verdicts: countRise -> 'silent'
 */
export function foldFeedback(events: readonly FoldEvent[], known: readonly FoldItem[], watched: (storeId: string, marketplaceId: string) => boolean, now: number): FoldResult {
  const items = new Map(known.map((i) => [i.eventKey, { ...i }]));
  const changed = new Set<string>();
  const verdicts = new Map<string, FoldVerdict>();
  const settled: string[] = [];
  /** Open items of the other side in the same marketplace, oldest first. */
  const openOf = (source: FoldItem['source'], storeId: string, marketplaceId: string) =>
    [...items.values()]
      .filter((i) => i.source === source && i.storeId === storeId && i.marketplaceId === marketplaceId && i.open > 0 && i.createdAt >= now - MATCH_MS)
      .sort((a, b) => a.createdAt - b.createdAt || (a.eventKey < b.eventKey ? -1 : 1));
  const put = (item: FoldItem) => {
    items.set(item.eventKey, item);
    changed.add(item.eventKey);
  };
  /** Matches up to `units` against open items of `source`; returns the matched ones. */
  const match = (source: FoldItem['source'], storeId: string, marketplaceId: string, units: number): FoldItem[] => {
    const used: FoldItem[] = [];
    for (const other of openOf(source, storeId, marketplaceId)) {
      if (units === 0) break;
      const take = Math.min(units, other.open);
      other.open -= take;
      units -= take;
      changed.add(other.eventKey);
      used.push(other);
    }
    return used;
  };
  const remaining = (units: number, used: readonly FoldItem[], before: ReadonlyMap<string, number>) =>
    units - used.reduce((sum, u) => sum + ((before.get(u.eventKey) ?? 0) - u.open), 0);

  for (const event of events) {
    if (!takesPart(event) || event.marketplaceId === null) continue;
    const { storeId } = event;
    const marketplaceId = event.marketplaceId;
    const seen = items.get(event.key);
    const rise = negativeFeedbackRise(event);

    if (event.kind === 'negative_feedback') {
      // A replay decides as the first time did.
      if (seen) {
        verdicts.set(event.key, verdictOf(seen, now));
        continue;
      }
      const count = openOf('count', storeId, marketplaceId)[0];
      const base = { eventKey: event.key, storeId, marketplaceId, source: 'order' as const, holdUntil: null, createdAt: now };
      if (!count) {
        put({ ...base, open: 1, alerted: true });
        verdicts.set(event.key, 'alert');
        continue;
      }
      count.open -= 1;
      changed.add(count.eventKey);
      if (count.alerted) {
        // The count already sent its message (the feedback report was not watching then).
        put({ ...base, open: 0, alerted: false });
        verdicts.set(event.key, 'silent');
      } else {
        // A held count: this message speaks for it.
        put({ ...base, open: 0, alerted: true });
        verdicts.set(event.key, 'alert');
        if (count.open === 0) {
          count.holdUntil = null;
          settled.push(count.eventKey);
        }
      }
      continue;
    }

    if (rise === null) continue;
    if (seen) {
      // The sweep brings a held count back once its hold is over: match what arrived meanwhile
      // (a per-order event that raced it), then alert for what is still unexplained.
      if (seen.holdUntil !== null && seen.holdUntil <= now) {
        const before = new Map(openOf('order', storeId, marketplaceId).map((i) => [i.eventKey, i.open]));
        const left = remaining(seen.open, match('order', storeId, marketplaceId, seen.open), before);
        seen.open = left;
        seen.holdUntil = null;
        seen.alerted = left > 0;
        changed.add(seen.eventKey);
      }
      verdicts.set(event.key, verdictOf(seen, now));
      continue;
    }
    const before = new Map(openOf('order', storeId, marketplaceId).map((i) => [i.eventKey, i.open]));
    const left = remaining(rise, match('order', storeId, marketplaceId, rise), before);
    const base = { eventKey: event.key, storeId, marketplaceId, source: 'count' as const, createdAt: now };
    if (left === 0) {
      put({ ...base, open: 0, alerted: false, holdUntil: null });
      verdicts.set(event.key, 'silent');
    } else if (watched(storeId, marketplaceId)) {
      put({ ...base, open: left, alerted: false, holdUntil: now + HOLD_MS });
      verdicts.set(event.key, 'hold');
    } else {
      put({ ...base, open: left, alerted: true, holdUntil: null });
      verdicts.set(event.key, 'alert');
    }
  }
  return { verdicts, items: [...changed].map((k) => items.get(k)!), settled };
}
