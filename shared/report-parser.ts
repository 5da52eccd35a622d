/**
 * Reads a GET_V2_SELLER_PERFORMANCE_REPORT document (schema: Amazon's
 * accountHealthReport-2020-11-18.json) into one MarketplaceSnapshot per marketplace.
 *
 * Lenient exactly where Amazon's own schema contradicts itself (DOMAIN.md section 1, "Quirks"):
 * both spellings of the cancel rate, warning states and document requests, `ahrStatus` vs
 * `accountHealthRatingStatus`, fields seen only in the wild (`ahrScore`, `lateShipmentRateList`,
 * `policyViolationWarnings`), unknown enum values, unknown fields. Strict where the document is
 * simply broken: not JSON, wrong shapes, a number that is not a number.
 */
import type {
  AccountStatus,
  AmazonStatus,
  DateWindow,
  MarketplaceSnapshot,
  MetricId,
  MetricReading,
  Target,
  WarningState,
} from './types.ts';

export type ParseResult = { ok: true; marketplaces: MarketplaceSnapshot[] } | { ok: false; error: string };

type Json = Record<string, unknown>;

/** Thrown inside the parser only; the public function turns it into `{ ok: false }`. */
class BrokenDocument extends Error {}

/** Where each rate lives in a performanceMetrics entry and what its counts are called. */
interface RateSource {
  id: MetricId;
  /** Report keys, the schema's definition first, then spellings seen in the example or the wild. */
  keys: readonly string[];
  /** For ODR: the `mfn`/`afn` sub-object. */
  part?: 'mfn' | 'afn';
  total: string;
  /** The counted bad ones (lower-is-better), as a number field or `{count}` object field. */
  defects?: string;
  /** The counted good ones (higher-is-better). */
  good?: string;
  /** Sub-counts kept for messages and the popup, each a `{count}` object. */
  parts?: readonly string[];
}

const RATE_SOURCES: readonly RateSource[] = [
  { id: 'odrMfn', keys: ['orderDefectRate'], part: 'mfn', total: 'orderCount', defects: 'orderWithDefects', parts: ['claims', 'chargebacks', 'negativeFeedback'] },
  { id: 'odrAfn', keys: ['orderDefectRate'], part: 'afn', total: 'orderCount', defects: 'orderWithDefects', parts: ['claims', 'chargebacks', 'negativeFeedback'] },
  { id: 'lateShipmentRate', keys: ['lateShipmentRate'], total: 'orderCount', defects: 'lateShipmentCount' },
  { id: 'preFulfillmentCancellationRate', keys: ['preFulfillmentCancellationRate', 'prefulfillmentCancelRate'], total: 'orderCount', defects: 'cancellationCount' },
  { id: 'validTrackingRate', keys: ['validTrackingRate'], total: 'shipmentCount', good: 'validTrackingCount' },
  { id: 'onTimeDeliveryRate', keys: ['onTimeDeliveryRate'], total: 'shipmentCountWithValidTracking', good: 'onTimeDeliveryCount' },
  { id: 'unitOnTimeDeliveryRate', keys: ['unitOnTimeDeliveryRate'], total: 'totalUnitCount', good: 'unitOnTimeDeliveryCount' },
  { id: 'invoiceDefectRate', keys: ['invoiceDefectRate'], total: 'orderCount', defects: 'invoiceDefect', parts: ['missingInvoice', 'lateInvoice'] },
];

/** Policy counts (`ListingLevelViolation` in the schema), with the example's singular spelling. */
const COUNT_SOURCES: ReadonlyArray<{ id: MetricId; keys: readonly string[] }> = [
  { id: 'listingPolicyViolations', keys: ['listingPolicyViolations'] },
  { id: 'productAuthenticityCustomerComplaints', keys: ['productAuthenticityCustomerComplaints'] },
  { id: 'productConditionCustomerComplaints', keys: ['productConditionCustomerComplaints'] },
  { id: 'productSafetyCustomerComplaints', keys: ['productSafetyCustomerComplaints'] },
  { id: 'receivedIntellectualPropertyComplaints', keys: ['receivedIntellectualPropertyComplaints'] },
  { id: 'restrictedProductPolicyViolations', keys: ['restrictedProductPolicyViolations'] },
  { id: 'suspectedIntellectualPropertyViolations', keys: ['suspectedIntellectualPropertyViolations'] },
  { id: 'foodAndProductSafetyIssues', keys: ['foodAndProductSafetyIssues'] },
  { id: 'customerProductReviewsPolicyViolations', keys: ['customerProductReviewsPolicyViolations'] },
  { id: 'otherPolicyViolations', keys: ['otherPolicyViolations'] },
  { id: 'documentRequests', keys: ['documentRequests', 'documentRequest'] },
];

