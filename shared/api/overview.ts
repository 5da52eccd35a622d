/** Contract of `GET /v1/overview` (the popup's one call) and `GET /v1/stores/:id/history`. */
import * as v from 'valibot';
import { RegionSchema } from './stores.ts';

const LevelSchema = v.picklist(['unknown', 'ok', 'warn', 'breach']);
const TargetSchema = v.object({ value: v.number(), condition: v.picklist(['LESS_THAN', 'GREATER_THAN', 'EQUALS']) });

export const MetricOverview = v.object({
  value: v.nullable(v.number()),
  level: LevelSchema,
  headroom: v.nullable(v.number()),
  target: v.nullable(TargetSchema),
  amazonStatus: v.picklist(['GOOD', 'BAD', 'NONE', 'UNKNOWN']),
  window: v.nullable(v.object({ from: v.string(), to: v.string() })),
  counts: v.record(v.string(), v.number()),
  /** Why the metric could not be read from the report (it is then `unknown`); absent when it read fine. */
  problem: v.optional(v.string()),
  /** A breach only: defects past the target, and defect-free orders/shipments that bring it back (docs/levels.md). */
  over: v.optional(v.nullable(v.number())),
  wayBack: v.optional(v.nullable(v.number())),
});
export type MetricOverview = v.InferOutput<typeof MetricOverview>;

export const MarketplaceOverview = v.object({
  marketplaceId: v.string(),
  countryCode: v.string(),
  level: LevelSchema,
  accountStatus: v.picklist(['NORMAL', 'AT_RISK', 'DEACTIVATED', 'UNKNOWN']),
  ahr: v.nullable(v.object({ status: v.nullable(v.string()), score: v.nullable(v.number()) })),
  /** When the numbers were downloaded; null = never checked yet. */
  fetchedAt: v.nullable(v.number()),
  metrics: v.record(v.string(), MetricOverview),
  /** Amazon's own name of the store in this marketplace (Sellers API `storeName`); null until known. */
  storeName: v.optional(v.nullable(v.string())),
  /** Sellers API `participation.hasSuspendedListings`; null until known. */
  hasSuspendedListings: v.optional(v.nullable(v.boolean())),
});
export type MarketplaceOverview = v.InferOutput<typeof MarketplaceOverview>;

export const StoreOverview = v.object({
  id: v.string(),
  name: v.string(),
  /** Amazon's store name (Sellers API `storeName`, first marketplace that has one); null until known. */
  amazonStoreName: v.optional(v.nullable(v.string())),
  /** Merchant ids that identify this store on Seller Central addresses (`mons_sel_mcid`): the
   * selling partner id of an OAuth-connected store and those recorded from pages whose store was certain. */
  merchantIds: v.optional(v.array(v.string())),
  region: RegionSchema,
  level: LevelSchema,
  auth: v.picklist(['ok', 'lost']),
  lastCheckedAt: v.nullable(v.number()),
  marketplaces: v.array(MarketplaceOverview),
});
export type StoreOverview = v.InferOutput<typeof StoreOverview>;

export const OverviewResponse = v.object({ stores: v.array(StoreOverview) });
export type OverviewResponse = v.InferOutput<typeof OverviewResponse>;

export const HistoryQuery = v.strictObject({
  marketplaceId: v.pipe(v.string(), v.regex(/^[A-Z0-9]{8,20}$/, 'a marketplace id')),
  metric: v.pipe(v.string(), v.regex(/^[A-Za-z]{2,64}$/, 'a metric id')),
  /** Epoch milliseconds; default 90 days back. */
  since: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'epoch milliseconds'), v.transform(Number))),
});
export type HistoryQuery = v.InferOutput<typeof HistoryQuery>;

export const HistoryResponse = v.object({
  points: v.array(v.object({ takenAt: v.number(), value: v.nullable(v.number()), level: LevelSchema })),
});
export type HistoryResponse = v.InferOutput<typeof HistoryResponse>;
