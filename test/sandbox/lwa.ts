/**
 * Login with Amazon (docs/domain/amazon-limits.md#login-with-amazon): the token endpoint, the
 * website-authorization consent page, and access-token checks for SP-API calls.
 */
import { randomBytes } from 'node:crypto';
import { html, json } from './http.ts';
import { sellerByRefreshToken } from './state.ts';
import type { SandboxState, Seller } from './state.ts';

const ACCESS_TOKEN_TTL_S = 3600;
/** "The code lives 5 minutes" (docs/domain/amazon-limits.md#login-with-amazon). */
export const AUTH_CODE_TTL_MS = 5 * 60_000;

function lwaError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

function issueAccessToken(state: SandboxState, seller: Seller): string {
  const token = `Atza|sandbox-${randomBytes(24).toString('hex')}`;
  state.accessTokens.set(token, { sellerId: seller.sellerId, expiresAt: state.now() + ACCESS_TOKEN_TTL_S * 1000 });
  return token;
}

/** POST /auth/o2/token */
export async function handleToken(state: SandboxState, req: Request): Promise<Response> {
  const form = new URLSearchParams(await req.text());
  const grant = form.get('grant_type');
  if (!grant) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
  if (grant !== 'refresh_token' && grant !== 'authorization_code') {
    return lwaError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
  }
  if (!form.get('client_id') || !form.get('client_secret')) {
    return lwaError(401, 'invalid_client', 'Client authentication failed');
  }
  if (grant === 'refresh_token') {
    const refresh = form.get('refresh_token');
    if (!refresh) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
    const seller = sellerByRefreshToken(state, refresh);
    if (!seller || state.faults.has(seller.sellerId, 'revoke')) {
      return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
    }
    return json(200, { access_token: issueAccessToken(state, seller), token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S });
  }
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code || !redirectUri) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : code or redirect_uri');
  const entry = state.authCodes.get(code);
  if (!entry || entry.used || state.now() >= entry.expiresAt || entry.redirectUri !== redirectUri) {
    // A code is single use: a replay also burns nothing new, it just fails.
    return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : code');
  }
  entry.used = true;
  const seller = state.sellers.get(entry.sellerId);
  if (!seller) return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : code');
  // Consenting again re-authorizes a seller that had revoked the app.
  state.faults.clear(seller.sellerId, 'revoke');
  return json(200, {
    access_token: issueAccessToken(state, seller),
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    refresh_token: seller.refreshToken,
  });
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** GET /apps/authorize/consent - one Authorize link per seller (server-rendered, values escaped). */
export function handleConsent(state: SandboxState, url: URL): Response {
  const redirectUri = url.searchParams.get('redirect_uri') ?? state.defaultRedirectUri;
  const appId = url.searchParams.get('application_id') ?? '';
  const st = url.searchParams.get('state') ?? '';
  if (!redirectUri) return html('<p>redirect_uri missing / 缺少 redirect_uri</p>', 400);
  const items = [...state.sellers.values()]
    .map((s) => {
      const q = new URLSearchParams({ seller_id: s.sellerId, state: st, redirect_uri: redirectUri });
      return `<li><a href="/apps/authorize/confirm?${esc(q.toString())}">授权 Authorize ${esc(s.storeName)} (${esc(s.sellerId)}, ${s.region})</a></li>`;
    })
    .join('');
  return html(`<!doctype html><meta charset="utf-8"><title>Sandbox consent 授权</title>
<h1>Sandbox Amazon: authorize ${esc(appId)} / 授权应用</h1><ul>${items}</ul>`);
}

/** GET /apps/authorize/confirm - what the Authorize link does: redirect back with a fresh code. */
export function handleConfirm(state: SandboxState, url: URL): Response {
  const seller = state.sellers.get(url.searchParams.get('seller_id') ?? '');
  const redirectUri = url.searchParams.get('redirect_uri') ?? state.defaultRedirectUri;
  if (!seller || !redirectUri) return html('<p>unknown seller or redirect_uri / 未知卖家</p>', 400);
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return html('<p>bad redirect_uri</p>', 400);
  }
  const code = `ANsandbox${randomBytes(16).toString('hex')}`;
  state.authCodes.set(code, { sellerId: seller.sellerId, redirectUri, expiresAt: state.now() + AUTH_CODE_TTL_MS, used: false });
  target.searchParams.set('state', url.searchParams.get('state') ?? '');
  target.searchParams.set('selling_partner_id', seller.sellerId);
  target.searchParams.set('spapi_oauth_code', code);
  return new Response(null, { status: 302, headers: { location: target.toString() } });
}

/** The seller behind a live `x-amz-access-token`, or undefined. */
export function authenticate(state: SandboxState, req: Request): Seller | undefined {
  const token = req.headers.get('x-amz-access-token');
  const entry = token ? state.accessTokens.get(token) : undefined;
  if (!entry || state.now() >= entry.expiresAt) return undefined;
  return state.sellers.get(entry.sellerId);
}
