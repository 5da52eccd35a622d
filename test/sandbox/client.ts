/**
 * A few lines of client for tests that drive the sandbox through `handle()` (no socket): what the
 * relay does on the wire - form-encoded LWA, `x-amz-access-token`, `X-Forwarded-Host` per region.
 */
import type { Sandbox } from './amazon.ts';
import type { Region } from './marketplaces.ts';

export const BASE = 'http://sandbox.test';

export function lwaForm(fields: Record<string, string>): Request {
  return new Request(`${BASE}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function accessToken(sandbox: Sandbox, refreshToken: string): Promise<string> {
  const res = await sandbox.handle(lwaForm({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'id', client_secret: 'secret' }));
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export function spRequest(token: string, method: string, path: string, options: { region?: Region; body?: unknown } = {}): Request {
  return new Request(`${BASE}${path}`, {
    method,
    headers: {
      'x-amz-access-token': token,
      'x-forwarded-host': `sellingpartnerapi-${options.region ?? 'na'}.amazon.com`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}

/** An absolute document URL (https://tortuga-prod-...) as the relay would fetch it through the sandbox. */
export function viaSandbox(url: string): Request {
  const u = new URL(url);
  return new Request(`${BASE}${u.pathname}${u.search}`, { headers: { 'x-forwarded-host': u.host } });
}

export function control(method: string, path: string, body?: unknown): Request {
  return new Request(`${BASE}/_sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * A request to a real upstream URL (https://qyapi.weixin.qq.com/..., https://1234.push.ft07.com/...)
 * rerouted to the sandbox the way the relay's host map does it: path and query kept, the original
 * host in `X-Forwarded-Host`.
 */
export function forwarded(upstreamUrl: string, init: { method?: string; json?: unknown; form?: Record<string, string>; body?: string } = {}): Request {
  const u = new URL(upstreamUrl);
  const headers: Record<string, string> = { 'x-forwarded-host': u.host };
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  return new Request(`${BASE}${u.pathname}${u.search}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}
