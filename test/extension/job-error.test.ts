/**
 * The relay words a failed or partial report job in English for its logs (shared/report-job.ts).
 * These tests drive that real state machine into each ending and check the popup reads every
 * sentence back into a reason and the marketplaces it names - in Chinese, with no English left.
 */
import { describe, expect, it } from 'vitest';
import { jobText } from '../../extension/components/job-status.tsx';
import type { JobProgress } from '../../extension/lib/cache/cache-db.ts';
import { readJobError } from '../../extension/lib/derive/job-error.ts';
import type { Input, ReportJob } from '../../shared/report-job-types.ts';
import { JOB_DEADLINE_MS, nextStep, startJob } from '../../shared/report-job.ts';
import { buildReport } from '../support/report-documents.ts';
import { ZH } from './helpers/i18n.ts';

const T0 = Date.UTC(2026, 10, 23, 3, 0, 0);
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const doc = (marketplaceId: string) => JSON.stringify(buildReport({ marketplaceId, odrMfn: { defects: 0, orders: 250 } }));

function drive(inputs: Input[], marketplaces = [US, DE], now = T0): ReportJob {
  let job = startJob('job-1', 'store-1', marketplaces, T0);
  for (const input of inputs) job = nextStep(job, input, now).job;
  return job;
}

const zh = ZH;
const progress = (job: ReportJob): JobProgress => ({ storeId: 'store-1', jobId: job.id, state: job.state, error: job.error, updatedAt: T0 });
const NO_ASCII_WORDS = /[A-Za-z]{2,}/;

describe('report job sentences read back', () => {
  it('names the marketplace that got no data in a job that otherwise finished', () => {
    const job = drive([
      { type: 'created', reportIds: { [US]: 'r-us', [DE]: 'r-de' } },
      { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-de': { status: 'FATAL', documentId: null } } },
      { type: 'downloaded', documents: { 'd-us': doc(US) } },
    ]);
    expect(job.state).toBe('done');
    expect(readJobError(job.error ?? '')).toEqual({ reason: 'report_ended', marketplaces: [{ marketplaceId: DE, why: 'fatal' }] });
    expect(jobText(progress(job), T0, zh)).toBe('部分完成：德国站未更新，亚马逊生成报告失败');
  });

  it('says Amazon produced no report when every report ended CANCELLED or FATAL', () => {
    const job = drive([
      { type: 'created', reportIds: { [US]: 'r-us', [DE]: 'r-de' } },
      { type: 'statuses', reports: { 'r-us': { status: 'CANCELLED', documentId: null }, 'r-de': { status: 'FATAL', documentId: null } } },
    ]);
    expect(job.state).toBe('failed');
    expect(readJobError(job.error ?? '').reason).toBe('report_ended');
    expect(jobText(progress(job), T0, zh)).toBe('失败：亚马逊没有生成报告（可能请求过于频繁或暂无数据），下次定时检查会再请求');
  });

  it('names each marketplace Amazon refused', () => {
    const job = drive([{ type: 'created', reportIds: {}, refused: { [US]: '403 Unauthorized', [DE]: '400 InvalidInput' } }]);
    expect(readJobError(job.error ?? '')).toEqual({
      reason: 'refused',
      marketplaces: [
        { marketplaceId: US, why: 'refused' },
        { marketplaceId: DE, why: 'refused' },
      ],
    });
    expect(jobText(progress(job), T0, zh)).toBe('失败：亚马逊拒绝生成报告（美国站、德国站）');
  });

  it('reads a lost authorization, a job past its deadline and a report that could not be read', () => {
    expect(readJobError(drive([{ type: 'authLost', error: 'invalid_grant' }]).error ?? '').reason).toBe('auth_lost');
    const late = startJob('job-2', 'store-1', [US], T0);
    expect(readJobError(nextStep(late, { type: 'wake', version: late.version }, T0 + JOB_DEADLINE_MS + 1).job.error ?? '').reason).toBe('deadline');
    const unreadable = drive(
      [
        { type: 'created', reportIds: { [US]: 'r-us' } },
        { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' } } },
        { type: 'downloaded', documents: { 'd-us': 'not json' } },
      ],
      [US],
    );
    expect(readJobError(unreadable.error ?? '')).toEqual({ reason: 'unreadable', marketplaces: [{ marketplaceId: US, why: 'unreadable' }] });
    expect(readJobError(drive([{ type: 'rejected', error: 'InvalidInput' }]).error ?? '').reason).toBe('refused');
  });

  it('leaves no English word in any Chinese job line', () => {
    const endings = [
      drive([{ type: 'authLost', error: 'invalid_grant: revoked by the seller' }]),
      drive([{ type: 'rejected', error: 'InvalidInput: bad marketplace' }]),
      drive([{ type: 'created', reportIds: {}, refused: { [US]: 'Forbidden', [DE]: 'Forbidden' } }]),
      drive([
        { type: 'created', reportIds: { [US]: 'r-us', [DE]: 'r-de' } },
        { type: 'statuses', reports: { 'r-us': { status: 'DONE', documentId: 'd-us' }, 'r-de': { status: 'CANCELLED', documentId: null } } },
        { type: 'downloaded', documents: { 'd-us': doc(US) } },
      ]),
    ];
    for (const job of endings) expect(jobText(progress(job), T0, zh), job.error ?? '').not.toMatch(NO_ASCII_WORDS);
  });

  it('says a refresh inside the cooldown was not run again, and when the last one ran', () => {
    const line = jobText({ storeId: 's', jobId: 'j', state: 'done', error: null, updatedAt: T0, cooldown: true, startedAt: T0 - 60_000 }, T0, zh);
    expect(line).toMatch(/^两分钟内已刷新过，未重新请求；上次刷新 \d\d:\d\d：已完成$/);
  });
});
