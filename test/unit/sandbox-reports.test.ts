import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { DEMO_SELLERS, createSandbox } from '../sandbox/amazon.ts';
import { accessToken, spRequest, viaSandbox } from '../sandbox/client.ts';
import { accountHealthValidator, swaggerValidator } from '../sandbox/model-schemas.ts';

const START = Date.UTC(2026, 10, 1);
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const MX = 'A1AM78C64UM0Y8';
const PROCESSING_MS = 30_000;
const REPORT = 'GET_V2_SELLER_PERFORMANCE_REPORT';

interface Windowed {
  reportingDateRange: { reportingDateFrom: string; reportingDateTo: string };
}
/** The parts of one performanceMetrics entry these tests read. */
interface UsMetrics {
  orderDefectRate: { mfn: Windowed & Record<string, unknown>; afn: { fulfillmentType: string } };
  preFulfillmentCancellationRate: Windowed;
  onTimeDeliveryRate: Windowed;
  listingPolicyViolations: Windowed;
  lateShipmentRate: { rate: number; lateShipmentCount: number; orderCount: number };
  validTrackingRate: { rate: number; validTrackingCount: number; shipmentCount: number };
  accountHealthRating: { ahrStatus: string; ahrScore: number };
}

function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t, reportProcessingMs: PROCESSING_MS });
  return { sandbox, advance: (ms: number) => (t += ms) };
}

function valid(validate: ValidateFunction, data: unknown): void {
  const ok = validate(data);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

async function create(sandbox: ReturnType<typeof createSandbox>, token: string, marketplaceIds: string[] = [US]): Promise<string> {
  const res = await sandbox.handle(spRequest(token, 'POST', '/reports/2021-06-30/reports', { body: { reportType: REPORT, marketplaceIds } }));
  expect(res.status).toBe(202);
  return ((await res.json()) as { reportId: string }).reportId;
}

async function getJson(sandbox: ReturnType<typeof createSandbox>, req: Request): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await sandbox.handle(req);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sandbox Sellers API', () => {
  it('lists the na seller marketplaces plus one non-retail entry, per the sellers.json model', async () => {
    const { sandbox } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const res = await sandbox.handle(spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBe('0.016');
    expect(res.headers.get('x-amzn-RequestId')).toBeTruthy();
    const body = (await res.json()) as { payload: Array<{ marketplace: { id: string; name: string; domainName: string } }> };
    valid(swaggerValidator('sellers.json', 'GetMarketplaceParticipationsResponse'), body);
    expect(body.payload.map((p) => p.marketplace.id)).toEqual([US, CA, MX, 'A2ZV50J4W1RKNI']);
    expect(body.payload[3]!.marketplace).toMatchObject({ name: 'Non-Amazon', domainName: 'sim1.stores.amazon.com' });
  });

  it('gives the fe seller JP and AU only', async () => {
    const { sandbox } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.fe.refreshToken);
    const { body } = await getJson(sandbox, spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations', { region: 'fe' }));
    expect((body.payload as Array<{ marketplace: { countryCode: string } }>).map((p) => p.marketplace.countryCode)).toEqual(['JP', 'AU']);
  });
});

