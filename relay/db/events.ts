/**
 * The events table: what the pipeline's diff found, written in the step's batch, and read back by
 * the alert sweep when a fan-out did not happen. Its row shape stays here; the rest of the relay
 * sees the shared `StoreEvent`.
 */
import type { StoreEvent } from '../../shared/alerts/rules.ts';
import type { HealthEvent } from '../../shared/types.ts';

interface EventRow {
  workspace_id: string;
  store_id: string;
  key: string;
  kind: string;
  severity: string;
  /** The HealthEvent as JSON. */
  payload: string;
  created_at: number;
}

function payloadOf(event: HealthEvent): string {
  const { key, kind, severity, marketplaceId, metric, from, to, detail } = event;
  return JSON.stringify({ key, kind, severity, marketplaceId, metric, from, to, detail } satisfies HealthEvent);
}

function fromRow(row: EventRow): StoreEvent {
  let payload: Partial<HealthEvent> = {};
  try {
    payload = JSON.parse(row.payload) as Partial<HealthEvent>;
  } catch {
    // A payload we cannot read still alerts with what the columns say.
  }
  return {
    key: row.key,
    kind: (payload.kind ?? row.kind) as HealthEvent['kind'],
    severity: (payload.severity ?? row.severity) as HealthEvent['severity'],
    marketplaceId: payload.marketplaceId ?? null,
    metric: payload.metric ?? null,
    from: payload.from ?? null,
    to: payload.to ?? null,
    detail: payload.detail ?? {},
    storeId: row.store_id,
    workspaceId: row.workspace_id,
    createdAt: row.created_at,
  };
}

/**
 * An insert of the event, once per key, that runs only when `guard` (an SQL condition with its
 * binds) holds; it returns the key when it wrote.
 */
export function insertEventStatement(db: D1Database, event: StoreEvent, guard: { sql: string; binds: readonly unknown[] }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO events (workspace_id, store_id, key, kind, severity, payload, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${guard.sql} ON CONFLICT(key) DO NOTHING RETURNING key`,
    )
    .bind(event.workspaceId, event.storeId, event.key, event.kind, event.severity, payloadOf(event), event.createdAt, ...guard.binds);
}

/**
 * Events the fan-out has not decided yet, oldest first, created in `[since, until]`; an event held
 * past `now` (a count rise waiting for the feedback report: shared/alerts/feedback-fold.ts) waits.
 */
export async function undecidedEvents(db: D1Database, since: number, until: number, limit: number, now: number): Promise<StoreEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT e.workspace_id, e.store_id, e.key, e.kind, e.severity, e.payload, e.created_at
       FROM events e LEFT JOIN alert_fanouts f ON f.event_key = e.key
       WHERE f.event_key IS NULL AND e.created_at >= ? AND e.created_at <= ?
         AND NOT EXISTS (SELECT 1 FROM feedback_folds h WHERE h.event_key = e.key AND h.hold_until > ?)
       ORDER BY e.created_at LIMIT ?`,
    )
    .bind(since, until, now, limit)
    .all<EventRow>();
  return results.map(fromRow);
}
