/**
 * The SP-API hosts `sellingpartnerapi-{na,eu,fe}.amazon.com`: the Sellers API's
 * getMarketplaceParticipations (model `sellers.json`) and the Reports API 2021-06-30's createReport,
 * getReport and getReportDocument (model `reports_2021-06-30.json`). Each call goes through, in
 * order: the `x-amz-access-token` check (403 `Unauthorized` without a valid token of this region),
 * the seller's token bucket for the operation (429 `QuotaExceeded`, without `x-amzn-RateLimit-Limit`:
 * the models list that header on 2xx, 400 and 404 only), then the seeded fault draw (500
 * `InternalFailure` / 503 `ServiceUnavailable`), then the operation.
 */
import { gzipSync } from 'node:zlib';
import type { DocumentStore } from './documents.ts';
import { feedbackFile, feedbackRows } from './feedback-report.ts';
import { type MarketplaceHealth, marketplaceHealth } from './health.ts';
import type { Lwa } from './lwa.ts';
import { NON_AMAZON_US, type Region, marketplace } from './marketplaces.ts';
import { performanceReport } from './performance-report.ts';
import type { Random } from './prng.ts';
import { type Operation, type RateLimiter, USAGE_PLANS } from './rate-limits.ts';
import { json, spApiError } from './replies.ts';
import { FEEDBACK_REPORT, PERFORMANCE_REPORT, REPORT_TYPES, type StoredReport, createReport, reportView, statusAt } from './reports.ts';
import type { StandInSeller, StandInStats } from './stand-in-types.ts';

const REPORTS = '/reports/2021-06-30';

export interface SpApiContext {
  now: () => number;
  random: Random;
  lwa: Lwa;
  limiter: RateLimiter;
  documents: DocumentStore;
  sellers: ReadonlyMap<string, StandInSeller>;
  reports: Map<string, StoredReport>;
  byDocument: Map<string, StoredReport>;
  generationMs: readonly [number, number];
  faultRate: () => number;
  stats: StandInStats;
  nextSequence: () => number;
}

