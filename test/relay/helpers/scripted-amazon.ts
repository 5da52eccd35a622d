/**
 * A scripted Amazon for the pipeline's workerd tests, written from docs/domain/amazon-limits.md and
 * the Reports API model: LWA, createReport, getReport, getReportDocument and the pre-signed,
 * gzipped document. Faults are queued per operation so a test says exactly what happens on which
 * call.
 */
export type Operation = 'lwa' | 'createReport' | 'getReport' | 'getReportDocument' | 'download';
export type Fault = 429 | 500 | 'timeout' | 'invalid_grant' | 'FATAL' | 'CANCELLED' | 'malformed' | 'expired';

export interface ScriptedAmazonOptions {
  /** Refresh token -> report documents by marketplace (the JSON Amazon would serve). */
  sellers: Record<string, { documents: Record<string, () => unknown> }>;
  /** getReport polls before a report is DONE (IN_QUEUE, then IN_PROGRESS, then DONE). */
  pollsUntilDone?: number;
}

const gzip = async (text: string): Promise<ArrayBuffer> =>
  new Response(new Response(new TextEncoder().encode(text)).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();

export class ScriptedAmazon {
  readonly calls: Array<{ op: Operation; path: string }> = [];
  readonly faults: Record<Operation, Fault[]> = { lwa: [], createReport: [], getReport: [], getReportDocument: [], download: [] };
  private readonly reports = new Map<string, { seller: string; marketplaceId: string; polls: number; end?: 'FATAL' | 'CANCELLED' }>();
  private readonly tokens = new Map<string, string>();
  private readonly revoked = new Set<string>();
  private serial = 0;
  private readonly options: ScriptedAmazonOptions;

  constructor(options: ScriptedAmazonOptions) {
    this.options = options;
  }

  /** Queues faults for the next calls of an operation. */
  fail(op: Operation, ...faults: Fault[]): this {
    this.faults[op].push(...faults);
    return this;
  }

  /** The seller revokes the app: its access tokens stop working and its refresh token is refused. */
  revoke(refreshToken: string): this {
    for (const [token, seller] of this.tokens) if (seller === refreshToken) this.tokens.delete(token);
    this.revoked.add(refreshToken);
    return this;
  }

  count(op: Operation): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname === 'api.amazon.com') return this.lwa(request);
    if (url.hostname.endsWith('.amazonaws.com')) return this.download(url);
    const seller = this.tokens.get(request.headers.get('x-amz-access-token') ?? '');
    const reports = '/reports/2021-06-30/';
    if (!seller) return this.errors(403, 'Unauthorized', 'Access to requested resource is denied.');
    if (request.method === 'POST' && url.pathname === `${reports}reports`) return this.createReport(seller, (await request.json()) as { marketplaceIds: string[] });
    if (url.pathname.startsWith(`${reports}reports/`)) return this.getReport(seller, url.pathname.slice(`${reports}reports/`.length));
    if (url.pathname.startsWith(`${reports}documents/`)) return this.getReportDocument(url.pathname.slice(`${reports}documents/`.length));
    return this.errors(404, 'NotFound', `No route ${url.pathname}`);
  };

  private next(op: Operation, path: string): Fault | undefined {
    this.calls.push({ op, path });
    return this.faults[op].shift();
  }

  private errors(status: number, code: string, message: string): Response {
    return Response.json({ errors: [{ code, message }] }, { status, headers: { 'x-amzn-RequestId': `req-${++this.serial}` } });
  }

  private generic(fault: Fault | undefined): Response | null {
    if (fault === 429) return this.errors(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.');
    if (fault === 500) return this.errors(500, 'InternalFailure', 'We encountered an internal error. Please try again.');
    if (fault === 'timeout') throw new Error('The operation timed out');
    return null;
  }

  private async lwa(request: Request): Promise<Response> {
    // Decoded by hand: workerd warns that .text() on a form body may corrupt it.
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    const fault = this.next('lwa', '/auth/o2/token');
    const refresh = form.get('refresh_token') ?? '';
    if (fault === 'invalid_grant' || !this.options.sellers[refresh] || this.revoked.has(refresh)) {
      return Response.json({ error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' }, { status: 400 });
    }
    const generic = this.generic(fault);
    if (generic) return generic;
    const token = `Atza|access-${++this.serial}`;
    this.tokens.set(token, refresh);
    return Response.json({ access_token: token, token_type: 'bearer', expires_in: 3600 });
  }

  private createReport(seller: string, body: { marketplaceIds: string[] }): Response {
    const fault = this.next('createReport', 'createReport');
    const generic = this.generic(fault);
    if (generic) return generic;
    const reportId = `${++this.serial}019999`;
    const end = fault === 'FATAL' || fault === 'CANCELLED' ? fault : undefined;
    this.reports.set(reportId, { seller, marketplaceId: body.marketplaceIds[0]!, polls: 0, ...(end ? { end } : {}) });
    return Response.json({ reportId }, { status: 202 });
  }

  private getReport(seller: string, reportId: string): Response {
    const fault = this.next('getReport', reportId);
    const generic = this.generic(fault);
    if (generic) return generic;
    const report = this.reports.get(reportId);
    if (!report || report.seller !== seller) return this.errors(404, 'NotFound', 'Report not found');
    if (fault === 'FATAL' || fault === 'CANCELLED') report.end = fault;
    report.polls++;
    const until = this.options.pollsUntilDone ?? 1;
    const status = report.end ?? (report.polls >= until ? 'DONE' : report.polls === 1 ? 'IN_QUEUE' : 'IN_PROGRESS');
    return Response.json({
      reportId,
      reportType: 'GET_V2_SELLER_PERFORMANCE_REPORT',
      marketplaceIds: [report.marketplaceId],
      createdTime: '2026-11-23T00:00:00Z',
      processingStatus: status,
      ...(status === 'DONE' ? { reportDocumentId: `amzn1.spdoc.1.4.na.${reportId}`, processingEndTime: '2026-11-23T00:00:05Z' } : {}),
    });
  }

  private getReportDocument(documentId: string): Response {
    const fault = this.next('getReportDocument', documentId);
    const generic = this.generic(fault);
    if (generic) return generic;
    const reportId = documentId.split('.').pop()!;
    const state = fault === 'expired' ? 'expired' : fault === 'malformed' ? 'malformed' : 'ok';
    return Response.json({
      reportDocumentId: documentId,
      compressionAlgorithm: 'GZIP',
      url: `https://tortuga-prod-na.s3-external-1.amazonaws.com/${reportId}/${state}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature=abc`,
    });
  }

  private async download(url: URL): Promise<Response> {
    const fault = this.next('download', url.pathname);
    const generic = this.generic(fault);
    if (generic) return generic;
    const [, reportId, state] = url.pathname.split('/');
    if (state === 'expired' || fault === 'expired') {
      return new Response('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', { status: 403 });
    }
    const report = this.reports.get(reportId ?? '');
    if (!report) return new Response('NoSuchKey', { status: 404 });
    const doc = this.options.sellers[report.seller]?.documents[report.marketplaceId]?.();
    const text = JSON.stringify(doc ?? {});
    const body = state === 'malformed' || fault === 'malformed' ? text.slice(0, Math.floor(text.length / 2)) : text;
    return new Response(await gzip(body), { headers: { 'content-type': 'text/plain' } });
  }
}