/** Keys this parser understands; anything else in an entry is kept verbatim in `extra`. */
const KNOWN_KEYS = new Set<string>([
  'marketplaceId',
  'accountHealthRating',
  'warningStates',
  'warningState',
  ...RATE_SOURCES.flatMap((s) => s.keys),
  ...COUNT_SOURCES.flatMap((s) => s.keys),
]);

const ACCOUNT_STATUSES: ReadonlySet<string> = new Set(['NORMAL', 'AT_RISK', 'DEACTIVATED']);
const AMAZON_STATUSES: ReadonlySet<string> = new Set(['GOOD', 'BAD', 'NONE']);
const CONDITIONS: ReadonlySet<string> = new Set(['LESS_THAN', 'GREATER_THAN', 'EQUALS']);

/**
 * Parses a Seller Performance report. Takes the parsed JSON or its text (Amazon serves the
 * document as `text/plain`). Never throws.
 *
 * @example
 * const result = parseSellerPerformanceReport(gunzippedText);
 * if (!result.ok) console.warn(result.error);
 */
export function parseSellerPerformanceReport(doc: unknown): ParseResult {
  try {
    return { ok: true, marketplaces: readDocument(typeof doc === 'string' ? parseJsonText(doc) : doc) };
  } catch (error) {
    if (error instanceof BrokenDocument) return { ok: false, error: error.message };
    return { ok: false, error: `The report could not be read: ${String(error)}` };
  }
}

function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new BrokenDocument('The report document is empty.');
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BrokenDocument(`The report document is not valid JSON (is it truncated?): ${reason}`);
  }
}

