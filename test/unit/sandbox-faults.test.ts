import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEMO_SELLERS, createSandbox } from '../sandbox/amazon.ts';
import { accessToken, control, lwaForm, spRequest, viaSandbox } from '../sandbox/client.ts';
import { swaggerValidator } from '../sandbox/model-schemas.ts';

const START = Date.UTC(2026, 10, 1);
const US = 'ATVPDKIKX0DER';
const PROCESSING_MS = 30_000;
const REPORT = 'GET_V2_SELLER_PERFORMANCE_REPORT';
const NA = DEMO_SELLERS.na.sellerId;

async function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t, reportProcessingMs: PROCESSING_MS });
  const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
  const call = (method: string, path: string, body?: unknown) => sandbox.handle(spRequest(token, method, path, { body }));
  const fault = async (body: Record<string, unknown>) => {
    const res = await sandbox.handle(control('POST', 'faults', { sellerId: NA, ...body }));
    expect(res.status).toBe(200);
  };
  const createReport = async () => {
    const res = await call('POST', '/reports/2021-06-30/reports', { reportType: REPORT, marketplaceIds: [US] });
    expect(res.status).toBe(202);
    return ((await res.json()) as { reportId: string }).reportId;
  };
  const report = async (id: string) => (await (await call('GET', `/reports/2021-06-30/reports/${id}`)).json()) as Record<string, string>;
  const documentUrl = async (documentId: string) => {
    const res = await call('GET', `/reports/2021-06-30/documents/${documentId}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { url: string }).url;
  };
  return { sandbox, token, call, fault, createReport, report, documentUrl, advance: (ms: number) => (t += ms) };
}

const QUOTA = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] };

describe('sandbox rate limits', () => {
  it('answers 429 QuotaExceeded without a rate-limit header once the burst of 15 createReport calls is spent', async () => {
    const { call } = await world();
    for (let i = 0; i < 15; i++) {
      expect((await call('POST', '/reports/2021-06-30/reports', { reportType: REPORT, marketplaceIds: [US] })).status).toBe(202);
    }
    const res = await call('POST', '/reports/2021-06-30/reports', { reportType: REPORT, marketplaceIds: [US] });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBeNull();
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
    const body = await res.json();
    expect(body).toEqual(QUOTA);
    const errorList = swaggerValidator('reports_2021-06-30.json', 'ErrorList');
    expect(errorList(body)).toBe(true);
  });

  it('refills createReport at 0.0167 per second: one more call after 60 seconds', async () => {
    const { call, advance } = await world();
    const create = () => call('POST', '/reports/2021-06-30/reports', { reportType: REPORT, marketplaceIds: [US] });
    for (let i = 0; i < 15; i++) await create();
    advance(59_000);
    expect((await create()).status).toBe(429);
    advance(1_000);
    expect((await create()).status).toBe(202);
    expect((await create()).status).toBe(429);
  });

  it('limits getReport at 2 per second after a burst of 15, per seller', async () => {
    const { sandbox, call, createReport, advance } = await world();
    const id = await createReport();
    for (let i = 0; i < 15; i++) expect((await call('GET', `/reports/2021-06-30/reports/${id}`)).status).toBe(200);
    expect((await call('GET', `/reports/2021-06-30/reports/${id}`)).status).toBe(429);
    advance(500);
    expect((await call('GET', `/reports/2021-06-30/reports/${id}`)).status).toBe(200);
    // Another seller has its own bucket.
    const fe = await accessToken(sandbox, DEMO_SELLERS.fe.refreshToken);
    expect((await sandbox.handle(spRequest(fe, 'GET', `/reports/2021-06-30/reports/${id}`, { region: 'fe' }))).status).toBe(404);
  });

  it('limits marketplaceParticipations after a burst of 15', async () => {
    const { call } = await world();
    for (let i = 0; i < 15; i++) expect((await call('GET', '/sellers/v1/marketplaceParticipations')).status).toBe(200);
    expect((await call('GET', '/sellers/v1/marketplaceParticipations')).status).toBe(429);
  });
});

describe('sandbox faults', () => {
  it('throttle: the next N calls of the named operation answer 429, other operations pass', async () => {
    const { call, fault, createReport } = await world();
    const id = await createReport();
    await fault({ fault: 'throttle', count: 2, operation: 'getReport' });
    expect((await call('GET', '/sellers/v1/marketplaceParticipations')).status).toBe(200);
    const throttled = await call('GET', `/reports/2021-06-30/reports/${id}`);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual(QUOTA);
    expect((await call('GET', `/reports/2021-06-30/reports/${id}`)).status).toBe(429);
    expect((await call('GET', `/reports/2021-06-30/reports/${id}`)).status).toBe(200);
  });

  it('server-error: the next N calls answer 500 InternalFailure', async () => {
    const { call, fault } = await world();
    await fault({ fault: 'server-error', count: 1 });
    const res = await call('GET', '/sellers/v1/marketplaceParticipations');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('InternalFailure');
    expect((await call('GET', '/sellers/v1/marketplaceParticipations')).status).toBe(200);
  });

  it('fatal: the next report ends FATAL (with a document explaining why), the one after is DONE', async () => {
    const { fault, createReport, report, advance } = await world();
    await fault({ fault: 'fatal' });
    const bad = await createReport();
    const good = await createReport();
    advance(PROCESSING_MS);
    expect(await report(bad)).toMatchObject({ processingStatus: 'FATAL', reportDocumentId: expect.any(String) });
    expect((await report(good)).processingStatus).toBe('DONE');
  });

  it('cancelled: the next report ends CANCELLED without a document', async () => {
    const { fault, createReport, report, advance } = await world();
    await fault({ fault: 'cancelled' });
    const id = await createReport();
    advance(PROCESSING_MS);
    const r = await report(id);
    expect(r.processingStatus).toBe('CANCELLED');
    expect(r).not.toHaveProperty('reportDocumentId');
  });

  it('slow: the next report takes `factor` times as long', async () => {
    const { fault, createReport, report, advance } = await world();
    await fault({ fault: 'slow', factor: 4 });
    const id = await createReport();
    advance(PROCESSING_MS);
    expect((await report(id)).processingStatus).toMatch(/^IN_(QUEUE|PROGRESS)$/);
    advance(3 * PROCESSING_MS - 1);
    expect((await report(id)).processingStatus).toBe('IN_PROGRESS');
    advance(1);
    expect((await report(id)).processingStatus).toBe('DONE');
  });

  it('revoke: the refresh token answers invalid_grant until the faults are cleared', async () => {
    const { sandbox, fault } = await world();
    await fault({ fault: 'revoke' });
    const refresh = () => sandbox.handle(lwaForm({ grant_type: 'refresh_token', refresh_token: DEMO_SELLERS.na.refreshToken, client_id: 'a', client_secret: 'b' }));
    for (let i = 0; i < 2; i++) {
      const res = await refresh();
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    }
    expect((await sandbox.handle(control('DELETE', 'faults'))).status).toBe(200);
    expect((await refresh()).status).toBe(200);
  });

  it('malformed: the next document download is truncated JSON, the next one whole', async () => {
    const { sandbox, fault, createReport, report, documentUrl, advance } = await world();
    const id = await createReport();
    advance(PROCESSING_MS);
    const url = await documentUrl((await report(id)).reportDocumentId!);
    await fault({ fault: 'malformed' });
    const text = async () => gunzipSync(Buffer.from(await (await sandbox.handle(viaSandbox(url))).arrayBuffer())).toString('utf8');
    const cut = await text();
    expect(() => JSON.parse(cut)).toThrow(SyntaxError);
    expect(JSON.parse(await text())).toHaveProperty('performanceMetrics');
  });

  it('expired-url: the next document URL is already expired', async () => {
    const { sandbox, fault, createReport, report, documentUrl, advance } = await world();
    const id = await createReport();
    advance(PROCESSING_MS);
    const documentId = (await report(id)).reportDocumentId!;
    await fault({ fault: 'expired-url' });
    const expired = await sandbox.handle(viaSandbox(await documentUrl(documentId)));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    expect((await sandbox.handle(viaSandbox(await documentUrl(documentId)))).status).toBe(200);
  });

  it('rejects an unknown fault, seller or operation with 400', async () => {
    const { sandbox } = await world();
    for (const body of [
      { sellerId: NA, fault: 'meteor' },
      { sellerId: 'NOBODY', fault: 'throttle' },
      { sellerId: NA, fault: 'throttle', operation: 'deleteEverything' },
      { sellerId: NA, fault: 'throttle', count: 0 },
    ]) {
      expect((await sandbox.handle(control('POST', 'faults', body))).status).toBe(400);
    }
  });
});
