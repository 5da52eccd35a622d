/** The alert feed's reads and the acknowledgement, in D1 (tables alerts and deliveries). */
import type { DeliveryState } from '../../shared/alerts/outbox.ts';
import type { AlertView } from '../../shared/api/alerts.ts';

export interface AlertRow {
  id: number;
  store_id: string;
  marketplace_id: string | null;
  kind: string;
  severity: AlertView['severity'];
  category: AlertView['category'];
  metric: string | null;
  from_value: string | null;
  to_value: string | null;
  payload: string;
  created_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
}

export interface AlertDeliveryRow {
  alert_id: number;
  channel_id: string;
  state: DeliveryState;
}

const COLUMNS = 'id, store_id, marketplace_id, kind, severity, category, metric, from_value, to_value, payload, created_at, acknowledged_at, resolved_at';

/** Up to `limit` alerts of the workspace older than id `before`, newest first. */
export async function listAlerts(db: D1Database, workspaceId: string, before: number, limit: number): Promise<AlertRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE workspace_id = ? AND id < ? ORDER BY id DESC LIMIT ?`).bind(workspaceId, before, limit).all<AlertRow>();
  return results;
}

/** The first message of each alert per channel (reminders are follow-ups of it), oldest first. */
export async function alertDeliveries(db: D1Database, alertIds: readonly number[]): Promise<AlertDeliveryRow[]> {
  if (alertIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT alert_id, channel_id, state FROM deliveries WHERE purpose = 'alert' AND alert_id IN (${alertIds.map(() => '?').join(',')}) ORDER BY id`)
    .bind(...alertIds)
    .all<AlertDeliveryRow>();
  return results;
}

/**
 * Acknowledges an alert of the workspace and returns it (null when there is none). Idempotent: the
 * first acknowledgement stands. Reminders not yet sent are called off in the same batch.
 */
export async function acknowledgeAlert(db: D1Database, workspaceId: string, alertId: number, memberId: string, at: number): Promise<AlertRow | null> {
  const [, , row] = await db.batch([
    db
      .prepare('UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ? AND workspace_id = ?')
      .bind(at, memberId, alertId, workspaceId),
    db
      .prepare(
        `UPDATE deliveries SET state = 'dead', last_error = 'acknowledged' WHERE purpose = 'reminder' AND state IN ('pending', 'failed')
         AND alert_id = (SELECT id FROM alerts WHERE id = ? AND workspace_id = ?)`,
      )
      .bind(alertId, workspaceId),
    db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ? AND workspace_id = ?`).bind(alertId, workspaceId),
  ]);
  return (row?.results as AlertRow[] | undefined)?.[0] ?? null;
}
