/**
 * The late shipment windows of a Seller Performance report entry: Amazon judges late shipment over
 * 10 and 30 days, and real documents list both in `lateShipmentRateList[]` (docs/levels.md).
 */
import { type Json, isObject, optionalArray } from './report-fields.ts';

const DAY_MS = 86_400_000;

/**
 * Real documents carry `lateShipmentRateList[]`, one entry per window Amazon judges (10 and 30
 * days), beside `lateShipmentRate` (the 30-day one); public SP-API clients model it as a list of
 * the same object (e.g. a C# `List<LateShipmentRateMetric> LateShipmentRateList`). The entry whose
 * `reportingDateRange` spans `windowDays` is that window's metric. The 30-day metric prefers the
 * top-level object and, with neither, takes the list's first entry (`firstAsFallback`); the
 * 10-day one exists only when the list has a 10-day entry. The list itself stays in `extra`.
 */
export function pickFromLateShipmentList(entry: Json, windowDays: number, firstAsFallback: boolean, path: string): { value: unknown; path: string } | null {
  const list = optionalArray(entry, 'lateShipmentRateList', `${path}.lateShipmentRateList`);
  if (list.length === 0) return null;
  const index = list.findIndex((item) => isObject(item) && windowLengthDays(item.reportingDateRange) === windowDays);
  if (index < 0 && !firstAsFallback) return null;
  const chosen = index >= 0 ? index : 0;
  return { value: list[chosen], path: `${path}.lateShipmentRateList[${chosen}]` };
}

/** Whole days covered by a reporting range (`...T00:00Z` to `...T23:59Z` of the 30th day is 30). */
function windowLengthDays(range: unknown): number | null {
  if (!isObject(range)) return null;
  const { reportingDateFrom: from, reportingDateTo: to } = range;
  if (typeof from !== 'string' || typeof to !== 'string') return null;
  const span = Date.parse(to) - Date.parse(from);
  return Number.isFinite(span) ? Math.round(span / DAY_MS) : null;
}
