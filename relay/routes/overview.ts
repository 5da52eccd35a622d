/**
 * `GET /v1/overview` (the popup's one call: every store and marketplace, compact - see
 * shared/api/overview.ts - or with `?since=<cursor>` only what changed), `GET
 * /v1/stores/:id/marketplaces/:marketplaceId` (one marketplace in full, when its detail opens) and
 * `GET /v1/stores/:id/history` (one metric over time, for sparklines).
 */
import { Hono } from 'hono';
import {
  HistoryQuery,
  type HistoryResponse,
  type MarketplaceDetailResponseWire,
  type MarketplaceOverviewWire,
  OverviewQuery,
  type OverviewResponseWire,
  type StoreOverviewWire,
} from '../../shared/api/overview.ts';
import { AHR_SERIES } from '../../shared/api/history-series.ts';
import { ahrLevel } from '../../shared/evaluate.ts';
import { isMetricId } from '../../shared/metrics.ts';
import { marketplaceSummary } from '../../shared/overview-summary.ts';
import type { Level, MarketplaceEvaluation, MarketplaceSnapshot } from '../../shared/types.ts';
import { type MarketplaceIdentity, amazonStoreName } from '../amazon/sellers.ts';
import { requireMember } from './guards.ts';
import { listMerchantIds } from '../db/merchant-ids.ts';
import { feedbackCounts } from '../db/feedback-counts.ts';
import { changedStoreIdsStatement, overviewSeqStatement, removedStoreIdsStatement } from '../db/overview-changes.ts';
import { type SnapshotRow, ahrHistory, latestSnapshot, latestSnapshots, metricHistory } from '../db/snapshots.ts';
import { type StoreRow, getStore, listStoreMarketplaces, listStores } from '../db/stores.ts';
import { type RelayEnv, apiError, readQuery } from './kit.ts';
import { STORE_ID } from './stores.ts';

const HISTORY_DEFAULT_MS = 90 * 24 * 3600_000;
const HISTORY_MAX_POINTS = 500;
const LEVELS: readonly Level[] = ['unknown', 'ok', 'warn', 'breach'];
const MARKETPLACE_ID = '{[A-Z0-9]{8,20}}';

/** Amazon's identity of the store in one marketplace, when known (null and false-y defaults are left out). */
function identityOf(m: MarketplaceIdentity): Pick<MarketplaceOverviewWire, 'storeName' | 'hasSuspendedListings'> {
  return { ...(m.storeName === null ? {} : { storeName: m.storeName }), ...(m.hasSuspendedListings === null ? {} : { hasSuspendedListings: m.hasSuspendedListings }) };
}

type FeedbackCount = NonNullable<MarketplaceOverviewWire['negativeFeedback']>;

/** The negative-feedback count in the ODR window, once a feedback report was read (left out before). */
function feedbackOf(count: FeedbackCount | undefined): Pick<MarketplaceOverviewWire, 'negativeFeedback'> {
  return count ? { negativeFeedback: count } : {};
}

function marketplaceOverview(m: MarketplaceIdentity, snapshot: SnapshotRow | undefined, feedback?: FeedbackCount): MarketplaceOverviewWire {
  if (!snapshot) return { marketplaceId: m.marketplaceId, level: 'unknown', accountStatus: 'UNKNOWN', fetchedAt: null, ...identityOf(m), ...feedbackOf(feedback) };
  // The summary is a few hundred bytes made when the snapshot was written; only rows older than
  // summaries (migration 0011) need their evaluation parsed.
  const summary = snapshot.summary
    ? (JSON.parse(snapshot.summary) as MarketplaceOverviewWire)
    : marketplaceSummary(JSON.parse(snapshot.evaluation ?? '{}') as MarketplaceEvaluation, snapshot.fetched_at);
  return { ...summary, ...identityOf(m), ...feedbackOf(feedback) };
}

/**
 * Amazon's identity of a marketplace inside a store of the overview, said once where it repeats
 * (shared/api/overview.ts): a store name equal to the store's `amazonStoreName` and
 * `hasSuspendedListings: false` are left out, so an unknown one goes as an explicit null. Nearly
 * every store carries both for every marketplace (the Sellers API gives them at connect), and
 * repeating them cost 180 bytes a store - 90 KB of a 500-store overview.
 */
function compactIdentity(m: MarketplaceOverviewWire, amazonName: string | null): MarketplaceOverviewWire {
  const { storeName, hasSuspendedListings, ...rest } = m;
  const name = storeName ?? null;
  const suspended = hasSuspendedListings ?? null;
  return { ...rest, ...(name === amazonName ? {} : { storeName: name }), ...(suspended === false ? {} : { hasSuspendedListings: suspended }) };
}

/**
 * The overview's stores from rows (pure, so its shape is tested apart from D1). Compact as
 * shared/api/overview.ts allows: the store's level (the worst of its marketplaces'), an ok
 * authorization, an unknown Amazon name and no merchant ids are left out, a reading time its
 * marketplaces share is said once, on the store, and so is Amazon's store name (compactIdentity).
 */
