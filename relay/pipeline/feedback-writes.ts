/**
 * The writes of a `saveFeedback` effect: which negative feedback is new (shared/feedback/
 * new-negative-feedback.ts against the orders seen before), one `negative_feedback` event per new
 * one, the orders remembered, and the count inside the ODR window for the overview. Every
 * statement rides in the step's batch behind the step guard, like the snapshot writes: of two
 * consumers that read the same document only the one whose save won writes, and an event key
 * (store, marketplace, order) never repeats.
 */
import type { StoreEvent } from '../../shared/alerts/rules.ts';
import type { FeedbackDocument, FeedbackEntry } from '../../shared/feedback/feedback-report.ts';
import { NEGATIVE_MAX_RATING, feedbackKey, negativeFeedbackEvent, scanNegativeFeedback } from '../../shared/feedback/new-negative-feedback.ts';
import { STEP_GUARD } from './jobs-db.ts';
import { type PlannedWrites, type StepTarget, eventStatement } from './snapshots.ts';

/** Seen orders per marketplace, and which marketplaces were looked at before (a `feedback_counts` row). */
async function seenBefore(db: D1Database, storeId: string, marketplaceIds: readonly string[]): Promise<Map<string, Set<string>>> {
  if (marketplaceIds.length === 0) return new Map();
  const marks = marketplaceIds.map((_, i) => `?${i + 2}`).join(', ');
  const [looked, seen] = await db.batch([
    db.prepare(`SELECT marketplace_id FROM feedback_counts WHERE store_id = ?1 AND marketplace_id IN (${marks})`).bind(storeId, ...marketplaceIds),
    db.prepare(`SELECT marketplace_id, order_id FROM feedback_seen WHERE store_id = ?1 AND marketplace_id IN (${marks})`).bind(storeId, ...marketplaceIds),
  ]);
  const out = new Map<string, Set<string>>();
  for (const row of (looked?.results ?? []) as Array<{ marketplace_id: string }>) out.set(row.marketplace_id, new Set());
  for (const row of (seen?.results ?? []) as Array<{ marketplace_id: string; order_id: string }>) {
    out.get(row.marketplace_id)?.add(feedbackKey(row.marketplace_id, row.order_id));
  }
  return out;
}

/** Rows per insert: 6 values each plus the guard's 2 stay under D1's 100 bound parameters. */
const SEEN_ROWS_PER_INSERT = 12;

/** Remembers orders in as few statements as D1's parameter limit allows. */
function rememberStatements(db: D1Database, target: StepTarget, marketplaceId: string, entries: readonly FeedbackEntry[], now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < entries.length; i += SEEN_ROWS_PER_INSERT) {
    const chunk = entries.slice(i, i + SEEN_ROWS_PER_INSERT);
    out.push(
      db
        .prepare(
          `INSERT INTO feedback_seen (store_id, marketplace_id, order_id, rating, feedback_date, seen_at)
           SELECT column1, column2, column3, column4, column5, column6 FROM (VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')})
           WHERE ${STEP_GUARD} ON CONFLICT DO NOTHING`,
        )
        .bind(...chunk.flatMap((e) => [target.storeId, marketplaceId, e.orderId, e.rating, e.date, now]), target.jobId, target.stepToken),
    );
  }
  return out;
}

export async function planFeedbackWrites(db: D1Database, target: StepTarget, documents: readonly FeedbackDocument[], now: number): Promise<PlannedWrites> {
  const before = await seenBefore(db, target.storeId, documents.map((d) => d.marketplaceId));
  const statements: D1PreparedStatement[] = [];
  const events: PlannedWrites['events'] = [];
  const guard = [target.jobId, target.stepToken];
  for (const doc of documents) {
    const seen = before.get(doc.marketplaceId) ?? null;
    const scan = scanNegativeFeedback(seen, doc, now);
    // A first look learns every negative feedback there; later looks add only the new ones.
    const learn = seen === null ? doc.entries.filter((e) => e.rating <= NEGATIVE_MAX_RATING) : scan.fresh;
    statements.push(...rememberStatements(db, target, doc.marketplaceId, learn, now));
    statements.push(
      db
        .prepare(
          `INSERT INTO feedback_counts (store_id, workspace_id, marketplace_id, window_count, window_days, checked_at)
           SELECT ?, ?, ?, ?, ?, ? WHERE ${STEP_GUARD}
           ON CONFLICT (store_id, marketplace_id) DO UPDATE SET window_count = excluded.window_count,
             window_days = excluded.window_days, checked_at = excluded.checked_at`,
        )
        .bind(target.storeId, target.workspaceId, doc.marketplaceId, scan.windowCount, scan.windowDays, now, ...guard),
    );
    for (const entry of scan.fresh) {
      const event = negativeFeedbackEvent(doc.marketplaceId, entry);
      const row: StoreEvent = { ...event, key: `${target.storeId}|${event.key}`, storeId: target.storeId, workspaceId: target.workspaceId, createdAt: now };
      events.push({ event: row, statement: statements.length });
      statements.push(eventStatement(db, row, target));
    }
  }
  return { statements, events };
}
