/**
 * The outbound host map of local runs: which upstream (Amazon, WeChat, push services) answers the
 * relay's outbound requests. By default every host the relay talks to goes to the sandbox; the
 * `UPSTREAM_OVERRIDES` environment variable (JSON: exact host or `*.suffix` -> base URL) replaces
 * entries, so the relay can be pointed at any other simulator on loopback. The relay's code is the
 * same as in production; only the network under it changes.
 */

/** Every host the relay calls (docs/domain/amazon-limits.md and docs/domain/wechat.md). */
export const UPSTREAM_HOSTS: readonly string[] = [
  'api.amazon.com',
  '*.amazon.com',
  '*.amazonaws.com',
  'qyapi.weixin.qq.com',
  'api.weixin.qq.com',
  'mp.weixin.qq.com',
  'sctapi.ftqq.com',
  '*.push.ft07.com',
  'www.pushplus.plus',
];

/** Pattern (exact host or `*.suffix`) -> base URL. */
export type HostMap = ReadonlyMap<string, URL>;

function checkedBase(pattern: string, base: unknown): URL {
  if (typeof base !== 'string') throw new Error(`UPSTREAM_OVERRIDES: the value for "${pattern}" must be a URL string`);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`UPSTREAM_OVERRIDES: "${base}" (for "${pattern}") is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`UPSTREAM_OVERRIDES: "${base}" (for "${pattern}") must be http or https`);
  }
  return url;
}

function checkedPattern(pattern: string): string {
  if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(pattern)) {
    throw new Error(`UPSTREAM_OVERRIDES: "${pattern}" is not a host name or *.suffix pattern`);
  }
  return pattern.toLowerCase();
}

/**
 * Builds the host map: every known upstream to `defaultBase`, then the overrides on top.
 *
 * @example
 * buildHostMap('http://127.0.0.1:8790', '{"api.amazon.com":"http://127.0.0.1:9001"}')
 */
export function buildHostMap(defaultBase: string, overridesJson?: string): HostMap {
  const map = new Map<string, URL>();
  for (const host of UPSTREAM_HOSTS) map.set(host, checkedBase(host, defaultBase));
  if (overridesJson && overridesJson.trim() !== '') {
    let overrides: unknown;
    try {
      overrides = JSON.parse(overridesJson);
    } catch (error) {
      throw new Error(`UPSTREAM_OVERRIDES is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
      throw new Error('UPSTREAM_OVERRIDES must be a JSON object of host -> base URL');
    }
    for (const [pattern, base] of Object.entries(overrides)) map.set(checkedPattern(pattern), checkedBase(pattern, base));
  }
  return map;
}

/** The base URL for a host: an exact entry first, then the longest matching `*.suffix`. */
export function upstreamFor(map: HostMap, host: string): URL | null {
  const h = host.toLowerCase();
  const exact = map.get(h);
  if (exact) return exact;
  let best: { length: number; base: URL } | null = null;
  for (const [pattern, base] of map) {
    if (!pattern.startsWith('*.')) continue;
    const suffix = pattern.slice(1); // ".amazon.com"
    if (h.endsWith(suffix) && (!best || suffix.length > best.length)) best = { length: suffix.length, base };
  }
  return best?.base ?? null;
}

/**
 * Where one outbound request goes: the base URL's origin and path prefix, then the original path
 * and query. The original host travels in `X-Forwarded-Host`, so one simulator can serve many hosts.
 */
export function rerouteUrl(map: HostMap, original: URL): URL | null {
  const base = upstreamFor(map, original.hostname);
  if (!base) return null;
  const prefix = base.pathname.replace(/\/$/, '');
  return new URL(`${base.origin}${prefix}${original.pathname}${original.search}`);
}

/** The host map as JSON pattern -> base URL, the form the relay reads from `UPSTREAM_HOST_MAP`. */
export function hostMapToJson(map: HostMap): string {
  return JSON.stringify(Object.fromEntries([...map].map(([pattern, base]) => [pattern, base.href])));
}

/** Reads `UPSTREAM_HOST_MAP` (written by hostMapToJson); patterns are taken as they are. */
export function hostMapFromJson(json: string): HostMap {
  const raw = JSON.parse(json) as Record<string, string>;
  return new Map(Object.entries(raw).map(([pattern, base]) => [pattern, new URL(base)]));
}

/**
 * Whether links Amazon hands out (report documents) may point at 127.0.0.1: only in local runs,
 * where the host map or `npm start`'s outbound service routes the relay to stand-ins.
 */
export function allowsLoopbackUpstreams(env: { UPSTREAM_HOST_MAP?: string; ALLOW_LOOPBACK_UPSTREAMS?: string }): boolean {
  return Boolean(env.UPSTREAM_HOST_MAP) || env.ALLOW_LOOPBACK_UPSTREAMS === '1';
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The relay's outbound `fetch`. In production (no `UPSTREAM_HOST_MAP`) it is the platform's fetch,
 * untouched. In local runs and tests the map sends each request to its simulator, with the
 * original host in `X-Forwarded-Host`; loopback URLs go as they are, and any other host outside
 * the map is refused, so nothing local ever reaches the internet by accident.
 */
export function upstreamFetch(hostMapJson: string | undefined, baseFetch: typeof fetch): typeof fetch {
  if (!hostMapJson) return baseFetch;
  const map = hostMapFromJson(hostMapJson);
  return async (input, init) => {
    const request = new Request(input, init);
    const original = new URL(request.url);
    const target = rerouteUrl(map, original);
    // A simulator may hand out URLs on loopback (a stand-in's report document link): those are
    // already local, so they go as they are; anything else outside the map is refused.
    if (!target && isLoopback(original.hostname)) return baseFetch(request);
    if (!target) {
      return new Response(`No upstream for ${original.host} in UPSTREAM_HOST_MAP`, { status: 502 });
    }
    const headers = new Headers(request.headers);
    headers.set('X-Forwarded-Host', original.host);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return baseFetch(new Request(target, { method: request.method, headers, body, redirect: 'manual' }));
  };
}
