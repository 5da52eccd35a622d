import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedbackDate } from '../../shared/feedback/feedback-dates.ts';
import { parseFeedbackReport } from '../../shared/feedback/feedback-report.ts';
import { charsetOf, reportText } from '../../shared/feedback/report-text.ts';
import { readTabSeparated } from '../../shared/feedback/tab-separated.ts';

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const JP = 'A1VC38T7YXB528';
const UK = 'A1F83G8C2ARO7P';
const SE = 'A2NODRKZP88ZB9';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/feedback/${name}`, import.meta.url)));

function parsed(name: string, marketplaceId: string, charset: string | null = null) {
  const result = parseFeedbackReport(reportText(fixture(name), charset), marketplaceId);
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

describe('feedback report: the real layouts', () => {
  it('reads the six-column US report with CRLF, a quoted comment holding a tab and quotes, and a seller response', () => {
    const doc = parsed('us-six-columns.tsv', US, 'utf-8');
    expect(doc.skipped).toEqual([]);
    expect(doc.entries).toEqual([
      { orderId: '112-4839201-7730214', rating: 1, date: '2026-11-28', comment: 'Item arrived broken and nobody answered my messages.', response: '' },
      { orderId: '113-0056721-4419863', rating: 3, date: '2026-11-30', comment: 'OK, but slow.', response: '' },
      { orderId: '114-7712093-5561028', rating: 2, date: '2026-12-02', comment: 'Box said "new" -\tgot a used one', response: 'We are sorry - a replacement is on its way.' },
      { orderId: '111-9920431-0082716', rating: 1, date: '2026-12-05', comment: 'Never arrived', response: '' },
    ]);
  });

  it('reads a German report by position (localized header), in Windows-1252, with day-first dotted dates', () => {
    const doc = parsed('de-cp1252.tsv', DE, charsetOf('text/plain; charset=Cp1252'));
    expect(doc.entries.map((e) => [e.orderId, e.rating, e.date])).toEqual([
      ['302-5518820-1190437', 1, '2026-11-29'],
      ['305-1184462-9023318', 2, '2026-12-03'],
    ]);
    expect(doc.entries[1]!.comment).toBe('Lieferung zu spät – sehr ärgerlich');
  });

  it('reads a Japanese report with a byte-order mark and year-first dates', () => {
    const doc = parsed('jp-utf8-bom.tsv', JP);
    expect(doc.entries.map((e) => [e.orderId, e.rating, e.date, e.comment])).toEqual([
      ['249-3318507-6620419', 1, '2026-12-01', '商品が破損していました。'],
      ['250-7704213-1185520', 2, '2026-12-04', '配送が遅い'],
    ]);
  });

  it('reads the nine-column MWS layout: the order id after the three yes/no columns', () => {
    const doc = parsed('uk-nine-columns.tsv', UK);
    expect(doc.entries.map((e) => [e.orderId, e.rating, e.date, e.comment])).toEqual([
      ['203-6671120-4408812', 2, '2026-11-30', 'Wrong colour sent'],
      ['204-1120954-7723306', 1, '2026-12-01', 'Still waiting for a refund'],
    ]);
  });

  it('never keeps the rater e-mail', () => {
    const doc = parsed('us-six-columns.tsv', US);
    expect(JSON.stringify(doc)).not.toContain('@marketplace.amazon');
  });
});

describe('feedback report: damaged and odd rows', () => {
  const header = 'Date\tRating\tComments\tResponse\tOrder ID\tRater Email';

  it('skips a row without a 1-5 rating or an order id, and says which', () => {
    const text = [header, '12/1/26\tfive\tx\t\t111-0000000-0000001\ta@b', '12/1/26\t1\tx\t\t\ta@b', '12/1/26\t1\tok\t\t111-0000000-0000002\ta@b'].join('\n');
    const result = parseFeedbackReport(text, US);
    expect(result.ok && result.document.entries.map((e) => e.orderId)).toEqual(['111-0000000-0000002']);
    expect(result.ok && result.document.skipped).toEqual([
      { row: 2, reason: 'rating is not 1-5' },
      { row: 3, reason: 'no order id' },
    ]);
  });

  it('reads an unquoted tab inside a comment as part of the comment (columns after it counted from the end)', () => {
    const result = parseFeedbackReport([header, '12/1/26\t1\tbroken\tand late\tsorry\t111-0000000-0000003\ta@b'].join('\n'), US);
    expect(result.ok && result.document.entries[0]).toMatchObject({ comment: 'broken\tand late', response: 'sorry', orderId: '111-0000000-0000003' });
  });

  it('keeps a row whose date cannot be read, with the date unknown', () => {
    const result = parseFeedbackReport([header, '13/28/26\t2\tx\t\t111-0000000-0000004\ta@b'].join('\n'), US);
    expect(result.ok && result.document.entries[0]).toMatchObject({ orderId: '111-0000000-0000004', date: null });
  });

  it('treats an empty document or a bare header as no feedback, and refuses an unknown layout', () => {
    expect(parseFeedbackReport('', US)).toEqual({ ok: true, document: { marketplaceId: US, entries: [], skipped: [] } });
    expect(parseFeedbackReport(`${header}\r\n`, US)).toMatchObject({ ok: true, document: { entries: [] } });
    expect(parseFeedbackReport('a\tb\tc\n1\t2\t3', US)).toEqual({ ok: false, error: 'Unrecognized feedback report header (3 columns)' });
  });

  it('keeps the last row of an order listed twice', () => {
    const result = parseFeedbackReport([header, '12/1/26\t2\tfirst\t\t111-0000000-0000005\ta', '12/2/26\t1\tsecond\t\t111-0000000-0000005\ta'].join('\n'), US);
    expect(result.ok && result.document.entries).toEqual([{ orderId: '111-0000000-0000005', rating: 1, date: '2026-12-02', comment: 'second', response: '' }]);
  });
});

describe('feedback dates by marketplace', () => {
  it.each([
    [US, '1/13/17'],
    [DE, '13.1.17'],
    [JP, '17/1/13'],
    [UK, '13/1/17'],
    [SE, '2017-01-13'],
    ['A1AM78C64UM0Y8', '13/1/2017'],
  ])('reads %s %s as 2017-01-13', (marketplaceId, text) => {
    expect(feedbackDate(text, marketplaceId)).toBe('2017-01-13');
  });

  it('refuses what is no date in the marketplace order instead of guessing', () => {
    expect(feedbackDate('13/1/17', US)).toBeNull();
    expect(feedbackDate('31/6/26', UK)).toBeNull();
    expect(feedbackDate('29/2/25', UK)).toBeNull();
    expect(feedbackDate('29/2/24', UK)).toBe('2024-02-29');
    expect(feedbackDate('yesterday', UK)).toBeNull();
  });
});

describe('report text and tab-separated reading', () => {
  it('decodes UTF-8 by default and falls back to Windows-1252 for bytes that are not UTF-8', () => {
    expect(reportText(new Uint8Array([0x73, 0x70, 0xc3, 0xa4, 0x74]), null)).toBe('spät');
    expect(reportText(new Uint8Array([0x73, 0x70, 0xe4, 0x74, 0x20, 0x80]), null)).toBe('spät €');
  });

  it('asks the platform decoder for a set it does not know (Shift_JIS), and falls back when it cannot', () => {
    const sjis = new Uint8Array([0x93, 0xfa, 0x96, 0x7b]);
    expect(reportText(sjis, 'shift_jis', (_bytes, charset) => (charset === 'shift_jis' ? '日本' : null))).toBe('日本');
    expect(reportText(sjis, 'shift_jis', () => null)).toHaveLength(4);
  });

  it('reads the charset of a Content-Type', () => {
    expect(charsetOf('text/plain; charset=Cp1252')).toBe('cp1252');
    expect(charsetOf('text/plain;charset="UTF-8"')).toBe('utf-8');
    expect(charsetOf('text/plain')).toBeNull();
  });

  it('splits quoted fields with line breaks, CR-only line ends and a missing last newline', () => {
    expect(readTabSeparated('a\t"x\ny"\rb\tc')).toEqual([
      ['a', 'x\ny'],
      ['b', 'c'],
    ]);
    expect(readTabSeparated('\n\n')).toEqual([]);
    expect(readTabSeparated('"unclosed\tquote')).toEqual([['unclosed\tquote']]);
  });
});
