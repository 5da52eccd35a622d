/**
 * The ledger behind shared/alerts/feedback-fold.ts (table feedback_folds, migration 0013): reads
 * the open items of the marketplaces a fan-out's negative-feedback events concern and whether the
 * feedback report watches them, and returns the verdicts with the statements that record them.
 * Costs one D1 batch (three lookups by key), and only when such an event is among those being decided.
 */
import { type AlertRules, kindOn } from '../../shared/alerts/rules.ts';
import { type FoldEvent, type FoldItem, type FoldVerdict, MATCH_MS, WATCH_FRESH_MS, foldFeedback, takesPart } from '../../shared/alerts/feedback-fold.ts';

interface ItemRow {
  event_key: string;
  store_id: string;
  marketplace_id: string;
  source: 'order' | 'count';
  open: number;
  alerted: number;
  hold_until: number | null;
  created_at: number;
}

export interface FoldDecisions {
  verdicts: Map<string, FoldVerdict>;
  /** Ride in the fan-out's first batch of the workspace. */
  statements: D1PreparedStatement[];
}

const NONE: FoldDecisions = { verdicts: new Map(), statements: [] };

/** `events` are those of one workspace that passed the rules, in the order they are decided. */
export async function foldFeedbackAlerts(db: D1Database, events: readonly FoldEvent[], rules: AlertRules, now: number): Promise<FoldDecisions> {
  const taking = events.filter(takesPart);
  if (taking.length === 0) return NONE;
  // [store, marketplace] pairs, joined through json_each so the lookups use the tables' keys.
  const places = JSON.stringify([...new Map(taking.map((e) => [`${e.storeId}|${e.marketplaceId}`, [e.storeId, e.marketplaceId]])).values()]);
  const pairs = "json_each(?1) p ON t.store_id = json_extract(p.value, '$[0]') AND t.marketplace_id = json_extract(p.value, '$[1]')";
  const columns = 't.event_key, t.store_id, t.marketplace_id, t.source, t.open, t.alerted, t.hold_until, t.created_at';
  const [byKey, open, looked] = await db.batch([
    db.prepare(`SELECT ${columns} FROM feedback_folds t WHERE t.event_key IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(taking.map((e) => e.key))),
    db.prepare(`SELECT ${columns} FROM feedback_folds t JOIN ${pairs} WHERE t.open > 0 AND t.created_at >= ?2`).bind(places, now - MATCH_MS),
    db.prepare(`SELECT t.store_id, t.marketplace_id FROM feedback_counts t JOIN ${pairs} WHERE t.checked_at >= ?2`).bind(places, now - WATCH_FRESH_MS),
  ]);
  const rows = new Map([...((byKey?.results ?? []) as ItemRow[]), ...((open?.results ?? []) as ItemRow[])].map((r) => [r.event_key, r]));
  const known: FoldItem[] = [...rows.values()].map((r) => ({
    eventKey: r.event_key,
    storeId: r.store_id,
    marketplaceId: r.marketplace_id,
    source: r.source,
    open: r.open,
    alerted: r.alerted === 1,
    holdUntil: r.hold_until,
    createdAt: r.created_at,
  }));
  const fresh = new Set(((looked?.results ?? []) as Array<{ store_id: string; marketplace_id: string }>).map((r) => `${r.store_id}|${r.marketplace_id}`));
  // Watched: the feedback report read the marketplace lately, and its per-order events alert there.
  const watched = (storeId: string, marketplaceId: string) => fresh.has(`${storeId}|${marketplaceId}`) && kindOn(rules, 'negative_feedback', storeId, marketplaceId);
  const result = foldFeedback(taking, known, watched, now);
  const statements = [
    ...result.items.map((i) =>
      db
        .prepare(
          `INSERT INTO feedback_folds (event_key, store_id, marketplace_id, source, open, alerted, hold_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (event_key) DO UPDATE SET open = excluded.open, alerted = excluded.alerted, hold_until = excluded.hold_until`,
        )
        .bind(i.eventKey, i.storeId, i.marketplaceId, i.source, i.open, i.alerted ? 1 : 0, i.holdUntil, i.createdAt),
    ),
    // A held count the per-order events now explain is decided: it sends nothing.
    ...result.settled.map((key) => db.prepare('INSERT INTO alert_fanouts (event_key, alerted, decided_at) VALUES (?, 0, ?) ON CONFLICT (event_key) DO NOTHING').bind(key, now)),
  ];
  return { verdicts: result.verdicts, statements };
}
