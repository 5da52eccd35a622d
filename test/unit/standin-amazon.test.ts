/**
 * The independent Amazon stand-in (test/standin/) behaves as Amazon's models and docs say: Login
 * with Amazon's grants, the per-seller token buckets at the published rates, a report's processing
 * states on the injected clock, the pre-signed document URL's five minutes, and documents that
 * validate against Amazon's own report schema.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { beforeEach, describe, expect, it } from 'vitest';
import { CA, MX, US } from '../standin/marketplaces.ts';
import { rateLimiter } from '../standin/rate-limits.ts';
import { type StandIn, createStandIn } from '../standin/stand-in.ts';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
const NA = 'sellingpartnerapi-na.amazon.com';
let clock = T0;
let standIn: StandIn;

async function call(host: string, method: string, path: string, init: { token?: string; body?: unknown; form?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'x-forwarded-host': host };
  if (init.token) headers['x-amz-access-token'] = init.token;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  return standIn.handle(new Request(`http://127.0.0.1:1${path}`, { method, headers, body }));
}

async function token(refreshToken = 'Atzr|seller-1'): Promise<string> {
  const res = await call('api.amazon.com', 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'app', client_secret: 'secret' } });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function createReport(accessToken: string, marketplaceIds: string[], reportType = 'GET_V2_SELLER_PERFORMANCE_REPORT', dataStartTime?: string): Promise<Response> {
  return call(NA, 'POST', '/reports/2021-06-30/reports', { token: accessToken, body: { reportType, marketplaceIds, ...(dataStartTime ? { dataStartTime } : {}) } });
}

beforeEach(() => {
  clock = T0;
  standIn = createStandIn({ now: () => clock, seed: 7, generationMs: [20_000, 20_000], faultRate: 0 });
  standIn.addSeller({ sellerId: 'A1SELLER', refreshToken: 'Atzr|seller-1', region: 'na', marketplaceIds: [US, CA, MX], storeName: 'Lumen Home', health: { [US]: 'breach' } });
});

describe('Login with Amazon', () => {
  it('exchanges a known refresh token for an Atza| access token valid 3600 s', async () => {
    const res = await call('api.amazon.com', 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: 'Atzr|seller-1', client_id: 'a', client_secret: 'b' } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(String(body.access_token)).toMatch(/^Atza\|.{350,}$/);
  });

  it('refuses an unknown refresh token with 400 invalid_grant', async () => {
    const res = await call('api.amazon.com', 'POST', '/auth/o2/token', { form: { grant_type: 'refresh_token', refresh_token: 'Atzr|nobody' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses SP-API calls without a token, with another region token, or after the hour', async () => {
    const none = await call(NA, 'GET', '/sellers/v1/marketplaceParticipations');
    expect(none.status).toBe(403);
    expect(await none.json()).toEqual({ errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] });
    const t = await token();
    expect((await call('sellingpartnerapi-eu.amazon.com', 'GET', '/sellers/v1/marketplaceParticipations', { token: t })).status).toBe(403);
    expect((await call(NA, 'GET', '/sellers/v1/marketplaceParticipations', { token: t })).status).toBe(200);
    clock += 3600_000;
    expect((await call(NA, 'GET', '/sellers/v1/marketplaceParticipations', { token: t })).status).toBe(403);
  });
});

describe('Sellers API', () => {
  it('lists each marketplace with storeName and participation, plus the non-retail Non-Amazon id', async () => {
    const res = await call(NA, 'GET', '/sellers/v1/marketplaceParticipations', { token: await token() });
    const { payload } = (await res.json()) as { payload: Array<{ marketplace: { id: string; countryCode: string }; participation: { isParticipating: boolean; hasSuspendedListings: boolean }; storeName: string }> };
    expect(payload.map((p) => p.marketplace.id)).toEqual([US, CA, MX, 'A2ZV50J4W1RKNI']);
    expect(payload[0]).toMatchObject({ storeName: 'Lumen Home', participation: { isParticipating: true, hasSuspendedListings: true }, marketplace: { countryCode: 'US' } });
    expect(res.headers.get('x-amzn-RateLimit-Limit')).toBe('0.016');
  });
});

describe('rate limits', () => {
  it('gives each seller and operation a bucket of its burst, refilled one token per 1/rate seconds, also after a drain', () => {
    const limiter = rateLimiter();
    for (let i = 0; i < 15; i++) expect(limiter.take('S', 'createReport', T0)).toBe(true);
    expect(limiter.take('S', 'createReport', T0)).toBe(false);
    expect(limiter.take('S', 'createReport', T0 + 59_000)).toBe(false);
    expect(limiter.take('S', 'createReport', T0 + 60_000)).toBe(true);
    limiter.drain('S', 'getReport', T0);
    expect(limiter.take('S', 'getReport', T0)).toBe(false);
    expect(limiter.take('S', 'getReport', T0 + 500)).toBe(true);
    // Buckets are per seller and per operation.
    expect(limiter.take('OTHER', 'createReport', T0)).toBe(true);
    expect(limiter.take('OTHER', 'getReport', T0)).toBe(true);
  });

  it('answers the 16th createReport in a burst with 429 QuotaExceeded and no rate-limit header', async () => {
    const t = await token();
    for (let i = 0; i < 15; i++) {
      const ok = await createReport(t, [CA]);
      expect(ok.status).toBe(202);
      expect(ok.headers.get('x-amzn-RateLimit-Limit')).toBe('0.0167');
    }
    const refused = await createReport(t, [CA]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-amzn-RateLimit-Limit')).toBeNull();
    expect(refused.headers.get('x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await refused.json()).toMatchObject({ errors: [{ code: 'QuotaExceeded' }] });
    expect(standIn.stats.throttled.createReport).toBe(1);
  });

  it('lets getReport go at 2 a second after its burst of 15', async () => {
    const t = await token();
    const { reportId } = (await (await createReport(t, [CA])).json()) as { reportId: string };
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) statuses.push((await call(NA, 'GET', `/reports/2021-06-30/reports/${reportId}`, { token: t })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
    clock += 1000;
    expect((await call(NA, 'GET', `/reports/2021-06-30/reports/${reportId}`, { token: t })).status).toBe(200);
    expect((await call(NA, 'GET', `/reports/2021-06-30/reports/${reportId}`, { token: t })).status).toBe(200);
    expect((await call(NA, 'GET', `/reports/2021-06-30/reports/${reportId}`, { token: t })).status).toBe(429);
  });
});

describe('reports', () => {
  it('refuses more than one marketplace in one request, as Amazon does for one-marketplace report types', async () => {
    const res = await createReport(await token(), [US, CA]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ code: 'InvalidInput', message: expect.stringContaining('only be applied to one marketplace at a time') }] });
  });

  it('moves a report IN_QUEUE -> IN_PROGRESS -> DONE on the clock, then serves a gzipped document for 5 minutes', async () => {
    const t = await token();
    const { reportId } = (await (await createReport(t, [US])).json()) as { reportId: string };
    const status = async () => (await (await call(NA, 'GET', `/reports/2021-06-30/reports/${reportId}`, { token: t })).json()) as Record<string, string>;
    expect(await status()).toMatchObject({ processingStatus: 'IN_QUEUE', reportType: 'GET_V2_SELLER_PERFORMANCE_REPORT', marketplaceIds: [US] });
    clock += 4_000; // a fifth of the 20 s generation time
    expect(await status()).toMatchObject({ processingStatus: 'IN_PROGRESS', processingStartTime: '2026-12-06T12:00:04+00:00' });
    clock += 16_000;
    const done = await status();
    expect(done).toMatchObject({ processingStatus: 'DONE', processingEndTime: '2026-12-06T12:00:20+00:00' });
    expect(done.reportDocumentId).toMatch(/^amzn1\.spdoc\.1\.4\.na\./);

    const doc = (await (await call(NA, 'GET', `/reports/2021-06-30/documents/${done.reportDocumentId}`, { token: t })).json()) as { url: string; compressionAlgorithm: string };
    expect(doc.compressionAlgorithm).toBe('GZIP');
    const url = new URL(doc.url);
    expect(url.hostname).toBe('tortuga-prod-na.s3-external-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const file = await call(url.hostname, 'GET', `${url.pathname}${url.search}`);
    const report = JSON.parse(gunzipSync(Buffer.from(await file.arrayBuffer())).toString('utf8')) as { accountStatuses: unknown[]; performanceMetrics: Array<{ orderDefectRate: { mfn: { status: string; rate: number } } }> };
    expect(report.accountStatuses).toEqual([{ marketplaceId: US, status: 'AT_RISK' }]);
    expect(report.performanceMetrics[0]?.orderDefectRate.mfn.status).toBe('BAD');
    expect(report.performanceMetrics[0]?.orderDefectRate.mfn.rate).toBeGreaterThanOrEqual(0.012);

    const schema = JSON.parse(readFileSync(new URL('../fixtures/sp-api/accountHealthReport-2020-11-18.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);

    clock += 300_001;
    const expired = await call(url.hostname, 'GET', `${url.pathname}${url.search}`);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
    const tampered = await call(url.hostname, 'GET', `${url.pathname}${url.search.replace(/X-Amz-Date=\d/, 'X-Amz-Date=1')}`);
    expect(tampered.status).toBe(403);
  });

  it('cancels a feedback report with no rows in its range and serves a tab-separated file when there are', async () => {
    const t = await token();
    // The breached seller's feedback is at least a day old: a range from an hour ago has none.
    const ok = (await (await createReport(t, [US], 'GET_SELLER_FEEDBACK_DATA', new Date(T0 - 3600_000).toISOString())).json()) as { reportId: string };
    const breached = (await (await createReport(t, [US], 'GET_SELLER_FEEDBACK_DATA')).json()) as { reportId: string };
    clock += 20_000;
    const view = async (id: string) => (await (await call(NA, 'GET', `/reports/2021-06-30/reports/${id}`, { token: t })).json()) as Record<string, string>;
    expect((await view(ok.reportId)).processingStatus).toBe('CANCELLED');
    const done = await view(breached.reportId);
    expect(done.processingStatus).toBe('DONE');
    const doc = (await (await call(NA, 'GET', `/reports/2021-06-30/documents/${done.reportDocumentId}`, { token: t })).json()) as { url: string; compressionAlgorithm?: string };
    expect(doc.compressionAlgorithm).toBeUndefined();
    const url = new URL(doc.url);
    const text = await (await call(url.hostname, 'GET', `${url.pathname}${url.search}`)).text();
    const [header, first] = text.split('\n');
    expect(header).toBe('Date\tRating\tComments\tYour Response\tOrder ID\tRater Email');
    expect(first?.split('\t')[4]).toMatch(/^\d{3}-\d{7}-\d{7}$/);
  });
});

describe('faults', () => {
  it('answers 500/503 with an errors body at the fault rate, and never when switched off', async () => {
    const t = await token();
    standIn.setFaultRate(1);
    const res = await call(NA, 'GET', '/sellers/v1/marketplaceParticipations', { token: t });
    expect([500, 503]).toContain(res.status);
    expect(await res.json()).toMatchObject({ errors: [{ code: expect.stringMatching(/^(InternalFailure|ServiceUnavailable)$/) }] });
    standIn.setFaultRate(0);
    expect((await call(NA, 'GET', '/sellers/v1/marketplaceParticipations', { token: t })).status).toBe(200);
    expect(standIn.stats.faults.getMarketplaceParticipations).toBe(1);
  });
});
