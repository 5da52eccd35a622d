/**
 * Reports API 2021-06-30 (reports_2021-06-30.json; docs/domain/amazon-limits.md): createReport,
 * getReport, getReportDocument for the one report type Storewatch uses.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isRecord, iso, json, readJson, spError } from './http.ts';
import { buildReportDocument } from './report-document.ts';
import { presignedUrl } from './report-download.ts';
import type { ReportRecord, SandboxState, Seller } from './state.ts';

export const PERFORMANCE_REPORT = 'GET_V2_SELLER_PERFORMANCE_REPORT';

/** POST /reports/2021-06-30/reports */
export async function createReport(state: SandboxState, seller: Seller, req: Request): Promise<Response> {
  const body = await readJson(req);
  if (!isRecord(body)) return spError(400, 'InvalidInput', 'Request body is not a valid CreateReportSpecification.');
  const { reportType, marketplaceIds } = body;
  if (typeof reportType !== 'string' || reportType === '') return spError(400, 'InvalidInput', 'reportType is required.');
  if (reportType !== PERFORMANCE_REPORT) return spError(400, 'InvalidInput', `Invalid reportType ${reportType}.`);
  if (!Array.isArray(marketplaceIds) || marketplaceIds.length < 1 || marketplaceIds.length > 25) {
    return spError(400, 'InvalidInput', 'marketplaceIds must list 1 to 25 marketplace ids.');
  }
  for (const id of marketplaceIds) {
    if (typeof id !== 'string' || !seller.marketplaceIds.includes(id)) {
      return spError(400, 'InvalidInput', `Invalid marketplaceId ${String(id)} for this seller.`);
    }
  }
  const ids = [...new Set(marketplaceIds as string[])];
  const now = state.now();
  const slow = state.faults.take(seller.sellerId, 'slow');
  const processingMs = state.reportProcessingMs * (slow?.factor ?? 1);
  const outcome = state.faults.take(seller.sellerId, 'fatal')
    ? 'FATAL'
    : state.faults.take(seller.sellerId, 'cancelled')
      ? 'CANCELLED'
      : 'DONE';
  const reportId = String(state.nextReportNumber++);
  const record: ReportRecord = {
    reportId,
    sellerId: seller.sellerId,
    reportType,
    marketplaceIds: ids,
    createdAt: now,
    // A third of the time waiting in the queue, the rest in progress.
    queueMs: Math.floor(processingMs / 3),
    processingMs,
    outcome,
  };
  if (outcome !== 'CANCELLED') {
    // The document snapshots the metrics as of the request. A FATAL report carries a document
    // explaining the failure, as Amazon's do (docs/domain/amazon-limits.md).
    const content =
      outcome === 'DONE'
        ? buildReportDocument(ids.map((id) => ({ id, metrics: seller.metrics.get(id)! })), now)
        : { errorDetails: 'Report processing failed (sandbox fault "fatal").' };
    const reportDocumentId = `amzn1.spdoc.1.4.${seller.region}.${randomUUID()}`;
    const path = `/${randomBytes(16).toString('hex')}/amzn1.tortuga.4.${seller.region}.${randomUUID()}`;
    state.documents.set(reportDocumentId, { reportDocumentId, sellerId: seller.sellerId, region: seller.region, path, json: JSON.stringify(content) });
    state.documentPaths.set(path, reportDocumentId);
    record.reportDocumentId = reportDocumentId;
  }
  state.reports.set(reportId, record);
  return json(202, { reportId });
}

/** Report status is a pure function of the clock: IN_QUEUE -> IN_PROGRESS -> outcome. */
export function reportView(r: ReportRecord, now: number): Record<string, unknown> {
  const elapsed = now - r.createdAt;
  const started = elapsed >= r.queueMs;
  const finished = elapsed >= r.processingMs;
  return {
    reportId: r.reportId,
    reportType: r.reportType,
    marketplaceIds: r.marketplaceIds,
    createdTime: iso(r.createdAt),
    processingStatus: finished ? r.outcome : started ? 'IN_PROGRESS' : 'IN_QUEUE',
    ...(started ? { processingStartTime: iso(r.createdAt + r.queueMs) } : {}),
    ...(finished ? { processingEndTime: iso(r.createdAt + r.processingMs) } : {}),
    ...(finished && r.reportDocumentId ? { reportDocumentId: r.reportDocumentId } : {}),
  };
}

/** GET /reports/2021-06-30/reports/{reportId} - a seller sees only its own reports. */
export function getReport(state: SandboxState, seller: Seller, reportId: string): Response {
  const r = state.reports.get(reportId);
  if (!r || r.sellerId !== seller.sellerId) return spError(404, 'NotFound', `Report ${reportId} not found.`);
  return json(200, reportView(r, state.now()));
}

/** GET /reports/2021-06-30/documents/{reportDocumentId} */
export function getReportDocument(state: SandboxState, seller: Seller, documentId: string): Response {
  const doc = state.documents.get(documentId);
  const report = [...state.reports.values()].find((r) => r.reportDocumentId === documentId);
  // Not yet finished counts as not found: the id is only published once the report is done.
  if (!doc || doc.sellerId !== seller.sellerId || !report || reportView(report, state.now()).reportDocumentId === undefined) {
    return spError(404, 'NotFound', `Report document ${documentId} not found.`);
  }
  const expired = state.faults.take(seller.sellerId, 'expired-url') !== undefined;
  const signedAt = expired ? state.now() - 301_000 : state.now();
  return json(200, { reportDocumentId: documentId, url: presignedUrl(state, doc, signedAt), compressionAlgorithm: 'GZIP' });
}
