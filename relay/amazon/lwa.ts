/**
 * Login with Amazon token calls (docs/domain/amazon-limits.md#login-with-amazon): one request each,
 * no retries - the caller decides what a failure means (refuse a pasted token, mark a store's
 * authorization lost, back off).
 */

export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export interface LwaClient {
  clientId: string;
  clientSecret: string;
}

export type LwaResult =
  | { ok: true; accessToken: string; expiresIn: number; refreshToken: string | null }
  /** Amazon answered with an OAuth error (`invalid_grant`, `invalid_client`, ...). */
  | { ok: false; kind: 'refused'; status: number; error: string; description: string }
  /** Amazon could not be reached or answered something unreadable: try again later. */
  | { ok: false; kind: 'unavailable'; status: number | null; description: string };

async function tokenCall(form: Record<string, string>, fetcher: typeof fetch): Promise<LwaResult> {
  let res: Response;
  try {
    res = await fetcher(LWA_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (error) {
    return { ok: false, kind: 'unavailable', status: null, description: error instanceof Error ? error.message : 'network error' };
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && body && typeof body.access_token === 'string') {
    return {
      ok: true,
      accessToken: body.access_token,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 3600,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    };
  }
  if (res.status >= 400 && res.status < 500 && body && typeof body.error === 'string') {
    return { ok: false, kind: 'refused', status: res.status, error: body.error, description: typeof body.error_description === 'string' ? body.error_description : '' };
  }
  return { ok: false, kind: 'unavailable', status: res.status, description: `Login with Amazon answered HTTP ${res.status}` };
}

/** Refresh token -> access token (valid an hour). */
export function exchangeRefreshToken(input: LwaClient & { refreshToken: string }, fetcher: typeof fetch): Promise<LwaResult> {
  return tokenCall({ grant_type: 'refresh_token', refresh_token: input.refreshToken, client_id: input.clientId, client_secret: input.clientSecret }, fetcher);
}

/** Website authorization: `spapi_oauth_code` (valid 5 minutes) -> refresh + access token. */
export function exchangeAuthorizationCode(input: LwaClient & { code: string; redirectUri: string }, fetcher: typeof fetch): Promise<LwaResult> {
  return tokenCall(
    { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, client_id: input.clientId, client_secret: input.clientSecret },
    fetcher,
  );
}

const EXPLANATIONS: Record<string, string> = {
  invalid_grant: 'the refresh token is wrong, revoked by the seller, expired, or belongs to another app - authorize the app again in Seller Central and paste the new token',
  invalid_client: "the relay's LWA client id or secret is wrong - the operator must fix LWA_CLIENT_ID / LWA_CLIENT_SECRET",
  unauthorized_client: 'this app may not use this grant - check the app registration in Seller Central',
  invalid_request: 'Amazon could not read the request - the token may be truncated',
};

/** A refusal in words a seller can act on, with Amazon's own code and description. */
export function explainLwaRefusal(error: string, description: string): string {
  const why = EXPLANATIONS[error] ?? 'Amazon refused the authorization';
  return `Login with Amazon refused it (${error}${description ? `: ${description}` : ''}): ${why}`;
}
