/**
 * An Amazon stand-in written from Amazon's published models and docs only (see README.md): Login
 * with Amazon, the Sellers and Reports APIs on the three regional SP-API hosts, and the S3-like host
 * of the report documents - one handler that dispatches on the original host. In local runs the
 * relay's outbound map sends every Amazon host to one base URL and keeps the original host in
 * `X-Forwarded-Host` (relay/upstream-map.ts), which is what this reads first.
 *
 * Deterministic: one seeded generator draws generation times, faults and ids, and the clock is
 * injected, so a test can run it on a fake clock and a benchmark on the real one.
 */
import { documentStore } from './documents.ts';
import { lwa } from './lwa.ts';
import type { Region } from './marketplaces.ts';
import { seededRandom } from './prng.ts';
import { OPERATIONS, type Operation, rateLimiter } from './rate-limits.ts';
import { spApiError } from './replies.ts';
import type { StoredReport } from './reports.ts';
import { type SpApiContext, handleSpApi } from './sp-api.ts';
import type { StandInSeller, StandInStats } from './stand-in-types.ts';

export type { StandInSeller, StandInStats } from './stand-in-types.ts';

export interface StandInOptions {
  now: () => number;
  seed?: number;
  /** Milliseconds from createReport to DONE, drawn per report in [min, max]; default 20-90 s. */
  generationMs?: readonly [number, number];
  /** Share of SP-API calls answered 500/503; default 1 %. */
  faultRate?: number;
  /** The app's LWA credentials; null accepts any (as a stand-in for whichever app is configured). */
  client?: { id: string; secret: string } | null;
}

export interface StandIn {
  handle(request: Request): Promise<Response>;
  addSeller(seller: StandInSeller): void;
  /** Empties one of a seller's token buckets now: another client of the same app spent it. */
  drainBucket(sellerId: string, operation: Operation): void;
  /** Switches the 500/503 faults (0 turns them off). */
  setFaultRate(rate: number): void;
  stats: StandInStats;
}

export const DEFAULT_GENERATION_MS: readonly [number, number] = [20_000, 90_000];

const SP_API_HOST = /^sellingpartnerapi-(na|eu|fe)\.amazon\.com$/;

function perOperation(): Record<Operation, number> {
  return Object.fromEntries(OPERATIONS.map((o) => [o, 0])) as Record<Operation, number>;
}

export function createStandIn(options: StandInOptions): StandIn {
  const random = seededRandom(options.seed ?? 1);
  const sellers = new Map<string, StandInSeller>();
  const byRefreshToken = new Map<string, StandInSeller>();
  let faultRate = options.faultRate ?? 0.01;
  let sequence = 0;
  const stats: StandInStats = {
    calls: perOperation(),
    throttled: perOperation(),
    faults: perOperation(),
    unauthorized: 0,
    reportsCreated: 0,
    documentsDownloaded: 0,
    served: new Map(),
  };
  const login = lwa({
    random,
    client: options.client ?? null,
    holders: (token) => {
      const seller = byRefreshToken.get(token);
      return seller ? { sellerId: seller.sellerId, region: seller.region } : undefined;
    },
  });
  const documents = documentStore(`stand-in-${options.seed ?? 1}`);
  const context: SpApiContext = {
    now: options.now,
    random,
    lwa: login,
    limiter: rateLimiter(),
    documents,
    sellers,
    reports: new Map<string, StoredReport>(),
    byDocument: new Map<string, StoredReport>(),
    generationMs: options.generationMs ?? DEFAULT_GENERATION_MS,
    faultRate: () => faultRate,
    stats,
    nextSequence: () => ++sequence,
  };
  return {
    stats,
    drainBucket(sellerId, operation) {
      context.limiter.drain(sellerId, operation, options.now());
    },
    setFaultRate(rate) {
      faultRate = rate;
    },
    addSeller(seller) {
      if (sellers.has(seller.sellerId)) throw new Error(`seller ${seller.sellerId} exists already`);
      sellers.set(seller.sellerId, seller);
      byRefreshToken.set(seller.refreshToken, seller);
    },
    async handle(request) {
      const url = new URL(request.url);
      const host = (request.headers.get('x-forwarded-host') ?? url.host).toLowerCase().replace(/:\d+$/, '');
      if (host === 'api.amazon.com') return login.handle(request, options.now());
      const region = SP_API_HOST.exec(host)?.[1] as Region | undefined;
      if (region) return handleSpApi(context, region, request);
      if (documents.owns(host) && request.method === 'GET') {
        const response = documents.serve(host, url, options.now());
        if (response.ok) stats.documentsDownloaded += 1;
        return response;
      }
      return spApiError(404, 'NotFound', `The stand-in does not serve ${host}`);
    },
  };
}
