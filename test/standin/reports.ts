/**
 * A report's life in the Reports API 2021-06-30 (model `reports_2021-06-30.json`, definition
 * `Report`): created IN_QUEUE, IN_PROGRESS from `processingStartTime`, DONE at `processingEndTime`
 * with a `reportDocumentId` - or CANCELLED when a flat file has no data. Time is the injected clock;
 * how long a report takes is drawn per report from the configured range (the queue wait is a fifth
 * of it), so a whole refresh sees reports finish in a spread, not all at once.
 */
import type { Random } from './prng.ts';

export const PERFORMANCE_REPORT = 'GET_V2_SELLER_PERFORMANCE_REPORT';
export const FEEDBACK_REPORT = 'GET_SELLER_FEEDBACK_DATA';
export const REPORT_TYPES: readonly string[] = [PERFORMANCE_REPORT, FEEDBACK_REPORT];

export interface StoredReport {
  reportId: string;
  sellerId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: string | null;
  createdAt: number;
  startsAt: number;
  endsAt: number;
  /** Decided at creation: a feedback report with no rows in its range ends CANCELLED. */
  empty: boolean;
  documentId: string;
}

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED';

export function statusAt(report: StoredReport, now: number): ProcessingStatus {
  if (now < report.startsAt) return 'IN_QUEUE';
  if (now < report.endsAt) return 'IN_PROGRESS';
  return report.empty ? 'CANCELLED' : 'DONE';
}

/** Amazon's ISO 8601 with seconds and an offset, as the model's examples print it. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The `Report` object of getReport at `now`: fields appear as the report reaches them. */
export function reportView(report: StoredReport, now: number): Record<string, unknown> {
  const status = statusAt(report, now);
  return {
    reportId: report.reportId,
    reportType: report.reportType,
    marketplaceIds: report.marketplaceIds,
    ...(report.dataStartTime ? { dataStartTime: report.dataStartTime } : {}),
    createdTime: iso(report.createdAt),
    processingStatus: status,
    ...(status === 'IN_QUEUE' ? {} : { processingStartTime: iso(report.startsAt) }),
    ...(status === 'DONE' || status === 'CANCELLED' ? { processingEndTime: iso(report.endsAt) } : {}),
    ...(status === 'DONE' ? { reportDocumentId: report.documentId } : {}),
  };
}

export interface ReportClock {
  now: () => number;
  random: Random;
  /** Milliseconds from createReport to DONE: drawn uniformly in [min, max]. */
  generationMs: readonly [number, number];
}

/**
 * A new report. Ids shaped like Amazon's: a numeric `reportId` (e.g. "5500990019464") and a
 * document id `amzn1.spdoc.1.4.<region>.<uuid>.<suffix>` (both as public issues print them).
 */
export function createReport(c: ReportClock, input: { sellerId: string; region: string; reportType: string; marketplaceIds: string[]; dataStartTime: string | null; empty: boolean; sequence: number }): StoredReport {
  const now = c.now();
  const total = c.random.int(c.generationMs[0], c.generationMs[1]);
  const hex = (n: number) => Array.from({ length: n }, () => c.random.int(0, 15).toString(16)).join('');
  return {
    reportId: String(50_000_000_000 + input.sequence * 97 + c.random.int(0, 96)),
    sellerId: input.sellerId,
    reportType: input.reportType,
    marketplaceIds: input.marketplaceIds,
    dataStartTime: input.dataStartTime,
    createdAt: now,
    startsAt: now + Math.floor(total / 5),
    endsAt: now + total,
    empty: input.empty,
    documentId: `amzn1.spdoc.1.4.${input.region}.${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}.T${hex(12).toUpperCase()}.${c.random.int(100, 999)}`,
  };
}
