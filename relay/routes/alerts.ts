/** The alert feed for the extension: `GET /v1/alerts?cursor=&limit=` and `POST /v1/alerts/:id/ack`. */
import { Hono } from 'hono';
import { AlertsQuery, type AlertView } from '../../shared/api/alerts.ts';
import type { HealthEvent } from '../../shared/types.ts';
import { type AlertRow, acknowledgeAlert, alertDeliveries, listAlerts } from '../alerts/alerts-db.ts';
import { requireMember } from './guards.ts';
import { type RelayEnv, apiError, readQuery } from './kit.ts';

const DEFAULT_LIMIT = 50;

async function views(db: D1Database, rows: readonly AlertRow[]): Promise<AlertView[]> {
  if (rows.length === 0) return [];
  const deliveries = await alertDeliveries(db, rows.map((r) => r.id));
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
    deliveries: deliveries.filter((d) => d.alert_id === r.id).map((d) => ({ channelId: d.channel_id, state: d.state })),
  }));
}

export function alertsRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/alerts', requireMember, async (c) => {
    // Strict like every query: a repeated or unknown parameter (even `__proto__`) is refused.
    const query = readQuery(c, AlertsQuery);
    if (!query.ok) return query.response;
    const limit = query.value.limit ?? DEFAULT_LIMIT;
    const before = query.value.cursor ? Number(query.value.cursor) : Number.MAX_SAFE_INTEGER;
    const results = await listAlerts(c.env.DB, c.var.caller.workspaceId, before, limit + 1);
    const page = results.slice(0, limit);
    const cursor = results.length > limit ? String(page[page.length - 1]!.id) : null;
    return c.json({ alerts: await views(c.env.DB, page), cursor });
  });

  app.post('/alerts/:id/ack', requireMember, async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) return apiError(c, 404, 'not_found', 'no such alert');
    const { workspaceId, memberId } = c.var.caller;
    const found = await acknowledgeAlert(c.env.DB, workspaceId, id, memberId, c.var.deps.now());
    if (!found) return apiError(c, 404, 'not_found', 'no such alert');
    const [alert] = await views(c.env.DB, [found]);
    return c.json({ alert });
  });

  return app;
}
