/**
 * Reads a GET_V2_SELLER_PERFORMANCE_REPORT document (schema: Amazon's
 * accountHealthReport-2020-11-18.json) into one MarketplaceSnapshot per marketplace.
 *
 * Lenient exactly where Amazon's own schema contradicts itself (docs/domain/reports.md#quirks):
 * both spellings of the cancel rate, warning states and document requests (the catalog lists
 * them), `ahrStatus` vs `accountHealthRatingStatus`, fields seen only in the wild (`ahrScore`,
 * `lateShipmentRateList`, `policyViolationWarnings`, `customerProductReviewsPolicyViolations`),
 * unknown enum values, unknown fields. Strict where the document is simply broken: not JSON, not
 * an object, no marketplace sections. A field of the wrong type (`"rate": "0.01"`) fails only
 * what it belongs to - one metric, the rating, the warning states or one marketplace's entry -
 * which reads as unknown with the reason, and the reason is returned in `problems` for the log.
 */
import { pickFromLateShipmentList } from './late-shipment-windows.ts';
import { METRIC_SOURCES, type MetricSource } from './metric-sources.ts';
import { METRIC_LIST } from './metrics.ts';
import {
  BrokenDocument,
  countField,
  describe,
  firstPresent,
  isObject,
  optionalArray,
  optionalNumber,
  optionalString,
  requireObject,
  requiredString,
  type Json,
} from './report-fields.ts';
import type { AccountStatus, AmazonStatus, DateWindow, MarketplaceSnapshot, MetricReading, Target, WarningState } from './types.ts';
import { decodeUtf8 } from './utf8.ts';

export type ParseResult =
  | {
      ok: true;
      marketplaces: MarketplaceSnapshot[];
      /** Parts of the document that could not be read and were left out (each with its JSON path). */
      problems: string[];
    }
  | { ok: false; error: string };

/** Keys this parser reads; anything else in an entry is kept verbatim in `extra`. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'marketplaceId',
  'accountHealthRating',
  'warningStates',
  'warningState',
  ...Object.values(METRIC_SOURCES).flatMap((source) => source.keys),
]);

const ACCOUNT_STATUSES: ReadonlySet<string> = new Set(['NORMAL', 'AT_RISK', 'DEACTIVATED']);
const AMAZON_STATUSES: ReadonlySet<string> = new Set(['GOOD', 'BAD', 'NONE']);
const CONDITIONS: ReadonlySet<string> = new Set(['LESS_THAN', 'GREATER_THAN', 'EQUALS']);

/**
 * Parses a Seller Performance report. Takes the parsed JSON, its text, or its bytes (Amazon
 * serves the document as `text/plain`; gunzip it first when `compressionAlgorithm` is GZIP).
 * Never throws.
 *
 * @example
 * const result = parseSellerPerformanceReport(await response.arrayBuffer());
 * if (!result.ok) console.warn(result.error);
 */
export function parseSellerPerformanceReport(doc: unknown): ParseResult {
  try {
    const problems: string[] = [];
    const marketplaces = readDocument(toJson(doc), problems);
    // Both ODR halves fail on one broken `orderDefectRate`: one line says it.
    return { ok: true, marketplaces, problems: [...new Set(problems)] };
  } catch (error) {
    if (error instanceof BrokenDocument) return { ok: false, error: error.message };
    return { ok: false, error: `The report could not be read: ${String(error)}` };
  }
}

function toJson(doc: unknown): unknown {
  if (doc instanceof ArrayBuffer) return toJson(new Uint8Array(doc));
  if (doc instanceof Uint8Array) {
    if (doc[0] === 0x1f && doc[1] === 0x8b) {
      throw new BrokenDocument('The report document is gzip-compressed: gunzip it first (getReportDocument said compressionAlgorithm GZIP).');
    }
    const decoded = decodeUtf8(doc);
    if (!decoded.ok) throw new BrokenDocument(`The report document is not UTF-8 text (bad byte at offset ${decoded.offset}).`);
    return toJson(decoded.text);
  }
  if (typeof doc !== 'string') return doc;
  // A byte-order mark is legal before UTF-8 text but not before JSON.
  const text = doc.startsWith('\uFEFF') ? doc.slice(1) : doc;
  if (text.trim() === '') throw new BrokenDocument('The report document is empty.');
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BrokenDocument(`The report document is not valid JSON (is it truncated?): ${reason}`);
  }
}

