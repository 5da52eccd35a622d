import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFeedbackReport } from '../../shared/feedback/feedback-report.ts';
import { charsetOf, reportText } from '../../shared/feedback/report-text.ts';
import { DEMO_SELLERS, createSandbox } from '../sandbox/amazon.ts';
import { accessToken, control, spRequest, viaSandbox } from '../sandbox/client.ts';
import type { Region } from '../sandbox/marketplaces.ts';

const START = Date.UTC(2026, 11, 6, 2);
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const JP = 'A1VC38T7YXB528';
const REPORTS = '/reports/2021-06-30';

async function world(region: Region = 'na') {
  let t = START;
  const sandbox = createSandbox({ now: () => t, reportProcessingMs: 30_000 });
  const token = await accessToken(sandbox, DEMO_SELLERS[region].refreshToken);
  const call = (method: string, path: string, body?: unknown) => sandbox.handle(spRequest(token, method, path, { region, body }));
  /** The whole Reports API flow, as the relay walks it, down to the document's bytes and Content-Type. */
  async function feedbackReport(marketplaceId: string, range: { dataStartTime?: string } = {}) {
    const created = await call('POST', `${REPORTS}/reports`, { reportType: 'GET_SELLER_FEEDBACK_DATA', marketplaceIds: [marketplaceId], ...range });
    expect(created.status).toBe(202);
    const { reportId } = (await created.json()) as { reportId: string };
    t += 30_000;
    const report = (await (await call('GET', `${REPORTS}/reports/${reportId}`)).json()) as { processingStatus: string; reportType: string; reportDocumentId: string };
    expect(report).toMatchObject({ processingStatus: 'DONE', reportType: 'GET_SELLER_FEEDBACK_DATA' });
    const doc = (await (await call('GET', `${REPORTS}/documents/${encodeURIComponent(report.reportDocumentId)}`)).json()) as { url: string; compressionAlgorithm: string };
    expect(doc.compressionAlgorithm).toBe('GZIP');
    const download = await sandbox.handle(viaSandbox(doc.url));
    const bytes = new Uint8Array(gunzipSync(Buffer.from(await download.arrayBuffer())));
    return { bytes, contentType: download.headers.get('content-type') };
  }
  const addFeedback = (body: Record<string, unknown>) => sandbox.handle(control('POST', 'feedback', body));
  return { sandbox, feedbackReport, addFeedback, advance: (ms: number) => (t += ms) };
}

describe('sandbox feedback report', () => {
  it('serves the demo seller feedback through createReport, getReport, getReportDocument and a gzipped flat file', async () => {
    const { feedbackReport } = await world();
    const { bytes, contentType } = await feedbackReport(US);
    expect(contentType).toBe('text/plain; charset=UTF-8');
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('Date\tRating\tComments\tResponse\tOrder ID\tRater Email');
    const parsed = parseFeedbackReport(reportText(bytes, charsetOf(contentType)), US);
    expect(parsed.ok && parsed.document.entries.map((e) => [e.rating, e.date])).toEqual([
      [3, '2026-11-24'],
      [2, '2026-11-16'],
    ]);
  });

  it('adds a 1-star feedback that the next report lists first, with the order id and comment given', async () => {
    const { feedbackReport, addFeedback } = await world();
    const res = await addFeedback({ sellerId: DEMO_SELLERS.na.sellerId, marketplaceId: US, rating: 1, comment: 'Broke in a week, "no" answer\tat all', orderId: '112-4839201-7730214' });
    expect(res.status).toBe(201);
    const { bytes, contentType } = await feedbackReport(US);
    const parsed = parseFeedbackReport(reportText(bytes, charsetOf(contentType)), US);
    expect(parsed.ok && parsed.document.entries[0]).toEqual({
      orderId: '112-4839201-7730214',
      rating: 1,
      date: '2026-12-06',
      comment: 'Broke in a week, "no" answer\tat all',
      response: '',
    });
  });

  it('makes up an Amazon-shaped order id when none is given, and leaves 4-5 stars out of the report', async () => {
    const { feedbackReport, addFeedback } = await world();
    const a = (await (await addFeedback({ sellerId: DEMO_SELLERS.na.sellerId, marketplaceId: US, rating: 2 })).json()) as { orderId: string };
    expect(a.orderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
    await addFeedback({ sellerId: DEMO_SELLERS.na.sellerId, marketplaceId: US, rating: 5, comment: 'great' });
    const { bytes } = await feedbackReport(US);
    const parsed = parseFeedbackReport(reportText(bytes, null), US);
    expect(parsed.ok && parsed.document.entries.map((e) => e.rating)).toEqual([2, 3, 2]);
  });

  it('writes Europe in Windows-1252 with German dates, and Japan in UTF-8 with a byte-order mark', async () => {
    const eu = await world('eu');
    await eu.addFeedback({ sellerId: DEMO_SELLERS.eu.sellerId, marketplaceId: DE, rating: 1, comment: 'Verspätet – ärgerlich' });
    const de = await eu.feedbackReport(DE);
    expect(de.contentType).toBe('text/plain; charset=Cp1252');
    expect(new TextDecoder().decode(de.bytes)).toContain('\n6.12.26\t1\t');
    const parsedDe = parseFeedbackReport(reportText(de.bytes, charsetOf(de.contentType)), DE);
    expect(parsedDe.ok && parsedDe.document.entries[0]).toMatchObject({ rating: 1, date: '2026-12-06', comment: 'Verspätet – ärgerlich' });

    const fe = await world('fe');
    const jp = await fe.feedbackReport(JP);
    expect([...jp.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(jp.bytes)).toMatch(/\n26\/11\/24\t3\t/);
  });

  it('covers only the requested date range', async () => {
    const { feedbackReport } = await world();
    const { bytes } = await feedbackReport(US, { dataStartTime: '2026-11-20T00:00:00Z' });
    const parsed = parseFeedbackReport(reportText(bytes, null), US);
    expect(parsed.ok && parsed.document.entries.map((e) => e.date)).toEqual(['2026-11-24']);
  });

  it('refuses feedback it cannot place: unknown marketplace, a rating outside 1-5, a malformed or repeated order id', async () => {
    const { addFeedback } = await world();
    const na = DEMO_SELLERS.na.sellerId;
    for (const body of [
      { sellerId: na, marketplaceId: DE, rating: 1 },
      { sellerId: na, marketplaceId: US, rating: 0 },
      { sellerId: na, marketplaceId: US, rating: 1.5 },
      { sellerId: na, marketplaceId: US, rating: 1, orderId: 'not-an-order' },
    ]) {
      expect((await addFeedback(body)).status).toBe(400);
    }
    expect((await addFeedback({ sellerId: na, marketplaceId: US, rating: 1, orderId: '111-1111111-1111111' })).status).toBe(201);
    expect((await addFeedback({ sellerId: na, marketplaceId: US, rating: 2, orderId: '111-1111111-1111111' })).status).toBe(400);
  });
});