export function buildOverview(
  stores: readonly StoreRow[],
  marketplaces: ReadonlyMap<string, MarketplaceIdentity[]>,
  merchantIds: ReadonlyMap<string, string[]>,
  snapshots: readonly SnapshotRow[],
  feedback: ReadonlyMap<string, FeedbackCount> = new Map(),
): StoreOverviewWire[] {
  const latest = new Map(snapshots.map((s) => [`${s.store_id}/${s.marketplace_id}`, s]));
  return stores.map((s) => {
    const watched = marketplaces.get(s.id) ?? [];
    const mps = watched.map((m) => marketplaceOverview(m, latest.get(`${s.id}/${m.marketplaceId}`), feedback.get(`${s.id}/${m.marketplaceId}`)));
    const times = new Set(mps.flatMap((m) => (typeof m.fetchedAt === 'number' ? [m.fetchedAt] : [])));
    const shared = times.size === 1 ? [...times][0]! : null;
    const amazonName = amazonStoreName(watched);
    const ids = merchantIds.get(s.id) ?? [];
    const out: StoreOverviewWire = {
      id: s.id,
      name: s.name,
      ...(amazonName === null ? {} : { amazonStoreName: amazonName }),
      ...(ids.length ? { merchantIds: ids } : {}),
      region: s.region,
      ...(s.auth_state === 'ok' ? {} : { auth: s.auth_state }),
      lastCheckedAt: s.last_checked_at,
      ...(shared === null ? {} : { fetchedAt: shared }),
      marketplaces: mps.map(({ fetchedAt, ...m }) => compactIdentity(shared === null || fetchedAt !== shared ? { ...m, fetchedAt } : m, amazonName)),
    };
    return out;
  });
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
const OVERVIEW_FORMAT = 3;

/**
 * The last full overview each workspace was answered with in this isolate, and the sequence it was
 * built at. Every profile of a team syncs the same overview (an operator with thirty fingerprint-
 * browser profiles asks thirty times); while the sequence stands, the body is the same bytes, so
 * it is served again without reading or building anything. A few workspaces' worth, oldest out.
 */
const builtBodies = new Map<string, { seq: number; body: string }>();
const BUILT_BODIES_MAX = 8;

function rememberBody(workspaceId: string, seq: number, body: string): void {
  builtBodies.delete(workspaceId);
  builtBodies.set(workspaceId, { seq, body });
  for (const oldest of builtBodies.keys()) {
    if (builtBodies.size <= BUILT_BODIES_MAX) break;
    builtBodies.delete(oldest);
  }
}

/** The number in a cursor of this format; null (answer in full) for another format's. */
function parseCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const [format, seq] = cursor.split('.');
  return Number(format) === OVERVIEW_FORMAT ? Number(seq) : null;
}

/**
 * The overview entries of a workspace's stores, or of some (a delta): the same rows either way.
 * The full answer, a delta and the daily digest all read it here.
 */
export async function overviewStores(db: D1Database, ws: string, ids?: ReadonlySet<string>): Promise<StoreOverviewWire[]> {
  const only = ids ? [...ids] : undefined;
  const [stores, marketplaces, merchantIds, snapshots, feedback] = await Promise.all([
    listStores(db, ws, only),
    listStoreMarketplaces(db, ws, only),
    listMerchantIds(db, ws),
    latestSnapshots(db, ws, only),
    feedbackCounts(db, ws),
  ]);
  return buildOverview(stores, marketplaces, merchantIds, snapshots, feedback);
}

/** One marketplace in full: every metric with Amazon's status and the counts, and the parsed report. */
function marketplaceDetail(storeId: string, m: MarketplaceIdentity, row: { fetched_at: number; taken_at: number; content: string; evaluation: string }): MarketplaceDetailResponseWire {
  const e = JSON.parse(row.evaluation) as MarketplaceEvaluation;
  const content = JSON.parse(row.content) as MarketplaceSnapshot;
  const metrics: NonNullable<MarketplaceOverviewWire['metrics']> = {};
  for (const [id, metric] of Object.entries(e.metrics)) {
    if (!metric) continue;
    metrics[id] = {
      value: metric.value,
      level: metric.level,
      headroom: metric.headroom,
      target: metric.effectiveTarget,
      window: metric.window,
      amazonStatus: metric.amazonStatus,
      counts: metric.counts,
      ...(metric.problem !== undefined ? { problem: metric.problem } : {}),
      ...(metric.level === 'breach' ? { over: metric.over ?? null, wayBack: metric.wayBack ?? null } : {}),
    };
  }
  return {
    storeId,
    marketplace: { marketplaceId: m.marketplaceId, countryCode: m.countryCode, level: e.level, accountStatus: e.accountStatus, ahr: e.ahr, fetchedAt: row.fetched_at, metrics, ...identityOf(m) },
    accountStatusRaw: e.accountStatusRaw,
    warningStates: content.warningStates,
    takenAt: row.taken_at,
    report: content as unknown as Record<string, unknown>,
  };
}