function requestId(c: SpApiContext): string {
  const hex = (n: number) => Array.from({ length: n }, () => c.random.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

/** The operation a method and path name, with its path parameter. */
function route(method: string, path: string): { operation: Operation; id: string } | null {
  if (method === 'GET' && path === '/sellers/v1/marketplaceParticipations') return { operation: 'getMarketplaceParticipations', id: '' };
  if (method === 'POST' && path === `${REPORTS}/reports`) return { operation: 'createReport', id: '' };
  const report = new RegExp(`^${REPORTS}/reports/([^/]+)$`).exec(path);
  if (method === 'GET' && report) return { operation: 'getReport', id: decodeURIComponent(report[1]!) };
  const document = new RegExp(`^${REPORTS}/documents/([^/]+)$`).exec(path);
  if (method === 'GET' && document) return { operation: 'getReportDocument', id: decodeURIComponent(document[1]!) };
  return null;
}

function participations(seller: StandInSeller): unknown {
  const retail = seller.marketplaceIds.flatMap((id) => {
    const m = marketplace(id);
    return m ? [m] : [];
  });
  const listed = seller.region === 'na' ? [...retail, NON_AMAZON_US] : retail;
  return {
    payload: listed.map(({ region: _region, ...m }) => ({
      marketplace: m,
      participation: { isParticipating: true, hasSuspendedListings: m.id !== NON_AMAZON_US.id && seller.health[m.id] === 'breach' },
      storeName: seller.storeName,
    })),
  };
}

function healthOf(seller: StandInSeller, marketplaceId: string): MarketplaceHealth {
  return marketplaceHealth(seller.sellerId, marketplaceId, seller.health[marketplaceId] ?? 'ok');
}

async function create(c: SpApiContext, seller: StandInSeller, request: Request, limit: Record<string, string>): Promise<Response> {
  let body: { reportType?: unknown; marketplaceIds?: unknown; dataStartTime?: unknown };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return spApiError(400, 'InvalidInput', 'Could not parse the request body as JSON', limit);
  }
  const ids = body.marketplaceIds;
  if (typeof body.reportType !== 'string' || !Array.isArray(ids) || ids.length < 1 || ids.length > 25 || !ids.every((id) => typeof id === 'string')) {
    return spApiError(400, 'InvalidInput', 'reportType and 1 to 25 marketplaceIds are required', limit);
  }
  if (!REPORT_TYPES.includes(body.reportType)) return spApiError(400, 'InvalidInput', `Invalid reportType ${body.reportType}`, limit);
  // Both report types answer for one marketplace at a time; Amazon refuses more in one request with
  // this message (public issue amzn/selling-partner-api-docs#614 quotes it for another such type).
  if (ids.length > 1) {
    return spApiError(400, 'InvalidInput', 'Report rejected for this client. Multiple marketplaces were provided for this report type that can only be applied to one marketplace at a time. Please retry with only one marketplace per request.', limit);
  }
  const marketplaceId = ids[0] as string;
  if (!seller.marketplaceIds.includes(marketplaceId)) return spApiError(400, 'InvalidInput', `Invalid marketplaceIds: the seller does not participate in ${marketplaceId}`, limit);
  const dataStartTime = typeof body.dataStartTime === 'string' ? body.dataStartTime : null;
  const empty = body.reportType === FEEDBACK_REPORT && feedbackInRange(seller, marketplaceId, dataStartTime, c.now()).length === 0;
  const report = createReport(
    { now: c.now, random: c.random, generationMs: c.generationMs },
    { sellerId: seller.sellerId, region: seller.region, reportType: body.reportType, marketplaceIds: [marketplaceId], dataStartTime, empty, sequence: c.nextSequence() },
  );
  c.reports.set(report.reportId, report);
  c.byDocument.set(report.documentId, report);
  c.stats.reportsCreated += 1;
  return json(202, { reportId: report.reportId }, limit);
}

/** The feedback rows from `dataStartTime` on (all of the 60-day window when it is not given). */
function feedbackInRange(seller: StandInSeller, marketplaceId: string, dataStartTime: string | null, now: number) {
  const from = dataStartTime ? Date.parse(dataStartTime) : Number.NEGATIVE_INFINITY;
  return feedbackRows(seller.sellerId, marketplaceId, healthOf(seller, marketplaceId), now).filter((row) => row.at >= from);
}

function documentBody(c: SpApiContext, seller: StandInSeller, report: StoredReport): { body: Uint8Array; contentType: string; gzip: boolean } {
  const marketplaceId = report.marketplaceIds[0]!;
  const health = healthOf(seller, marketplaceId);
  if (report.reportType === PERFORMANCE_REPORT) {
    const text = performanceReport([{ marketplaceId, health }], c.now());
    c.stats.served.set(`${seller.sellerId}/${marketplaceId}`, health);
    // JSON served as text/plain and gzipped, as the Reports guide's download step describes.
    return { body: gzipSync(text), contentType: 'text/plain', gzip: true };
  }
  return { body: new TextEncoder().encode(feedbackFile(feedbackInRange(seller, marketplaceId, report.dataStartTime, c.now()))), contentType: 'text/plain;charset=UTF-8', gzip: false };
}

export async function handleSpApi(c: SpApiContext, region: Region, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const id = { 'x-amzn-RequestId': requestId(c) };
  const now = c.now();
  const grant = c.lwa.grant(request.headers.get('x-amz-access-token') ?? '', now);
  if (grant === null || grant === 'expired' || grant.region !== region) {
    c.stats.unauthorized += 1;
    return spApiError(403, 'Unauthorized', 'Access to requested resource is denied.', id);
  }
  const seller = c.sellers.get(grant.sellerId);
  const found = route(request.method, url.pathname);
  if (!seller || !found) return spApiError(404, 'NotFound', 'Resource not found', id);
  c.stats.calls[found.operation] += 1;
  if (!c.limiter.take(seller.sellerId, found.operation, now)) {
    c.stats.throttled[found.operation] += 1;
    return spApiError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.', id);
  }
  if (c.random.next() < c.faultRate()) {
    c.stats.faults[found.operation] += 1;
    return c.random.next() < 0.5
      ? spApiError(500, 'InternalFailure', 'We encountered an internal error. Please try again.', id)
      : spApiError(503, 'ServiceUnavailable', 'Service temporarily unavailable. Please try again.', id);
  }
  const limit = { ...id, 'x-amzn-RateLimit-Limit': String(USAGE_PLANS[found.operation].rate) };
  switch (found.operation) {
    case 'getMarketplaceParticipations':
      return json(200, participations(seller), limit);
    case 'createReport':
      return create(c, seller, request, limit);
    case 'getReport': {
      const report = c.reports.get(found.id);
      if (!report || report.sellerId !== seller.sellerId) return spApiError(404, 'NotFound', `Report ${found.id} not found`, limit);
      return json(200, reportView(report, now), limit);
    }
    case 'getReportDocument': {
      const report = c.byDocument.get(found.id);
      if (!report || report.sellerId !== seller.sellerId || statusAt(report, now) !== 'DONE') return spApiError(404, 'NotFound', `Report document ${found.id} not found`, limit);
      const doc = documentBody(c, seller, report);
      const documentUrl = c.documents.put(seller.region, `${report.documentId}.${c.nextSequence()}`, { body: doc.body, contentType: doc.contentType }, now);
      return json(200, { reportDocumentId: report.documentId, url: documentUrl, ...(doc.gzip ? { compressionAlgorithm: 'GZIP' } : {}) }, limit);
    }
  }
}
