import { describe, expect, it } from 'vitest';
import { FAILURES_BEFORE_EVENT, nextStep, plannedCall, startJob } from '../../shared/report-job.ts';
import type { Effect, ReportJob, Step } from '../../shared/report-job-types.ts';

const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const HEADER = 'Date\tRating\tComments\tResponse\tOrder ID\tRater Email';
const tsv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');

const types = (step: Step) => step.effects.map((e) => e.type);
const saved = (step: Step) => step.effects.find((e): e is Extract<Effect, { type: 'saveFeedback' }> => e.type === 'saveFeedback')?.documents;

function created(): ReportJob {
  const job = startJob('job-f', 'store-1', [US, CA], T0, { kind: 'feedback' });
  return nextStep(job, { type: 'created', reportIds: { [US]: 'r-us', [CA]: 'r-ca' } }, T0).job;
}

describe('report job: the feedback report', () => {
  it('asks for GET_SELLER_FEEDBACK_DATA over the 60-day ODR window, one marketplace per report', () => {
    const job = startJob('job-f', 'store-1', [US, CA], T0, { kind: 'feedback' });
    expect(job.kind).toBe('feedback');
    expect(plannedCall(job)).toEqual({
      call: 'createReports',
      marketplaceIds: [US, CA],
      reportType: 'GET_SELLER_FEEDBACK_DATA',
      dataStartTime: new Date(T0 - 60 * 86_400_000).toISOString(),
    });
    // Jobs of the account-health report stay as they were stored: no kind, its own report type.
    expect(startJob('job-p', 'store-1', [US], T0).kind).toBeUndefined();
  });

  it('downloads as text and hands every marketplace document on in one saveFeedback, never a snapshot', () => {
    const waiting = created();
    const downloading = nextStep(waiting, { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'DONE', documentId: 'd-ca' } } }, T0).job;
    expect(plannedCall(downloading)).toEqual({ call: 'downloadDocuments', documentIds: ['d-us', 'd-ca'], asText: true });
    const step = nextStep(downloading, { type: 'downloaded', documents: { 'd-us': tsv('12/5/26\t1\tbroken\t\t112-4839201-7730214\tx@y'), 'd-ca': tsv() } }, T0);
    expect(types(step)).toEqual(['saveFeedback', 'finish']);
    expect(saved(step)).toEqual([
      { marketplaceId: US, entries: [{ orderId: '112-4839201-7730214', rating: 1, date: '2026-12-05', comment: 'broken', response: '' }], skipped: [] },
      { marketplaceId: CA, entries: [], skipped: [] },
    ]);
    expect(step.job).toMatchObject({ state: 'done', error: null });
  });

  it('reads a report Amazon cancelled (no rows in the range) as no feedback, and finishes done', () => {
    const step = nextStep(created(), { type: 'statuses', reports: { 'r-us': { status: 'CANCELLED', documentId: null }, 'r-ca': { status: 'CANCELLED', documentId: null } } }, T0);
    expect(types(step)).toEqual(['saveFeedback', 'finish']);
    expect(saved(step)).toEqual([
      { marketplaceId: US, entries: [], skipped: [] },
      { marketplaceId: CA, entries: [], skipped: [] },
    ]);
    expect(step.job.state).toBe('done');
  });

  it('counts a cancelled marketplace as empty beside one that has rows', () => {
    const downloading = nextStep(created(), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'CANCELLED', documentId: null } } }, T0).job;
    const step = nextStep(downloading, { type: 'downloaded', documents: { 'd-us': tsv('12/5/26\t2\tlate\t\t112-0000000-0000001\tx') } }, T0);
    expect(saved(step)?.map((d) => [d.marketplaceId, d.entries.length])).toEqual([
      [CA, 0],
      [US, 1],
    ]);
    expect(step.job).toMatchObject({ state: 'done', error: null });
  });

  it('fails the job on a document it cannot read, keeping what was read', () => {
    const downloading = nextStep(created(), { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-ca': { status: 'DONE', documentId: 'd-ca' } } }, T0).job;
    const step = nextStep(downloading, { type: 'downloaded', documents: { 'd-us': tsv(), 'd-ca': 'a\tb\n1\t2' } }, T0);
    expect(step.job).toMatchObject({ state: 'failed', error: expect.stringContaining(`${CA}: Unrecognized feedback report header (2 columns)`) });
    expect(saved(step)?.map((d) => d.marketplaceId)).toEqual([US]);
  });

  it('never raises polling_failing: that event speaks of the account-health report', () => {
    const job = startJob('job-f', 'store-1', [US], T0, { kind: 'feedback', priorFailures: FAILURES_BEFORE_EVENT - 1 });
    const step = nextStep(job, { type: 'created', reportIds: {}, refused: { [US]: 'HTTP 400' } }, T0);
    expect(step.job.state).toBe('failed');
    expect(types(step)).toEqual(['finish']);
  });
});