/** Runs one part's reader; a broken part is recorded and read as `fallback`, never failing the rest. */
function isolated<T>(problems: string[], fallback: T, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof BrokenDocument)) throw error;
    problems.push(error.message);
    return fallback;
  }
}

function readDocument(doc: unknown, problems: string[]): MarketplaceSnapshot[] {
  if (!isObject(doc)) throw new BrokenDocument(`The report document must be a JSON object, got ${describe(doc)}.`);
  const root = doc;
  if (root.performanceMetrics === undefined && root.accountStatuses === undefined) {
    throw new BrokenDocument(
      'The report has neither performanceMetrics nor accountStatuses: is it a GET_V2_SELLER_PERFORMANCE_REPORT document?',
    );
  }
  // Marketplaces come out in order of first appearance in the document, whichever of the two
  // arrays comes first. A repeated marketplace keeps its first entry and first status: Amazon
  // never sends two, and picking one deterministically beats failing a whole report.
  const order = new Set<string>();
  const snapshots = new Map<string, MarketplaceSnapshot>();
  const statuses = new Map<string, string>();
  for (const section of Object.keys(root)) {
    if (section === 'performanceMetrics') {
      optionalArray(root, section, section).forEach((entry, i) => {
        // An entry without a readable marketplace id belongs to no one: left out, the others read.
        const snapshot = isolated(problems, null, () => readPerformanceEntry(entry, `${section}[${i}]`, problems));
        if (!snapshot) return;
        order.add(snapshot.marketplaceId);
        if (!snapshots.has(snapshot.marketplaceId)) snapshots.set(snapshot.marketplaceId, snapshot);
      });
    } else if (section === 'accountStatuses') {
      optionalArray(root, section, section).forEach((item, i) => {
        const path = `${section}[${i}]`;
        const read = isolated(problems, null, () => {
          const entry = requireObject(item, path);
          return { marketplaceId: requiredString(entry, 'marketplaceId', path), raw: requiredString(entry, 'status', path) };
        });
        if (!read) return;
        order.add(read.marketplaceId);
        if (!statuses.has(read.marketplaceId)) statuses.set(read.marketplaceId, read.raw);
      });
    }
  }
  return [...order].map((marketplaceId) => {
    const snapshot = snapshots.get(marketplaceId) ?? emptySnapshot(marketplaceId);
    const raw = statuses.get(marketplaceId);
    if (raw !== undefined) {
      snapshot.accountStatusRaw = raw;
      snapshot.accountStatus = ACCOUNT_STATUSES.has(raw) ? (raw as AccountStatus) : 'UNKNOWN';
    }
    return snapshot;
  });
}

function emptySnapshot(marketplaceId: string): MarketplaceSnapshot {
  return {
    marketplaceId,
    accountStatus: 'UNKNOWN',
    accountStatusRaw: null,
    ahr: { status: null, score: null },
    metrics: {},
    warningStates: [],
    extra: {},
  };
}

function readPerformanceEntry(item: unknown, path: string, problems: string[]): MarketplaceSnapshot {
  const entry = requireObject(item, path);
  const snapshot = emptySnapshot(requiredString(entry, 'marketplaceId', path));

  for (const { id } of METRIC_LIST) {
    const source = METRIC_SOURCES[id];
    try {
      const found = locate(entry, source, path);
      if (found) snapshot.metrics[id] = readMetric(found.value, found.path, source);
    } catch (error) {
      if (!(error instanceof BrokenDocument)) throw error;
      problems.push(error.message);
      snapshot.metrics[id] = unreadable(error.message);
    }
  }

  const ahr = entry.accountHealthRating;
  if (ahr !== undefined && ahr !== null) {
    const ahrPath = `${path}.accountHealthRating`;
    snapshot.ahr = isolated(problems, { status: null, score: null }, () => {
      const rating = requireObject(ahr, ahrPath);
      return {
        status: optionalString(rating, 'ahrStatus', ahrPath) ?? optionalString(rating, 'accountHealthRatingStatus', ahrPath),
        score: optionalNumber(rating, 'ahrScore', ahrPath),
      };
    });
  }

  const warnings = firstPresent(entry, ['warningStates', 'warningState']);
  if (warnings && warnings.value !== null) {
    snapshot.warningStates = isolated(problems, [], () => readWarnings(warnings.value, `${path}.${warnings.key}`));
  }

  for (const [key, value] of Object.entries(entry)) {
    if (!KNOWN_KEYS.has(key)) snapshot.extra[key] = value;
  }
  return snapshot;
}

