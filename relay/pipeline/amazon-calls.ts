/**
 * Makes one round of the Amazon calls a report job planned (shared/report-job.ts `callAmazon`)
 * and classifies what came back into an Outcome for the state machine. No retries here: the state
 * machine owns back-off (a 429 retried in a loop only digs deeper - the rates of
 * docs/domain/amazon-limits.md#rate-limits are per seller and app), and a round stops at the first
 * call that fails, reporting what it achieved before.
 */
import { type AmazonCall, type Failure, type Outcome, PROCESSING_STATUSES, type ProcessingStatus } from '../../shared/report-job-types.ts';
import type { Region } from '../../shared/types.ts';
import { documentUrlProblem, readDocument } from '../amazon/report-document.ts';
import { type SpApiResponse, describeSpApiErrors, spApiRequest } from '../amazon/sp-api.ts';

const REPORT_TYPE = 'GET_V2_SELLER_PERFORMANCE_REPORT';
const REPORTS = '/reports/2021-06-30';

export interface SpApiSession {
  region: Region;
  accessToken: string;
  fetch: typeof fetch;
  /** Local runs only: a stand-in Amazon may link its documents on 127.0.0.1. */
  allowLoopbackDocuments?: boolean;
}

/** A fetch that gives up after `ms`: a hung connection becomes a retryable failure, not a stuck step. */
export function withTimeout(fetcher: typeof fetch, ms: number): typeof fetch {
  return (input, init) => fetcher(input, { ...init, signal: AbortSignal.timeout(ms) });
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name === 'TimeoutError' ? 'timed out' : error.message}` : String(error);
}

async function request(s: SpApiSession, method: 'GET' | 'POST', path: string, body: unknown): Promise<SpApiResponse | Failure> {
  try {
    return await spApiRequest(s.region, s.accessToken, method, path, body, s.fetch);
  } catch (error) {
    return { type: 'transient', error: `Amazon could not be reached: ${message(error)}` };
  }
}

function isFailure(value: SpApiResponse | Failure): value is Failure {
  return 'type' in value;
}

/** 429 -> throttled, 5xx -> transient, any other non-2xx -> rejected (asking again will not help). */
export function classify(res: SpApiResponse): Failure | null {
  if (res.status >= 200 && res.status < 300) return null;
  if (res.status === 429) return { type: 'throttled' };
  const detail = `HTTP ${res.status} ${describeSpApiErrors(res.body)}`;
  if (res.status >= 500) return { type: 'transient', error: detail };
  // A 403 on the Reports API usually means the app lacks the Selling Partner Insights role
  // (docs/domain/amazon-limits.md#errors-the-relay-handles).
  return { type: 'rejected', error: res.status === 403 ? `${detail} (does the app have the Selling Partner Insights role?)` : detail };
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

async function createReports(s: SpApiSession, marketplaceIds: string[]): Promise<Outcome> {
  const reportIds: Record<string, string> = {};
  const refused: Record<string, string> = {};
  for (const marketplaceId of marketplaceIds) {
    const res = await request(s, 'POST', `${REPORTS}/reports`, { reportType: REPORT_TYPE, marketplaceIds: [marketplaceId] });
    const failure = isFailure(res) ? res : classify(res);
    if (failure?.type === 'rejected') {
      refused[marketplaceId] = failure.error; // that marketplace only; the others go on
      continue;
    }
    if (failure) return { type: 'created', reportIds, refused, failure };
    const reportId = field((res as SpApiResponse).body, 'reportId');
    if (typeof reportId !== 'string') return { type: 'created', reportIds, refused, failure: { type: 'transient', error: 'createReport answered without a reportId' } };
    reportIds[marketplaceId] = reportId;
  }
  return { type: 'created', reportIds, refused };
}

const STATUSES = new Set<string>(PROCESSING_STATUSES);

async function getReports(s: SpApiSession, reportIds: string[]): Promise<Outcome> {
  const reports: Record<string, { status: ProcessingStatus; documentId: string | null }> = {};
  for (const reportId of reportIds) {
    const res = await request(s, 'GET', `${REPORTS}/reports/${encodeURIComponent(reportId)}`, null);
    const failure = isFailure(res) ? res : classify(res);
    if (failure) return { type: 'statuses', reports, failure };
    const status = field((res as SpApiResponse).body, 'processingStatus');
    if (typeof status !== 'string' || !STATUSES.has(status)) {
      return { type: 'statuses', reports, failure: { type: 'transient', error: `getReport answered an unknown processingStatus ${String(status)}` } };
    }
    const documentId = field((res as SpApiResponse).body, 'reportDocumentId');
    reports[reportId] = { status: status as ProcessingStatus, documentId: typeof documentId === 'string' ? documentId : null };
  }
  return { type: 'statuses', reports };
}

/** getReportDocument, then the file at its pre-signed URL (fetched at once: it lives 5 minutes). */
async function downloadOne(s: SpApiSession, documentId: string): Promise<Uint8Array | Failure> {
  const res = await request(s, 'GET', `${REPORTS}/documents/${encodeURIComponent(documentId)}`, null);
  const failure = isFailure(res) ? res : classify(res);
  if (failure) return failure;
  const url = field((res as SpApiResponse).body, 'url');
  if (typeof url !== 'string') return { type: 'transient', error: 'getReportDocument answered without a url' };
  const problem = documentUrlProblem(url, s.allowLoopbackDocuments === true);
  if (problem) return { type: 'unusable', error: problem };
  let file: Response;
  try {
    // No Amazon headers: the URL is pre-signed, and an extra header would break S3's signature.
    file = await s.fetch(url);
  } catch (error) {
    return { type: 'transient', error: `The report document could not be downloaded: ${message(error)}` };
  }
  // S3 refuses an expired pre-signed URL with 403 (AccessDenied: Request has expired).
  if (file.status === 403) return { type: 'urlExpired' };
  if (!file.ok) return { type: 'transient', error: `The report document download answered HTTP ${file.status}` };
  const gzip = field((res as SpApiResponse).body, 'compressionAlgorithm') === 'GZIP';
  let read: Awaited<ReturnType<typeof readDocument>>;
  try {
    // Counted while downloading and while inflating: a document past a cap fails the job.
    read = await readDocument(file, gzip);
  } catch (error) {
    return { type: 'transient', error: `The report document download broke off: ${message(error)}` };
  }
  if (read.ok) return read.bytes;
  // Broken gzip is most likely a cut-off download: worth another try.
  return read.tooLarge ? { type: 'unusable', error: read.reason } : { type: 'transient', error: 'The report document is not valid gzip (a cut-off download?)' };
}

async function downloadDocuments(s: SpApiSession, documentIds: string[]): Promise<Outcome> {
  const documents: Record<string, Uint8Array> = {};
  for (const documentId of documentIds) {
    const result = await downloadOne(s, documentId);
    if (!(result instanceof Uint8Array)) return { type: 'downloaded', documents, failure: result };
    documents[documentId] = result;
  }
  return { type: 'downloaded', documents };
}

export function performCall(s: SpApiSession, call: AmazonCall): Promise<Outcome> {
  switch (call.call) {
    case 'createReports':
      return createReports(s, call.marketplaceIds);
    case 'getReports':
      return getReports(s, call.reportIds);
    case 'downloadDocuments':
      return downloadDocuments(s, call.documentIds);
  }
}
