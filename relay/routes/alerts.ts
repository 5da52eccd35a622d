/** The alert feed for the extension: `GET /v1/alerts?cursor=&limit=` and `POST /v1/alerts/:id/ack`. */
import { Hono } from 'hono';
import type { DeliveryState } from '../../shared/alerts/outbox.ts';
import { AlertsQuery, type AlertView } from '../../shared/api/alerts.ts';
import type { HealthEvent } from '../../shared/types.ts';
import { type AlertRouteOptions, type AlertsAppEnv, apiError, resolveOptions } from './alert-routes-kit.ts';
import { readQuery } from './kit.ts';

interface AlertRow {
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

const DEFAULT_LIMIT = 50;

async function views(db: D1Database, rows: readonly AlertRow[]): Promise<AlertView[]> {
  if (rows.length === 0) return [];
  // The feed shows each alert's first message per channel; reminders are follow-ups of it.
  const { results } = await db
    .prepare(
      `SELECT alert_id, channel_id, state FROM deliveries WHERE purpose = 'alert' AND alert_id IN (${rows.map(() => '?').join(',')}) ORDER BY id`,
    )
    .bind(...rows.map((r) => r.id))
    .all<{ alert_id: number; channel_id: string; state: DeliveryState }>();
  return rows.map((r) => ({
    id: String(r.id),
    storeId: r.store_id,
    marketplaceId: r.marketplace_id,
    kind: r.kind,
    severity: r.severity,
    category: r.category,
    metric: r.metric,
    from: r.from_value,
    to: r.to_value,
    detail: (JSON.parse(r.payload) as HealthEvent).detail ?? {},
    createdAt: r.created_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    deliveries: results.filter((d) => d.alert_id === r.id).map((d) => ({ channelId: d.channel_id, state: d.state })),
  }));
}

const COLUMNS = 'id, store_id, marketplace_id, kind, severity, category, metric, from_value, to_value, payload, created_at, acknowledged_at, resolved_at';

export function alertsRoutes(options: AlertRouteOptions) {
  const { now } = resolveOptions(options);
  const app = new Hono<AlertsAppEnv>();
  app.use('*', options.auth);

  app.get('/alerts', async (c) => {
    // Strict like every query: a repeated or unknown parameter (even `__proto__`) is refused.
    const query = readQuery(c, AlertsQuery);
    if (!query.ok) return query.response;
    const limit = query.value.limit ?? DEFAULT_LIMIT;
    const before = query.value.cursor ? Number(query.value.cursor) : Number.MAX_SAFE_INTEGER;
    const { results } = await c.env.DB.prepare(`SELECT ${COLUMNS} FROM alerts WHERE workspace_id = ? AND id < ? ORDER BY id DESC LIMIT ?`)
      .bind(c.var.caller.workspaceId, before, limit + 1)
      .all<AlertRow>();
    const page = results.slice(0, limit);
    const cursor = results.length > limit ? String(page[page.length - 1]!.id) : null;
    return c.json({ alerts: await views(c.env.DB, page), cursor });
  });

  app.post('/alerts/:id/ack', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) return apiError(c, 404, 'not_found', 'no such alert');
    const { workspaceId, memberId } = c.var.caller;
    const at = now();
    const db = c.env.DB;
    // Idempotent: the first acknowledgement stands. Reminders not yet sent are called off.
    const [, , row] = await db.batch([
      db
        .prepare('UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ? AND workspace_id = ?')
        .bind(at, memberId, id, workspaceId),
      db
        .prepare(
          `UPDATE deliveries SET state = 'dead', last_error = 'acknowledged' WHERE purpose = 'reminder' AND state IN ('pending', 'failed')
           AND alert_id = (SELECT id FROM alerts WHERE id = ? AND workspace_id = ?)`,
        )
        .bind(id, workspaceId),
      db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ? AND workspace_id = ?`).bind(id, workspaceId),
    ]);
    const found = (row?.results as AlertRow[] | undefined)?.[0];
    if (!found) return apiError(c, 404, 'not_found', 'no such alert');
    const [alert] = await views(db, [found]);
    return c.json({ alert });
  });

  return app;
}