function readDocument(doc: unknown): MarketplaceSnapshot[] {
  if (!isObject(doc)) {
    throw new BrokenDocument(`The report document must be a JSON object, got ${describe(doc)}.`);
  }
  if (doc.performanceMetrics === undefined && doc.accountStatuses === undefined) {
    throw new BrokenDocument(
      'The report has neither performanceMetrics nor accountStatuses: is it a GET_V2_SELLER_PERFORMANCE_REPORT document?',
    );
  }
  const metrics = optionalArray(doc, 'performanceMetrics', 'performanceMetrics');
  const statuses = optionalArray(doc, 'accountStatuses', 'accountStatuses');

  const snapshots = new Map<string, MarketplaceSnapshot>();
  metrics.forEach((entry, i) => {
    const path = `performanceMetrics[${i}]`;
    const snapshot = readPerformanceEntry(entry, path);
    // A repeated marketplace keeps its first entry: Amazon never sends two, and picking one
    // deterministically beats failing a whole report.
    if (!snapshots.has(snapshot.marketplaceId)) snapshots.set(snapshot.marketplaceId, snapshot);
  });
  statuses.forEach((entry, i) => {
    const path = `accountStatuses[${i}]`;
    if (!isObject(entry)) throw new BrokenDocument(`${path} must be an object, got ${describe(entry)}.`);
    const marketplaceId = requiredString(entry, 'marketplaceId', path);
    const raw = requiredString(entry, 'status', path);
    const snapshot = snapshots.get(marketplaceId) ?? emptySnapshot(marketplaceId);
    snapshot.accountStatusRaw = raw;
    snapshot.accountStatus = ACCOUNT_STATUSES.has(raw) ? (raw as AccountStatus) : 'UNKNOWN';
    snapshots.set(marketplaceId, snapshot);
  });
  return [...snapshots.values()];
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

function readPerformanceEntry(entry: unknown, path: string): MarketplaceSnapshot {
  if (!isObject(entry)) throw new BrokenDocument(`${path} must be an object, got ${describe(entry)}.`);
  const snapshot = emptySnapshot(requiredString(entry, 'marketplaceId', path));

  for (const source of RATE_SOURCES) {
    const found = firstPresent(entry, source.keys);
    let object = found ? found.value : undefined;
    let objectPath = found ? `${path}.${found.key}` : '';
    if (object === undefined && source.id === 'lateShipmentRate') {
      // Seen in the wild: a list of late shipment rates (e.g. 10- and 30-day windows) instead of
      // one object. The first is the one Seller Central shows; the whole list stays in `extra`.
      const list = entry.lateShipmentRateList;
      if (Array.isArray(list) && list.length > 0) {
        object = list[0];
        objectPath = `${path}.lateShipmentRateList[0]`;
      }
    }
    if (object === undefined || object === null) continue;
    if (source.part) {
      if (!isObject(object)) throw new BrokenDocument(`${objectPath} must be an object, got ${describe(object)}.`);
      object = object[source.part];
      objectPath = `${objectPath}.${source.part}`;
      if (object === undefined || object === null) continue;
    }
    snapshot.metrics[source.id] = readRate(object, objectPath, source);
  }

  for (const source of COUNT_SOURCES) {
    const found = firstPresent(entry, source.keys);
    if (!found || found.value === null) continue;
    snapshot.metrics[source.id] = readCount(found.value, `${path}.${found.key}`);
  }

  const ahr = entry.accountHealthRating;
  if (ahr !== undefined && ahr !== null) {
    const ahrPath = `${path}.accountHealthRating`;
    if (!isObject(ahr)) throw new BrokenDocument(`${ahrPath} must be an object, got ${describe(ahr)}.`);
    snapshot.ahr = {
      status: optionalString(ahr, 'ahrStatus', ahrPath) ?? optionalString(ahr, 'accountHealthRatingStatus', ahrPath),
      score: optionalNumber(ahr, 'ahrScore', ahrPath),
    };
  }

  const warnings = firstPresent(entry, ['warningStates', 'warningState']);
  if (warnings && warnings.value !== null) snapshot.warningStates = readWarnings(warnings.value, `${path}.${warnings.key}`);

  for (const [key, value] of Object.entries(entry)) {
    if (!KNOWN_KEYS.has(key)) snapshot.extra[key] = value;
  }
  return snapshot;
}

function readRate(object: unknown, path: string, source: RateSource): MetricReading {
  if (!isObject(object)) throw new BrokenDocument(`${path} must be an object, got ${describe(object)}.`);
  const counts: Record<string, number> = {};
  const total = optionalNumber(object, source.total, path);
  if (total !== null) counts.total = total;
  if (source.defects) {
    const defects = countOf(object, source.defects, path);
    if (defects !== null) counts.defects = defects;
  }
  if (source.good) {
    const good = countOf(object, source.good, path);
    if (good !== null) counts.good = good;
  }
  for (const part of source.parts ?? []) {
    const value = countOf(object, part, path);
    if (value !== null) counts[part] = value;
  }
  return {
    value: optionalNumber(object, 'rate', path),
    target: readTarget(object, path),
    amazonStatus: readStatus(object, path),
    window: readWindow(object, path),
    counts,
  };
}

function readCount(object: unknown, path: string): MetricReading {
  if (!isObject(object)) throw new BrokenDocument(`${path} must be an object, got ${describe(object)}.`);
  const defects = optionalNumber(object, 'defectsCount', path);
  return {
    value: defects,
    target: readTarget(object, path),
    amazonStatus: readStatus(object, path),
    window: readWindow(object, path),
    counts: defects === null ? {} : { defects },
  };
}

/** A count is either a number field (`lateShipmentCount`) or a `{count, status}` object (`claims`). */
function countOf(object: Json, key: string, path: string): number | null {
  const value = object[key];
  if (isObject(value)) return optionalNumber(value, 'count', `${path}.${key}`);
  return optionalNumber(object, key, path);
}

function readTarget(object: Json, path: string): Target | null {
  const value = optionalNumber(object, 'targetValue', path);
  const condition = optionalString(object, 'targetCondition', path);
  if (value === null || condition === null || !CONDITIONS.has(condition)) return null;
  return { value, condition: condition as Target['condition'] };
}

function readStatus(object: Json, path: string): AmazonStatus {
  const status = optionalString(object, 'status', path);
  if (status === null) return 'NONE';
  return AMAZON_STATUSES.has(status) ? (status as AmazonStatus) : 'UNKNOWN';
}

function readWindow(object: Json, path: string): DateWindow | null {
  const range = object.reportingDateRange;
  if (range === undefined || range === null) return null;
  const rangePath = `${path}.reportingDateRange`;
  if (!isObject(range)) throw new BrokenDocument(`${rangePath} must be an object, got ${describe(range)}.`);
  const from = optionalString(range, 'reportingDateFrom', rangePath);
  const to = optionalString(range, 'reportingDateTo', rangePath);
  return from !== null && to !== null ? { from, to } : null;
}

function readWarnings(value: unknown, path: string): WarningState[] {
  if (!Array.isArray(value)) throw new BrokenDocument(`${path} must be an array, got ${describe(value)}.`);
  return value.map((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (!isObject(item)) throw new BrokenDocument(`${itemPath} must be an object, got ${describe(item)}.`);
    return {
      type: optionalString(item, 'warningType', itemPath) ?? 'UNKNOWN',
      status: optionalString(item, 'status', itemPath) ?? 'UNKNOWN',
    };
  });
}

function firstPresent(object: Json, keys: readonly string[]): { key: string; value: unknown } | null {
  for (const key of keys) if (object[key] !== undefined) return { key, value: object[key] };
  return null;
}

function optionalArray(object: Json, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BrokenDocument(`${path} must be an array, got ${describe(value)}.`);
  return value;
}

function requiredString(object: Json, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    throw new BrokenDocument(`${path}.${key} must be a non-empty string, got ${describe(value)}.`);
  }
  return value;
}

function optionalString(object: Json, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new BrokenDocument(`${path}.${key} must be a string, got ${describe(value)}.`);
  return value;
}

function optionalNumber(object: Json, key: string, path: string): number | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BrokenDocument(`${path}.${key} is ${describe(value)}, expected a number.`);
  }
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
