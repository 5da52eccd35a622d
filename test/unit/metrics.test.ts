import { describe, expect, it } from 'vitest';
import { METRIC_GUIDANCE } from '../../shared/metric-guidance.ts';
import { METRIC_SOURCES } from '../../shared/metric-sources.ts';
import { METRIC_IDS, METRIC_LIST, METRICS, isMetricId } from '../../shared/metrics.ts';
import type { MetricId } from '../../shared/types.ts';
import { officialSchema } from './helpers/report-builder.ts';

/** Every MetricId of types.ts; the compiler fails this literal when an id is added or removed. */
const EVERY_ID: Record<MetricId, true> = {
  odrMfn: true,
  odrAfn: true,
  lateShipmentRate: true,
  lateShipmentRate10d: true,
  preFulfillmentCancellationRate: true,
  validTrackingRate: true,
  onTimeDeliveryRate: true,
  unitOnTimeDeliveryRate: true,
  invoiceDefectRate: true,
  listingPolicyViolations: true,
  productAuthenticityCustomerComplaints: true,
  productConditionCustomerComplaints: true,
  productSafetyCustomerComplaints: true,
  receivedIntellectualPropertyComplaints: true,
  restrictedProductPolicyViolations: true,
  suspectedIntellectualPropertyViolations: true,
  foodAndProductSafetyIssues: true,
  customerProductReviewsPolicyViolations: true,
  otherPolicyViolations: true,
  documentRequests: true,
};

type SchemaNode = { properties?: Record<string, SchemaNode>; $ref?: string };
const schema = officialSchema() as unknown as { definitions: Record<string, SchemaNode>; properties: { performanceMetrics: { items: SchemaNode } } };
const entryProperties = schema.properties.performanceMetrics.items.properties!;

/** The properties the schema defines for one metric object (following `$ref`s). */
function schemaFieldsOf(key: string, part?: string): string[] {
  let node = entryProperties[key]!;
  if (part) node = node.properties![part]!;
  if (node.$ref) node = schema.definitions[node.$ref.split('/').pop()!]!;
  return Object.keys(node.properties ?? {});
}

describe('metric catalog', () => {
  it('lists every MetricId once, rates first, in a stable display order', () => {
    expect([...METRIC_IDS].sort()).toEqual(Object.keys(EVERY_ID).sort());
    expect(METRIC_IDS.slice(0, 9)).toEqual([
      'odrMfn',
      'odrAfn',
      'lateShipmentRate',
      'lateShipmentRate10d',
      'preFulfillmentCancellationRate',
      'validTrackingRate',
      'onTimeDeliveryRate',
      'unitOnTimeDeliveryRate',
      'invoiceDefectRate',
    ]);
    expect(METRIC_IDS.slice(9).every((id) => METRICS[id].kind === 'count')).toBe(true);
    expect(METRIC_LIST.map((m) => m.id)).toEqual(METRIC_IDS);
  });

  it('tells metric ids from other strings', () => {
    expect(isMetricId('odrMfn')).toBe(true);
    expect(isMetricId('toString')).toBe(false);
    expect(isMetricId(42)).toBe(false);
  });

  it('labels every metric in both languages, with short labels that fit a chip', () => {
    for (const m of METRIC_LIST) {
      expect(m.labelZh && m.labelEn && m.shortZh && m.shortEn, m.id).toBeTruthy();
      expect([...m.shortZh].length, m.id).toBeLessThanOrEqual(10);
      expect(m.defectZh && m.defectEn && m.defectEnPlural, m.id).toBeTruthy();
    }
    expect(METRICS.odrMfn).toMatchObject({ shortZh: 'ODR (FBM)', defectZh: '缺陷订单', defectEn: 'defective order', goodZh: '无缺陷订单' });
    expect(METRICS.lateShipmentRate).toMatchObject({ defectZh: '迟发订单', defectEn: 'late shipment' });
    expect(METRICS.listingPolicyViolations).toMatchObject({ defectZh: '违规', defectEn: 'violation', defectEnPlural: 'violations' });
  });

  it("carries Amazon's published targets as the fallback (docs/domain/reports.md)", () => {
    const targets = Object.fromEntries(METRIC_LIST.map((m) => [m.id, `${m.fallbackTarget.condition} ${m.fallbackTarget.value}`]));
    expect(targets).toMatchObject({
      odrMfn: 'LESS_THAN 0.01',
      odrAfn: 'LESS_THAN 0.01',
      lateShipmentRate: 'LESS_THAN 0.04',
      lateShipmentRate10d: 'LESS_THAN 0.04',
      preFulfillmentCancellationRate: 'LESS_THAN 0.025',
      validTrackingRate: 'GREATER_THAN 0.95',
      onTimeDeliveryRate: 'GREATER_THAN 0.9',
      unitOnTimeDeliveryRate: 'GREATER_THAN 0.9',
      invoiceDefectRate: 'LESS_THAN 0.05',
    });
    for (const id of METRIC_IDS.slice(9)) expect(targets[id], id).toBe('EQUALS 0');
  });

  it('says which way is better and over how many days Amazon usually counts', () => {
    const higher = METRIC_LIST.filter((m) => m.direction === 'higher-is-better').map((m) => m.id);
    expect(higher).toEqual(['validTrackingRate', 'onTimeDeliveryRate', 'unitOnTimeDeliveryRate']);
    expect(METRIC_LIST.map((m) => m.windowDays).slice(0, 9)).toEqual([60, 60, 30, 10, 7, 30, 30, 14, 7]);
    expect(METRIC_IDS.slice(9).map((id) => METRICS[id].windowDays)).toEqual(Array(11).fill(180));
  });

  it("counts higher-is-better rates by their good ones and the others by their defects", () => {
    const expected = (kind: string, direction: string) =>
      kind === 'count' ? ['defects'] : direction === 'higher-is-better' ? ['good', 'total'] : ['defects', 'total'];
    for (const m of METRIC_LIST) expect(Object.keys(METRIC_SOURCES[m.id].counts).sort(), m.id).toEqual(expected(m.kind, m.direction));
  });
});

