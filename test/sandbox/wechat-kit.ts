/**
 * What the simulated WeChat-side endpoints share: reading a body the way these services do (JSON,
 * form or query), UTF-8 byte counts, and quota counters on the injected clock. Web APIs only:
 * the WeChat side also runs inside workerd (the relay's tests).
 */

/**
 * WeChat and WeCom answer HTTP 200 whatever happened; the verdict is in the body
 * (docs/domain/wechat.md).
 */
export function answer(body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export interface ReadBody {
  text: string;
  /** Parsed JSON, or undefined when the text is not JSON. */
  json: unknown;
  /** Form fields (urlencoded body) merged over the query string. */
  fields: URLSearchParams;
}

export async function readBody(req: Request, url: URL): Promise<ReadBody> {
  const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const fields = new URLSearchParams(url.search);
  if (json === undefined && text !== '' && (req.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    new URLSearchParams(text).forEach((v, k) => fields.set(k, v));
  }
  return { text, json, fields };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const encoder = new TextEncoder();

export function utf8Bytes(s: string): number {
  return encoder.encode(s).length;
}

/** The fields a service read: the JSON object, or else form fields over the query string. */
export function requestFields(body: ReadBody): Record<string, unknown> {
  if (isObject(body.json)) return body.json;
  const fields: Record<string, string> = {};
  body.fields.forEach((v, k) => (fields[k] = v));
  return fields;
}

/** The control API's answers (JSON, real HTTP statuses: it is the sandbox's own API, not WeChat's). */
export function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export async function readJsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

const DAY_MS = 86_400_000;
/** China has one time zone and no DST: the push services' daily quotas reset at midnight UTC+8. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function chinaDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** At most `limit` per key per China calendar day. */
export interface DailyQuota {
  /** Counts one use; false (and nothing counted) when the day's quota is spent. */
  take(key: string, now: number): boolean;
  used(key: string, now: number): number;
  reset(): void;
}

export function createDailyQuota(limit: number): DailyQuota {
  const counts = new Map<string, { day: number; n: number }>();
  const current = (key: string, now: number) => {
    const c = counts.get(key);
    return c && c.day === chinaDay(now) ? c.n : 0;
  };
  return {
    take(key, now) {
      const n = current(key, now);
      if (n >= limit) return false;
      counts.set(key, { day: chinaDay(now), n: n + 1 });
      return true;
    },
    used: current,
    reset: () => counts.clear(),
  };
}

/** At most `limit` per key in any `windowMs`. */
export interface SlidingWindow {
  take(key: string, now: number): boolean;
  reset(): void;
}

export function createSlidingWindow(limit: number, windowMs: number): SlidingWindow {
  const times = new Map<string, number[]>();
  return {
    take(key, now) {
      const recent = (times.get(key) ?? []).filter((t) => now - t < windowMs);
      if (recent.length >= limit) {
        times.set(key, recent);
        return false;
      }
      recent.push(now);
      times.set(key, recent);
      return true;
    },
    reset: () => times.clear(),
  };
}
