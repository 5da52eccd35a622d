/** Contract of the alert feed: `GET /v1/alerts?cursor=&limit=` and `POST /v1/alerts/:id/ack`. */
import * as v from 'valibot';

export const AlertsQuery = v.strictObject({
  /** Opaque: the `cursor` of the previous page. */
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,18}$/, 'a cursor from a previous page'))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(100))),
});

const Nullable = v.nullable(v.string());

export const AlertView = v.object({
  id: v.string(),
  storeId: v.string(),
  marketplaceId: Nullable,
  kind: v.string(),
  severity: v.picklist(['info', 'warning', 'critical']),
  /** problem or recovery */
  category: v.picklist(['problem', 'recovery']),
  metric: Nullable,
  from: Nullable,
  to: Nullable,
  /** The numbers behind it: valueFrom/valueTo, target, headroom, window (HealthEvent.detail). */
  detail: v.record(v.string(), v.unknown()),
  createdAt: v.number(),
  acknowledgedAt: v.nullable(v.number()),
  resolvedAt: v.nullable(v.number()),
  deliveries: v.array(v.object({ channelId: v.string(), state: v.picklist(['pending', 'sending', 'sent', 'failed', 'dead']) })),
});
export type AlertView = v.InferOutput<typeof AlertView>;

/** Newest first; `cursor` is null on the last page. */
export const AlertsResponse = v.object({ alerts: v.array(AlertView), cursor: v.nullable(v.string()) });
export type AlertsResponse = v.InferOutput<typeof AlertsResponse>;

export const AckResponse = v.object({ alert: AlertView });
