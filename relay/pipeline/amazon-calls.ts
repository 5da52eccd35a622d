/**
 * Makes the one Amazon call a report job planned and classifies the answer into an Outcome for
 * the pure state machine. No retries here: the state machine owns back-off (a 429 must never be
 * retried in a loop - DOMAIN.md section 2 rates are per seller and app).
 */
import type { AmazonCall, Outcome, ProcessingStatus } from '../../shared/report-job.ts';

const REPORT_TYPE = 'GET_V2_SELLER_PERFORMANCE_REPORT';

export interface SpApi {
  /** e.g. https://sellingpartnerapi-na.amazon.com */
  endpoint: string;
  accessToken: string;
  fetch: typeof fetch;
}

type Failure = Extract<Outcome, { type: 'throttled' | 'transient' | 'rejected' }>;

async function amazonError(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    if (first) return `${first.code ?? 'Error'}: ${first.message ?? ''}`.trim();
  } catch {
    // not JSON: fall through to the status line
  }
  return `HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ''}`;
}

/** 429 -> throttled, 5xx -> transient, other 4xx -> rejected (retrying will not help). */
async function failureOf(res: Response): Promise<Failure> {
  if (res.status === 429) return { type: 'throttled' };
  const error = await amazonError(res);
  if (res.status >= 500) return { type: 'transient', error };
  return { type: 'rejected', error: res.status === 403 ? `${error} (does the app have the Selling Partner Insights role?)` : error };
}

async function send(api: SpApi, method: string, path: string, body?: unknown): Promise<Response | Failure> {
  try {
    return await api.fetch(`${api.endpoint}${path}`, {
      method,
      headers: { 'x-amz-access-token': api.accessToken, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    return { type: 'transient', error: `Amazon unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function isFailure(value: Response | Failure): value is Failure {
  return !(value instanceof Response);
}

async function createReports(api: SpApi, marketplaceIds: string[]): Promise<Outcome> {
  const reportIds: Record<string, string> = {};
  for (const marketplaceId of marketplaceIds) {
    const res = await send(api, 'POST', '/reports/2021-06-30/reports', { reportType: REPORT_TYPE, marketplaceIds: [marketplaceId] });
    const failure = isFailure(res) ? res : res.ok ? null : await failureOf(res);
    if (failure) {
      // Keep what was created: the job asks again only for the rest.
      return Object.keys(reportIds).length > 0 && failure.type !== 'rejected' ? { type: 'created', reportIds } : failure;
    }
    const body = (await (res as Response).json()) as { reportId?: unknown };
    if (typeof body.reportId !== 'string') return { type: 'transient', error: 'createReport answered without a reportId' };
    reportIds[marketplaceId] = body.reportId;
  }
  return { type: 'created', reportIds };
}

const STATUSES = new Set(['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'CANCELLED', 'FATAL']);

async function getReports(api: SpApi, reportIds: string[]): Promise<Outcome> {
  const reports: Record<string, { status: ProcessingStatus; documentId?: string | null }> = {};
  for (const reportId of reportIds) {
    const res = await send(api, 'GET', `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`);
    const failure = isFailure(res) ? res : res.ok ? null : await failureOf(res);
    if (failure) return Object.keys(reports).length > 0 && failure.type === 'throttled' ? { type: 'statuses', reports } : failure;
    const body = (await (res as Response).json()) as { processingStatus?: unknown; reportDocumentId?: unknown };
    if (typeof body.processingStatus !== 'string' || !STATUSES.has(body.processingStatus)) {
      return { type: 'transient', error: `getReport answered an unknown processingStatus ${String(body.processingStatus)}` };
    }
    reports[reportId] = {
      status: body.processingStatus as ProcessingStatus,
      documentId: typeof body.reportDocumentId === 'string' ? body.reportDocumentId : null,
    };
  }
  return { type: 'statuses', reports };
}

async function gunzip(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const stream = new Response(bytes).body!.pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

async function downloadDocuments(api: SpApi, documentIds: string[]): Promise<Outcome> {
  const documents: Record<string, string> = {};
  for (const documentId of documentIds) {
    const res = await send(api, 'GET', `/reports/2021-06-30/documents/${encodeURIComponent(documentId)}`);
    const failure = isFailure(res) ? res : res.ok ? null : await failureOf(res);
    if (failure) return failure;
    const meta = (await (res as Response).json()) as { url?: unknown; compressionAlgorithm?: unknown };
    if (typeof meta.url !== 'string') return { type: 'transient', error: 'getReportDocument answered without a url' };
    let file: Response;
    try {
      // The pre-signed URL lives 5 minutes: fetched right after it was issued, never stored.
      file = await api.fetch(meta.url);
    } catch (error) {
      return { type: 'transient', error: `Report document unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!file.ok) {
      // 403 here is an expired or refused pre-signed URL: the next attempt asks for a fresh one.
      return { type: 'transient', error: `Report document download failed: HTTP ${file.status}` };
    }
    let bytes = await file.arrayBuffer();
    if (meta.compressionAlgorithm === 'GZIP') {
      try {
        bytes = await gunzip(bytes);
      } catch {
        documents[documentId] = ''; // an unreadable archive is a broken document: the parser says so
        continue;
      }
    }
    documents[documentId] = new TextDecoder().decode(bytes);
  }
  return { type: 'downloaded', documents };
}

export function performCall(api: SpApi, call: AmazonCall): Promise<Outcome> {
  switch (call.call) {
    case 'createReports':
      return createReports(api, call.marketplaceIds);
    case 'getReports':
      return getReports(api, call.reportIds);
    case 'downloadDocuments':
      return downloadDocuments(api, call.documentIds);
  }
}
