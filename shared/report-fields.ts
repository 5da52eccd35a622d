/**
 * Typed reads of one field of an untrusted JSON object, each naming the full path of what is
 * wrong (`performanceMetrics[2].orderDefectRate.mfn.rate is "abc", expected a number.`) so a
 * person can find it in the document. Absent and null read as "not there"; a present value of the
 * wrong type is a broken document.
 */

export type Json = Record<string, unknown>;

/** Thrown by the readers; the report parser turns it into `{ ok: false, error }`. */
export class BrokenDocument extends Error {}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe description of a value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function requireObject(value: unknown, path: string): Json {
  if (!isObject(value)) throw new BrokenDocument(`${path} must be an object, got ${describe(value)}.`);
  return value;
}

/** The first of several spellings that is present (not undefined), with the key it was found under. */
export function firstPresent(object: Json, keys: readonly string[]): { key: string; value: unknown } | null {
  for (const key of keys) if (object[key] !== undefined) return { key, value: object[key] };
  return null;
}

export function optionalArray(object: Json, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BrokenDocument(`${path} must be an array, got ${describe(value)}.`);
  return value;
}

export function requiredString(object: Json, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    throw new BrokenDocument(`${path}.${key} must be a non-empty string, got ${describe(value)}.`);
  }
  return value;
}

export function optionalString(object: Json, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new BrokenDocument(`${path}.${key} must be a string, got ${describe(value)}.`);
  return value;
}

export function optionalNumber(object: Json, key: string, path: string): number | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BrokenDocument(`${path}.${key} is ${describe(value)}, expected a number.`);
  }
  return value;
}

/** A count of orders, shipments or defects: a whole number, never negative. */
export function optionalCount(object: Json, key: string, path: string): number | null {
  const value = optionalNumber(object, key, path);
  if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
    throw new BrokenDocument(`${path}.${key} is ${value}, expected a whole number of at least 0.`);
  }
  return value;
}

/** A count given either as a number field (`lateShipmentCount`) or a `{count, status}` object (`claims`). */
export function countField(object: Json, key: string, path: string): number | null {
  const value = object[key];
  if (isObject(value)) return optionalCount(value, 'count', `${path}.${key}`);
  return optionalCount(object, key, path);
}
