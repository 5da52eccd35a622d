/**
 * `GET /v1/overview` (the popup's one call: every store, every marketplace, every metric, from the
 * newest snapshot) and `GET /v1/stores/:id/history` (one metric over time, for sparklines).
 */
import { Hono } from 'hono';
import { HistoryQuery, type HistoryResponse, type MarketplaceOverview, type MetricOverview, type OverviewResponse } from '../../shared/api/overview.ts';
import { worstLevel } from '../../shared/evaluate.ts';
import { isMetricId } from '../../shared/metrics.ts';
import type { Level, MarketplaceEvaluation } from '../../shared/types.ts';
import { type MarketplaceIdentity, amazonStoreName } from '../amazon/sellers.ts';
import { requireMember } from './guards.ts';
import { toBase64Url } from '../crypto/encoding.ts';
import { listMerchantIds } from '../db/merchant-ids.ts';
import { type LatestSnapshotRef, type SnapshotRow, latestSnapshotRefs, metricHistory, snapshotsByRef } from '../db/snapshots.ts';
import { type StoreRow, getStore, listStoreMarketplaces, listStores } from '../db/stores.ts';
import { type RelayEnv, apiError, readQuery } from './kit.ts';
import { STORE_ID } from './stores.ts';

const HISTORY_DEFAULT_MS = 90 * 24 * 3600_000;
const HISTORY_MAX_POINTS = 500;
const LEVELS: readonly Level[] = ['unknown', 'ok', 'warn', 'breach'];

function marketplaceOverview(m: MarketplaceIdentity, snapshot: SnapshotRow | undefined): MarketplaceOverview {
  const identity = { marketplaceId: m.marketplaceId, countryCode: m.countryCode, storeName: m.storeName, hasSuspendedListings: m.hasSuspendedListings };
  if (!snapshot) return { ...identity, level: 'unknown', accountStatus: 'UNKNOWN', ahr: null, fetchedAt: null, metrics: {} };
  const e = JSON.parse(snapshot.evaluation) as MarketplaceEvaluation;
  const metrics: Record<string, MetricOverview> = {};
  for (const [id, metric] of Object.entries(e.metrics)) {
    if (!metric) continue;
    metrics[id] = {
      value: metric.value,
      level: metric.level,
      headroom: metric.headroom,
      target: metric.effectiveTarget,
      amazonStatus: metric.amazonStatus,
      window: metric.window,
      counts: metric.counts,
      ...(metric.problem !== undefined ? { problem: metric.problem } : {}),
      ...(metric.level === 'breach' ? { over: metric.over ?? null, wayBack: metric.wayBack ?? null } : {}),
    };
  }
  return { ...identity, level: e.level, accountStatus: e.accountStatus, ahr: e.ahr, fetchedAt: snapshot.fetched_at, metrics };
}

/** The overview from rows (pure, so its shape is tested apart from D1). */
export function buildOverview(
  stores: readonly StoreRow[],
  marketplaces: ReadonlyMap<string, MarketplaceIdentity[]>,
  merchantIds: ReadonlyMap<string, string[]>,
  snapshots: readonly SnapshotRow[],
): OverviewResponse {
  const latest = new Map(snapshots.map((s) => [`${s.store_id}/${s.marketplace_id}`, s]));
  return {
    stores: stores.map((s) => {
      const watched = marketplaces.get(s.id) ?? [];
      const mps = watched.map((m) => marketplaceOverview(m, latest.get(`${s.id}/${m.marketplaceId}`)));
      return {
        id: s.id,
        name: s.name,
        amazonStoreName: amazonStoreName(watched),
        merchantIds: merchantIds.get(s.id) ?? [],
        region: s.region,
        level: worstLevel(mps.map((m) => m.level)),
        auth: s.auth_state,
        lastCheckedAt: s.last_checked_at,
        marketplaces: mps,
      };
    }),
  };
}

/** Whether an If-None-Match header names this ETag (a list, or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag;
  });
}

/** Changes whenever buildOverview's output would for the same rows: bump it with the body's format. */
const OVERVIEW_FORMAT = 2;

/**
 * The overview's validator, from what the body is made of rather than its bytes: the store fields
 * it shows, the watched marketplaces, and which snapshot is newest for each (a snapshot row never
 * changes once written). Syncing an unchanged overview - what every open browser does every few
 * minutes - then costs three small reads instead of reading, parsing and serializing every
 * marketplace's evaluation again.
 */
async function overviewTag(
  stores: readonly StoreRow[],
  marketplaces: ReadonlyMap<string, MarketplaceIdentity[]>,
  merchantIds: ReadonlyMap<string, string[]>,
  refs: readonly LatestSnapshotRef[],
): Promise<string> {
  const basis = JSON.stringify([
    OVERVIEW_FORMAT,
    stores.map((s) => [s.id, s.name, s.region, s.auth_state, s.last_checked_at]),
    [...marketplaces].map(([storeId, list]) => [storeId, list.map((m) => [m.marketplaceId, m.countryCode, m.storeName, m.hasSuspendedListings])]),
    [...merchantIds],
    refs.map((r) => [r.store_id, r.marketplace_id, r.ref]),
  ]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(basis));
  return `"${toBase64Url(new Uint8Array(digest)).slice(0, 27)}"`;
}

export function overviewRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/overview', requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const [stores, marketplaces, merchantIds, refs] = await Promise.all([
      listStores(c.env.DB, ws),
      listStoreMarketplaces(c.env.DB, ws),
      listMerchantIds(c.env.DB, ws),
      latestSnapshotRefs(c.env.DB, ws),
    ]);
    const etag = await overviewTag(stores, marketplaces, merchantIds, refs);
    c.header('etag', etag);
    c.header('cache-control', 'private, no-cache');
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    const snapshots = await snapshotsByRef(c.env.DB, ws, refs);
    return c.body(JSON.stringify(buildOverview(stores, marketplaces, merchantIds, snapshots)), 200, { 'content-type': 'application/json' });
  });

  app.get(`/stores/:id${STORE_ID}/history`, requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const store = await getStore(c.env.DB, ws, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    const query = readQuery(c, HistoryQuery);
    if (!query.ok) return query.response;
    if (!isMetricId(query.value.metric)) return apiError(c, 400, 'invalid', `metric: unknown metric "${query.value.metric}"`);
    const rows = await metricHistory(c.env.DB, {
      workspaceId: ws,
      storeId: store.id,
      marketplaceId: query.value.marketplaceId,
      metric: query.value.metric,
      since: query.value.since ?? c.var.deps.now() - HISTORY_DEFAULT_MS,
      limit: HISTORY_MAX_POINTS,
    });
    const out: HistoryResponse = {
      points: rows.map((r) => ({ takenAt: r.takenAt, value: typeof r.value === 'number' ? r.value : null, level: LEVELS.find((l) => l === r.level) ?? 'unknown' })),
    };
    return c.json(out);
  });

  return app;
}