/** A metric whose fields could not be read: unknown, with the reason. */
function unreadable(problem: string): MetricReading {
  return { value: null, target: null, amazonStatus: 'UNKNOWN', window: null, counts: {}, problem };
}

/** Finds a metric's object in an entry under any of its spellings; null when the report has none. */
function locate(entry: Json, source: MetricSource, path: string): { value: unknown; path: string } | null {
  const { keys, part, listWindowDays } = source;
  const found = firstPresent(entry, keys);
  let value = found?.value;
  let at = found ? `${path}.${found.key}` : '';
  if ((value === undefined || value === null) && listWindowDays !== undefined) {
    const picked = pickFromLateShipmentList(entry, listWindowDays, keys.length > 0, path);
    if (picked) ({ value, path: at } = picked);
  }
  if (value === undefined || value === null) return null;
  if (part) {
    const halves = requireObject(value, at);
    value = halves[part];
    at = `${at}.${part}`;
    if (value === undefined || value === null) return null;
  }
  return { value, path: at };
}

function readMetric(value: unknown, path: string, source: MetricSource): MetricReading {
  const object = requireObject(value, path);
  const counts: Record<string, number> = {};
  for (const [name, field] of Object.entries(source.counts)) {
    const n = countField(object, field, path);
    if (n !== null) counts[name] = n;
  }
  for (const field of source.subCounts) {
    const n = countField(object, field, path);
    if (n !== null) counts[field] = n;
  }
  return {
    value: optionalNumber(object, source.value, path),
    target: readTarget(object, path),
    amazonStatus: readStatus(object, path),
    window: readWindow(object, path),
    counts,
  };
}

function readTarget(object: Json, path: string): Target | null {
  const value = optionalNumber(object, 'targetValue', path);
  const condition = optionalString(object, 'targetCondition', path);
  // An unknown condition cannot be judged: fall back to the catalog rather than guess.
  if (value === null || condition === null || !CONDITIONS.has(condition)) return null;
  return { value, condition: condition as Target['condition'] };
}

/**
 * Amazon's verdict. No `status` field at all is `UNKNOWN` (no verdict: our calculation decides),
 * not `NONE`, which is Amazon saying it has too few orders to judge.
 */
function readStatus(object: Json, path: string): AmazonStatus {
  const status = optionalString(object, 'status', path);
  if (status === null) return 'UNKNOWN';
  return AMAZON_STATUSES.has(status) ? (status as AmazonStatus) : 'UNKNOWN';
}

function readWindow(object: Json, path: string): DateWindow | null {
  const range = object.reportingDateRange;
  if (range === undefined || range === null) return null;
  const rangePath = `${path}.reportingDateRange`;
  const dates = requireObject(range, rangePath);
  const from = optionalString(dates, 'reportingDateFrom', rangePath);
  const to = optionalString(dates, 'reportingDateTo', rangePath);
  return from !== null && to !== null ? { from, to } : null;
}

function readWarnings(value: unknown, path: string): WarningState[] {
  if (!Array.isArray(value)) throw new BrokenDocument(`${path} must be an array, got ${describe(value)}.`);
  return value.map((item, i) => {
    const itemPath = `${path}[${i}]`;
    const warning = requireObject(item, itemPath);
    return {
      type: optionalString(warning, 'warningType', itemPath) ?? 'UNKNOWN',
      status: optionalString(warning, 'status', itemPath) ?? 'UNKNOWN',
    };
  });
}
