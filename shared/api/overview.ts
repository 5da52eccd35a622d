/**
 * Contract of `GET /v1/overview` (the popup's one call), `GET /v1/stores/:id/marketplaces/:mid`
 * (one marketplace in full, fetched when its detail opens) and `GET /v1/stores/:id/history`.
 *
 * The overview is compact on the wire, so 500 stores x 3 marketplaces stay under 300 KB before
 * compression (docs/scale.md): per marketplace only what the popup, the panel and the badge draw
 * before anything is opened - level, account status, Account Health Rating, and the metrics that
 * need attention (warn or breach) with value, level, headroom, target and window. What a reader can
 * rebuild is left out and filled back in by the schemas' transforms below, so every consumer sees
 * one full shape whatever the relay omitted: the country code (from the marketplace table), an
 * account status of NORMAL, a target equal to the catalog's published one, a null headroom.
 */
import * as v from 'valibot';
import { worstLevel } from '../evaluate.ts';
import { marketplaceById } from '../marketplaces.ts';
import { METRICS, isMetricId } from '../metrics.ts';
import { RegionSchema } from './stores.ts';

const LevelSchema = v.picklist(['unknown', 'ok', 'warn', 'breach']);
const TargetSchema = v.object({ value: v.number(), condition: v.picklist(['LESS_THAN', 'GREATER_THAN', 'EQUALS']) });
const AccountStatusSchema = v.picklist(['NORMAL', 'AT_RISK', 'DEACTIVATED', 'UNKNOWN']);
const AmazonStatusSchema = v.picklist(['GOOD', 'BAD', 'NONE', 'UNKNOWN']);
const WindowObject = v.object({ from: v.string(), to: v.string() });
export type DateWindowView = v.InferOutput<typeof WindowObject>;

/**
 * A reporting window as an ISO 8601 interval, `start/end` (the report's own strings, verbatim):
 * 20 bytes less than `{from, to}` on every listed metric.
 */
export function windowInterval(range: DateWindowView): string {
  return `${range.from}/${range.to}`;
}

function windowOf(wire: string | DateWindowView | null): DateWindowView | null {
  if (wire === null || typeof wire === 'object') return wire;
  const slash = wire.indexOf('/');
  return slash < 0 ? null : { from: wire.slice(0, slash), to: wire.slice(slash + 1) };
}

/** The catalog's published target of a metric id (null for ids the catalog does not know). */
export function catalogTarget(metricId: string): v.InferOutput<typeof TargetSchema> | null {
  return isMetricId(metricId) ? METRICS[metricId].fallbackTarget : null;
}

const MetricWire = v.object({
  value: v.nullable(v.number()),
  level: LevelSchema,
  headroom: v.optional(v.nullable(v.number()), null),
  /** Absent: the catalog's published target for the metric (the report's own nearly always is). */
  target: v.optional(v.nullable(TargetSchema)),
  window: v.optional(v.nullable(v.union([v.string(), WindowObject])), null),
  /** Only in the marketplace detail. */
  amazonStatus: v.optional(AmazonStatusSchema),
  /** Only in the marketplace detail: the counts behind the rate (`total`, `defects`, sub-counts). */
  counts: v.optional(v.record(v.string(), v.number())),
  /** Why the metric could not be read from the report (it is then `unknown`); absent when it read fine. */
  problem: v.optional(v.string()),
  /** A breach only: defects past the target, and defect-free orders/shipments that bring it back (docs/levels.md). */
  over: v.optional(v.nullable(v.number())),
  wayBack: v.optional(v.nullable(v.number())),
});

export interface MetricOverview {
  value: number | null;
  level: v.InferOutput<typeof LevelSchema>;
  headroom: number | null;
  target: v.InferOutput<typeof TargetSchema> | null;
  window: DateWindowView | null;
  amazonStatus?: v.InferOutput<typeof AmazonStatusSchema>;
  counts?: Record<string, number>;
  problem?: string;
  over?: number | null;
  wayBack?: number | null;
}

function expandMetrics(metrics: Record<string, v.InferOutput<typeof MetricWire>>): Record<string, MetricOverview> {
  const out: Record<string, MetricOverview> = {};
  for (const [id, m] of Object.entries(metrics)) {
    const { target, window, ...rest } = m;
    out[id] = { ...rest, target: target === undefined ? catalogTarget(id) : target, window: windowOf(window) };
  }
  return out;
}

/** Amazon's rating; on the wire a bare status string when there is no score (`"GREAT"`). */
const AhrWire = v.union([v.string(), v.object({ status: v.optional(v.nullable(v.string()), null), score: v.optional(v.nullable(v.number()), null) })]);

const MarketplaceWire = v.object({
  marketplaceId: v.string(),
  /** Absent: the marketplace table's code for the id. */
  countryCode: v.optional(v.string()),
  level: LevelSchema,
  /** Absent: NORMAL (a marketplace never checked says UNKNOWN). */
  accountStatus: v.optional(AccountStatusSchema),
  ahr: v.optional(v.nullable(AhrWire), null),
  /** When the numbers were downloaded; null = never checked yet; absent = the store's `fetchedAt`. */
  fetchedAt: v.optional(v.nullable(v.number())),
  /** The metrics that need attention (warn, breach); the detail route has every metric. */
  metrics: v.optional(v.record(v.string(), MetricWire), {}),
  /** Amazon's own name of the store in this marketplace (Sellers API `storeName`); null until known. */
  storeName: v.optional(v.nullable(v.string())),
  /** Sellers API `participation.hasSuspendedListings`; null until known. */
  hasSuspendedListings: v.optional(v.nullable(v.boolean())),
  /** 1-2 star feedback inside the ODR window, from the feedback report; null until it was read. */
  negativeFeedback: v.optional(v.nullable(v.object({ count: v.number(), windowDays: v.number() }))),
});