describe('sandbox Reports API lifecycle', () => {
  it('creates a report (202, CreateReportResponse) and moves it IN_QUEUE -> IN_PROGRESS -> DONE on the clock', async () => {
    const { sandbox, advance } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const res = await sandbox.handle(spRequest(token, 'POST', '/reports/2021-06-30/reports', { body: { reportType: REPORT, marketplaceIds: [US] } }));
    expect(res.status).toBe(202);
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBe('0.0167');
    const created = await res.json();
    valid(swaggerValidator('reports_2021-06-30.json', 'CreateReportResponse'), created);
    const id = (created as { reportId: string }).reportId;
    const report = swaggerValidator('reports_2021-06-30.json', 'Report');

    const seen: Array<Record<string, unknown>> = [];
    for (const step of [0, PROCESSING_MS / 2, PROCESSING_MS / 2]) {
      advance(step);
      const { status, body } = await getJson(sandbox, spRequest(token, 'GET', `/reports/2021-06-30/reports/${id}`));
      expect(status).toBe(200);
      valid(report, body);
      seen.push(body);
    }
    expect(seen.map((r) => r.processingStatus)).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
    expect(seen[0]).not.toHaveProperty('processingStartTime');
    expect(seen[0]).not.toHaveProperty('reportDocumentId');
    expect(seen[1]).toHaveProperty('processingStartTime');
    expect(seen[1]).not.toHaveProperty('processingEndTime');
    expect(seen[2]).toMatchObject({
      reportId: id,
      reportType: REPORT,
      marketplaceIds: [US],
      createdTime: '2026-11-01T00:00:00Z',
      processingEndTime: '2026-11-01T00:00:30Z',
      reportDocumentId: expect.stringMatching(/^amzn1\.spdoc\./),
    });
  });

  it('serves a pre-signed GZIP document that gunzips to a valid account health report', async () => {
    const { sandbox, advance } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const id = await create(sandbox, token, [US, CA, MX]);
    advance(PROCESSING_MS);
    const { body: report } = await getJson(sandbox, spRequest(token, 'GET', `/reports/2021-06-30/reports/${id}`));
    const { status, body: doc } = await getJson(sandbox, spRequest(token, 'GET', `/reports/2021-06-30/documents/${String(report.reportDocumentId)}`));
    expect(status).toBe(200);
    valid(swaggerValidator('reports_2021-06-30.json', 'ReportDocument'), doc);
    expect(doc.compressionAlgorithm).toBe('GZIP');
    expect(String(doc.url)).toMatch(
      /^https:\/\/tortuga-prod-na\.s3-external-1\.amazonaws\.com\/.+\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=300&X-Amz-Signature=[0-9a-f]+$/,
    );

    const file = await sandbox.handle(viaSandbox(String(doc.url)));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain');
    const parsed = JSON.parse(gunzipSync(Buffer.from(await file.arrayBuffer())).toString('utf8')) as {
      accountStatuses: Array<{ marketplaceId: string }>;
      performanceMetrics: Array<Record<string, Record<string, unknown>>>;
    };
    valid(accountHealthValidator(), parsed);
    expect(parsed.accountStatuses.map((s) => s.marketplaceId)).toEqual([US, CA, MX]);
    expect(parsed.performanceMetrics.map((m) => m.marketplaceId)).toEqual([US, CA, MX]);
  });

  it('writes counts consistent with rates, ODR halves tagged mfn/afn, windows from the clock, and an ahrScore', async () => {
    const { sandbox, advance } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const id = await create(sandbox, token);
    advance(PROCESSING_MS);
    const { body: report } = await getJson(sandbox, spRequest(token, 'GET', `/reports/2021-06-30/reports/${id}`));
    const { body: doc } = await getJson(sandbox, spRequest(token, 'GET', `/reports/2021-06-30/documents/${String(report.reportDocumentId)}`));
    const file = await sandbox.handle(viaSandbox(String(doc.url)));
    const us = (JSON.parse(gunzipSync(Buffer.from(await file.arrayBuffer())).toString('utf8')) as { performanceMetrics: UsMetrics[] }).performanceMetrics[0]!;
    const mfn = us.orderDefectRate.mfn;
    expect(mfn).toMatchObject({ fulfillmentType: 'mfn', orderCount: 250, orderWithDefects: { count: 1 }, rate: 0.004, status: 'GOOD', targetValue: 0.01 });
    expect(us.orderDefectRate.afn.fulfillmentType).toBe('afn');
    expect(mfn.reportingDateRange).toEqual({ reportingDateFrom: '2026-09-02T00:00Z', reportingDateTo: '2026-10-31T23:59Z' });
    expect(us.preFulfillmentCancellationRate.reportingDateRange.reportingDateFrom).toBe('2026-10-25T00:00Z');
    expect(us.onTimeDeliveryRate.reportingDateRange.reportingDateFrom).toBe('2026-10-18T00:00Z');
    expect(us.listingPolicyViolations.reportingDateRange.reportingDateFrom).toBe('2026-05-05T00:00Z');
    const lsr = us.lateShipmentRate;
    expect(lsr.rate).toBe(Math.round((lsr.lateShipmentCount / lsr.orderCount) * 10_000) / 10_000);
    const vtr = us.validTrackingRate;
    expect(vtr.rate).toBe(Math.round((vtr.validTrackingCount / vtr.shipmentCount) * 10_000) / 10_000);
    expect(us.accountHealthRating.ahrStatus).toBe('GREAT');
    expect(us.accountHealthRating.ahrScore).toBeGreaterThanOrEqual(200);
  });

  it('rejects a bad body, an unknown report type and a marketplace the seller lacks with 400 InvalidInput (ErrorList)', async () => {
    const { sandbox } = world();
    const token = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const errorList = swaggerValidator('reports_2021-06-30.json', 'ErrorList');
    for (const body of [
      'not json',
      { marketplaceIds: [US] },
      { reportType: 'GET_FLAT_FILE_OPEN_LISTINGS_DATA_NOPE', marketplaceIds: [US] },
      { reportType: REPORT, marketplaceIds: [] },
      { reportType: REPORT, marketplaceIds: ['A1PA6795UKMFR9'] },
    ]) {
      const { status, body: res } = await getJson(sandbox, spRequest(token, 'POST', '/reports/2021-06-30/reports', { body }));
      expect(status).toBe(400);
      valid(errorList, res);
      expect((res.errors as Array<{ code: string }>)[0]!.code).toBe('InvalidInput');
    }
  });

  it('keeps sellers apart: another seller gets 404 NotFound for a report and its document', async () => {
    const { sandbox, advance } = world();
    const na = await accessToken(sandbox, DEMO_SELLERS.na.refreshToken);
    const eu = await accessToken(sandbox, DEMO_SELLERS.eu.refreshToken);
    const id = await create(sandbox, na);
    advance(PROCESSING_MS);
    const { body: report } = await getJson(sandbox, spRequest(na, 'GET', `/reports/2021-06-30/reports/${id}`));
    const errorList = swaggerValidator('reports_2021-06-30.json', 'ErrorList');
    for (const path of [`/reports/2021-06-30/reports/${id}`, `/reports/2021-06-30/documents/${String(report.reportDocumentId)}`]) {
      const { status, body } = await getJson(sandbox, spRequest(eu, 'GET', path, { region: 'eu' }));
      expect(status).toBe(404);
      valid(errorList, body);
      expect((body.errors as Array<{ code: string }>)[0]!.code).toBe('NotFound');
    }
  });
});

describe('sandbox report document URLs', () => {
  async function documentUrl() {
    const w = world();
    const token = await accessToken(w.sandbox, DEMO_SELLERS.na.refreshToken);
    const id = await create(w.sandbox, token);
    w.advance(PROCESSING_MS);
    const { body: report } = await getJson(w.sandbox, spRequest(token, 'GET', `/reports/2021-06-30/reports/${id}`));
    const { body: doc } = await getJson(w.sandbox, spRequest(token, 'GET', `/reports/2021-06-30/documents/${String(report.reportDocumentId)}`));
    return { ...w, url: String(doc.url) };
  }

  it('works for 300 seconds, then answers 403 AccessDenied "Request has expired"', async () => {
    const { sandbox, advance, url } = await documentUrl();
    advance(300_000);
    expect((await sandbox.handle(viaSandbox(url))).status).toBe(200);
    advance(1000);
    const res = await sandbox.handle(viaSandbox(url));
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('Request has expired');
  });

  it('answers 403 SignatureDoesNotMatch when the signature is altered', async () => {
    const { sandbox, url } = await documentUrl();
    const tampered = url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`);
    expect(tampered).not.toBe(url);
    const res = await sandbox.handle(viaSandbox(tampered));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