export function overviewRoutes() {
  const app = new Hono<RelayEnv>();

  app.get('/overview', requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const query = readQuery(c, OverviewQuery);
    if (!query.ok) return query.response;
    // Read before the rows: a change that lands in between shows now and again in the next delta.
    const seq = (await overviewSeqStatement(c.env.DB, ws).first<{ seq: number }>())?.seq ?? 0;
    const cursor = `${OVERVIEW_FORMAT}.${seq}`;
    c.header('cache-control', 'private, no-cache');
    const only = query.value.store;
    if (only !== undefined) {
      const stores = await overviewStores(c.env.DB, ws, new Set([only]));
      return c.json({ full: false, stores, removed: stores.length ? [] : [only], cursor: null } satisfies OverviewResponseWire);
    }
    const since = parseCursor(query.value.since);
    if (since !== null && since <= seq) {
      if (since === seq) return c.json({ full: false, stores: [], removed: [], cursor } satisfies OverviewResponseWire);
      const [changed, removed] = await c.env.DB.batch<{ id: string }>([changedStoreIdsStatement(c.env.DB, ws, since), removedStoreIdsStatement(c.env.DB, ws, since)]);
      const ids = new Set((changed?.results ?? []).map((r) => r.id));
      const body: OverviewResponseWire = { full: false, stores: ids.size ? await overviewStores(c.env.DB, ws, ids) : [], removed: (removed?.results ?? []).map((r) => r.id), cursor };
      return c.json(body);
    }
    // Every change the overview shows moves the sequence (db/overview-changes.ts), so the cursor is
    // the validator: an unchanged workspace answers 304 from that one read. With the workspace in
    // it, a browser moved to another workspace at the same number never gets a 304 for the old one.
    const etag = `"${cursor}-${ws}"`;
    c.header('etag', etag);
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    const built = builtBodies.get(ws);
    if (built?.seq === seq) return c.body(built.body, 200, { 'content-type': 'application/json' });
    const body = JSON.stringify({ full: true, stores: await overviewStores(c.env.DB, ws), removed: [], cursor } satisfies OverviewResponseWire);
    // Read after the sequence: at worst newer than it, never older, so it may stand for it.
    rememberBody(ws, seq, body);
    return c.body(body, 200, { 'content-type': 'application/json' });
  });

  app.get(`/stores/:id${STORE_ID}/marketplaces/:marketplaceId${MARKETPLACE_ID}`, requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const store = await getStore(c.env.DB, ws, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    const marketplaceId = c.req.param('marketplaceId');
    const watched = (await listStoreMarketplaces(c.env.DB, ws)).get(store.id)?.find((m) => m.marketplaceId === marketplaceId);
    if (!watched) return apiError(c, 404, 'not_found', 'the store does not sell in that marketplace');
    const row = await latestSnapshot(c.env.DB, ws, store.id, marketplaceId);
    const body: MarketplaceDetailResponseWire = row ? marketplaceDetail(store.id, watched, row) : { storeId: store.id, marketplace: marketplaceOverview(watched, undefined), accountStatusRaw: null, warningStates: [], takenAt: null, report: null };
    return c.json(body);
  });

  app.get(`/stores/:id${STORE_ID}/history`, requireMember, async (c) => {
    const ws = c.var.caller.workspaceId;
    const store = await getStore(c.env.DB, ws, c.req.param('id'));
    if (!store) return apiError(c, 404, 'not_found', 'no such store');
    const query = readQuery(c, HistoryQuery);
    if (!query.ok) return query.response;
    const range = { workspaceId: ws, storeId: store.id, marketplaceId: query.value.marketplaceId, since: query.value.since ?? c.var.deps.now() - HISTORY_DEFAULT_MS, limit: HISTORY_MAX_POINTS };
    if (query.value.metric === AHR_SERIES) {
      // The score's level as the detail colours it: Amazon's status word first (shared/evaluate.ts).
      const ahr = await ahrHistory(c.env.DB, range);
      return c.json({ points: ahr.map((p) => ({ takenAt: p.takenAt, value: p.score, level: ahrLevel(p) })) } satisfies HistoryResponse);
    }
    if (!isMetricId(query.value.metric)) return apiError(c, 400, 'invalid', `metric: unknown metric "${query.value.metric}"`);
    const rows = await metricHistory(c.env.DB, { ...range, metric: query.value.metric });
    const out: HistoryResponse = {
      points: rows.map((r) => ({ takenAt: r.takenAt, value: typeof r.value === 'number' ? r.value : null, level: LEVELS.find((l) => l === r.level) ?? 'unknown' })),
    };
    return c.json(out);
  });

  return app;
}