function expandMarketplace(wire: v.InferOutput<typeof MarketplaceWire>, storeFetchedAt: number | null) {
  const { countryCode, accountStatus, metrics, ahr, fetchedAt, ...m } = wire;
  return {
    ...m,
    countryCode: countryCode ?? marketplaceById(m.marketplaceId)?.countryCode ?? m.marketplaceId,
    accountStatus: accountStatus ?? 'NORMAL',
    ahr: typeof ahr === 'string' ? { status: ahr, score: null } : ahr,
    fetchedAt: fetchedAt === undefined ? storeFetchedAt : fetchedAt,
    metrics: expandMetrics(metrics),
  };
}

/** One marketplace as the relay sends it (compact) and as every reader sees it (expanded). */
export const MarketplaceOverview = v.pipe(
  MarketplaceWire,
  v.transform((m) => expandMarketplace(m, null)),
);
export type MarketplaceOverviewWire = v.InferInput<typeof MarketplaceWire>;
export type MarketplaceOverview = ReturnType<typeof expandMarketplace>;

export const StoreOverview = v.pipe(
  v.object({
    id: v.string(),
    name: v.string(),
    /** Amazon's store name (Sellers API `storeName`, first marketplace that has one); absent = null, not known yet. */
    amazonStoreName: v.optional(v.nullable(v.string())),
    /** Merchant ids that identify this store on Seller Central addresses (`mons_sel_mcid`): the
     * selling partner id of an OAuth-connected store and those recorded from pages whose store was certain. */
    merchantIds: v.optional(v.array(v.string())),
    region: RegionSchema,
    /** Absent: the worst of its marketplaces' levels. */
    level: v.optional(LevelSchema),
    /** Absent: ok. */
    auth: v.optional(v.picklist(['ok', 'lost']), 'ok'),
    lastCheckedAt: v.nullable(v.number()),
    /** When its marketplaces' numbers were downloaded, for those that leave theirs out (one step reads them all). */
    fetchedAt: v.optional(v.nullable(v.number())),
    marketplaces: v.array(MarketplaceWire),
  }),
  v.transform(({ fetchedAt, level, marketplaces, ...s }) => {
    const markets = marketplaces.map((m) => expandMarketplace(m, fetchedAt ?? null));
    return { ...s, level: level ?? worstLevel(markets.map((m) => m.level)), marketplaces: markets };
  }),
);
export type StoreOverviewWire = v.InferInput<typeof StoreOverview>;
export type StoreOverview = v.InferOutput<typeof StoreOverview>;

/** An opaque position in a workspace's changes: `?since=` it lists only what changed after. */
export const OverviewCursor = v.pipe(v.string(), v.regex(/^\d{1,4}\.\d{1,15}$/, 'a cursor from an earlier overview'));

export const OverviewQuery = v.strictObject({
  since: v.optional(OverviewCursor),
  /** One store alone (a store-scoped browser profile syncs its own first); the answer has no cursor. */
  store: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/, 'a store id'))),
});

export const OverviewResponse = v.object({
  /**
   * `full`: `stores` is the whole workspace (no `since`, or one the relay cannot answer from);
   * otherwise only the stores changed since the cursor, and `removed` the ids of deleted ones.
   */
  full: v.optional(v.boolean(), true),
  stores: v.array(StoreOverview),
  removed: v.optional(v.array(v.string()), []),
  /** Send back as `?since=` to get only what changes after this answer. */
  cursor: v.optional(v.nullable(OverviewCursor), null),
});
export type OverviewResponseWire = v.InferInput<typeof OverviewResponse>;
export type OverviewResponse = v.InferOutput<typeof OverviewResponse>;

/** `GET /v1/stores/:id/marketplaces/:marketplaceId`: every metric, the warnings and the parsed report. */
export const MarketplaceDetailResponse = v.object({
  storeId: v.string(),
  marketplace: MarketplaceOverview,
  /** The report's account status verbatim (`SUSPENDED` survives here); null without a snapshot. */
  accountStatusRaw: v.nullable(v.string()),
  warningStates: v.array(v.object({ type: v.string(), status: v.string() })),
  /** When the newest reading was taken; null = none yet. */
  takenAt: v.nullable(v.number()),
  /** The full parsed report of the newest reading (shared/types.ts MarketplaceSnapshot); null = none yet. */
  report: v.nullable(v.record(v.string(), v.unknown())),
});
export type MarketplaceDetailResponseWire = v.InferInput<typeof MarketplaceDetailResponse>;
export type MarketplaceDetailResponse = v.InferOutput<typeof MarketplaceDetailResponse>;

export const HistoryQuery = v.strictObject({
  marketplaceId: v.pipe(v.string(), v.regex(/^[A-Z0-9]{8,20}$/, 'a marketplace id')),
  /** A metric id, or AHR_SERIES (history-series.ts). */
  metric: v.pipe(v.string(), v.regex(/^[A-Za-z]{2,64}$/, 'a metric id')),
  /** Epoch milliseconds; default 90 days back. */
  since: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'epoch milliseconds'), v.transform(Number))),
});
export type HistoryQuery = v.InferOutput<typeof HistoryQuery>;

export const HistoryResponse = v.object({
  points: v.array(v.object({ takenAt: v.number(), value: v.nullable(v.number()), level: LevelSchema })),
});
export type HistoryResponse = v.InferOutput<typeof HistoryResponse>;
