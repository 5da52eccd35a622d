/**
 * SP-API calls over an injected `fetch`.
 *
 * One plain request: no retry, no token refresh; the relay owns backoff (queue `delaySeconds` and
 * the job state machine). Why not the `amazon-sp-api` package: docs/decisions/0001-own-sp-api-client.md.
 */
import { spApiEndpoint } from '../../shared/marketplaces.ts';
import type { Region } from '../../shared/types.ts';

export interface SpApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text (or null when empty). */
  body: unknown;
}

/**
 * One SP-API request with `x-amz-access-token` (no SigV4 since 2023-10-02).
 *
 * @example
 * const r = await spApiRequest('eu', token, 'GET', '/sellers/v1/marketplaceParticipations', null, fetch);
 */
export async function spApiRequest(
  region: Region,
  accessToken: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  fetcher: typeof fetch,
): Promise<SpApiResponse> {
  const headers: Record<string, string> = { 'x-amz-access-token': accessToken, accept: 'application/json', 'user-agent': 'Storewatch/0.1 (Language=TypeScript)' };
  if (body !== null && body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetcher(`${spApiEndpoint(region)}${path}`, { method, headers, body: body === null || body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text === '' ? null : text;
  if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Amazon's error list `{errors:[{code,message}]}` as one line, for messages and logs. */
export function describeSpApiErrors(body: unknown): string {
  const errors = (body as { errors?: Array<{ code?: unknown; message?: unknown }> } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return 'no error detail';
  return errors.map((e) => `${String(e.code ?? 'Error')}: ${String(e.message ?? '')}`).join('; ');
}