describe('metric catalog against the official schema', () => {
  it("reads every metric the schema's performanceMetrics entry defines", () => {
    const read = new Set(['marketplaceId', 'warningStates', 'accountHealthRating', ...METRIC_LIST.flatMap((m) => METRIC_SOURCES[m.id].keys)]);
    expect(Object.keys(entryProperties).filter((key) => !read.has(key))).toEqual([]);
  });

  it("names each metric's value and count fields as the schema does", () => {
    for (const m of METRIC_LIST) {
      if (m.id === 'customerProductReviewsPolicyViolations') continue; // seen in the wild, not in the schema
      // The 10-day late shipment window lives only in lateShipmentRateList[] (not in the schema),
      // whose entries are shaped like the lateShipmentRate object.
      const source = METRIC_SOURCES[m.id];
      const key = source.keys[0] ?? 'lateShipmentRate';
      const fields = schemaFieldsOf(key, source.part);
      const wanted = [source.value, ...Object.values(source.counts), ...source.subCounts];
      expect(wanted.filter((f) => !fields.includes(f)), m.id).toEqual([]);
    }
  });

  it('uses Seller Central\'s Chinese names with the abbreviations operators use, and a first step for every metric', () => {
    expect(METRICS.onTimeDeliveryRate.labelZh).toContain('准时交货率');
    expect(METRICS.onTimeDeliveryRate.labelZh).toContain('OTDR');
    expect(METRICS.lateShipmentRate.labelZh).toBe('迟发率 LSR（30 天）');
    expect(METRICS.lateShipmentRate10d.labelZh).toBe('迟发率 LSR（10 天）');
    expect(METRICS.validTrackingRate.labelZh).toBe('有效追踪率 VTR');
    expect(METRICS.odrAfn.labelZh).toContain('FBA');
    for (const m of METRIC_LIST) expect(METRIC_GUIDANCE[m.id].firstStepZh && METRIC_GUIDANCE[m.id].firstStepEn, m.id).toBeTruthy();
    expect(METRIC_GUIDANCE.lateShipmentRate.helpPath).toBe('/help/hub/reference/external/G200285190');
  });

  it('gives every policy count a category, the grave ones by name', () => {
    const categories = Object.fromEntries(METRIC_LIST.filter((m) => m.kind === 'count').map((m) => [m.id, m.policyCategory]));
    expect(categories).toMatchObject({
      receivedIntellectualPropertyComplaints: 'intellectualProperty',
      suspectedIntellectualPropertyViolations: 'intellectualProperty',
      productAuthenticityCustomerComplaints: 'authenticity',
      productSafetyCustomerComplaints: 'safety',
      foodAndProductSafetyIssues: 'safety',
      restrictedProductPolicyViolations: 'restricted',
      listingPolicyViolations: 'listing',
    });
    expect(Object.values(categories).every(Boolean)).toBe(true);
  });

  it('lists both spellings where the schema and its own example disagree', () => {
    expect(METRIC_SOURCES.preFulfillmentCancellationRate.keys).toEqual(['preFulfillmentCancellationRate', 'prefulfillmentCancelRate']);
    expect(METRIC_SOURCES.documentRequests.keys).toEqual(['documentRequests', 'documentRequest']);
  });
});
