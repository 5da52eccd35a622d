/**
 * "Connect with Amazon" (website authorization, docs/domain/amazon-limits.md): an owner's
 * `POST /v1/oauth/start` gives the address of the relay's own start page, which ties the consent to
 * the browser that opens it (a cookie) and sends it on to Amazon's consent page. Amazon sends that
 * browser back to `GET /v1/oauth/callback`, which checks the cookie and asks the person to confirm
 * which workspace the store joins; only the confirmation (`POST /v1/oauth/callback`, a form with a
 * token derived from the cookie) uses the state and stores anything.
 */
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import { CONSENT_HOSTS } from '../../shared/marketplaces.ts';
import { OAuthCallbackQuery, OAuthConfirmForm, OAuthStartRequest, type OAuthStartResponse } from '../../shared/api/stores.ts';
import type { Region } from '../../shared/types.ts';
import { exchangeAuthorizationCode, explainLwaRefusal } from '../amazon/lwa.ts';
import { hashSecret } from '../auth/tokens.ts';
import { randomToken, sha256Hex } from '../crypto/encoding.ts';
import { keyringFromEnv } from '../crypto/secrets.ts';
import { isActiveMember } from '../db/members.ts';
import { type OAuthState, claimOAuthBrowser, consumeOAuthState, holdConsent, insertOAuthState, peekOAuthState } from '../db/oauth-states.ts';
import { getStore } from '../db/stores.ts';
import { connectStore } from '../stores/connect-store.ts';
import { requireMember, requireOwner } from './guards.ts';
import { type RelayEnv, apiError, readJson, readQuery } from './kit.ts';
import { oauthConfirmPage, oauthResultPage } from './oauth-page.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** The cookie that ties a consent to its browser: HttpOnly, only sent to the OAuth paths. */
export const OAUTH_COOKIE = 'sw_oauth';

/** What a held authorization code is sealed to: its own state. */
const oauthCodeBinding = (stateHash: string) => `oauth-code/${stateHash}`;

/** The confirmation form's token: only a page that can read the cookie's secret can make it. */
function formToken(browserSecret: string): Promise<string> {
  return sha256Hex(`storewatch/oauth-form/${browserSecret}`);
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function consentUrl(appId: string, region: Region, state: string, beta: boolean): string {
  const url = new URL(`https://${CONSENT_HOSTS[region]}/apps/authorize/consent`);
  url.searchParams.set('application_id', appId);
  url.searchParams.set('state', state);
  // Apps still in draft must say version=beta or Amazon shows an error page.
  if (beta) url.searchParams.set('version', 'beta');
  return url.href;
}

/**
 * The pages run no script and cannot be framed: the confirmation button cannot be overlaid by
 * another site (clickjacking), and its form posts only back to the relay.
 */
function guardPage(c: Context<RelayEnv>): void {
  c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  c.header('x-frame-options', 'DENY');
  c.header('cache-control', 'no-store');
}

type Page = (status: 200 | 400 | 403 | 409 | 502 | 503, ok: boolean, zh: string, en: string) => Response;

const EXPIRED = ['此授权链接已过期或已被使用，请在店铺哨兵中重新点击“连接亚马逊”。', 'This authorization link has expired or was already used. Click "Connect with Amazon" in Storewatch again.'] as const;
const OTHER_BROWSER = [
  '此授权是在另一个浏览器中发起的。请在发起连接的浏览器中完成，或在店铺哨兵中重新点击“连接亚马逊”。',
  'This authorization was started in another browser. Finish it in the browser that started it, or click "Connect with Amazon" in Storewatch again.',
] as const;

export function oauthRoutes() {
  const app = new Hono<RelayEnv>();

  /** A fresh single-use state bound to the caller (and the store being re-authorized). */
  async function newState(c: Context<RelayEnv>, region: Region, storeId: string | undefined): Promise<{ state: string; expiresAt: number } | Response> {
    if (!c.env.SPAPI_APP_ID || !c.env.OAUTH_REDIRECT_URL) return apiError(c, 503, 'not_configured', 'SPAPI_APP_ID / OAUTH_REDIRECT_URL are not set on this deployment');
    const caller = c.var.caller;
    if (storeId) {
      const store = await getStore(c.env.DB, caller.workspaceId, storeId);
      if (!store) return apiError(c, 404, 'not_found', 'no such store');
      if (store.region !== region) return apiError(c, 400, 'invalid', `region: store "${store.name}" is in region ${store.region}`);
    }
    const now = c.var.deps.now();
    const state = randomToken(32);
    const expiresAt = now + OAUTH_STATE_TTL_MS;
    await insertOAuthState(c.env.DB, { stateHash: await hashSecret(state), workspaceId: caller.workspaceId, memberId: caller.memberId, region, expiresAt, storeId: storeId ?? null }, now);
    return { state, expiresAt };
  }

  /** Claims the state for this browser (a cookie) and sends it on to Amazon's consent page. */
  async function toAmazon(c: Context<RelayEnv>, state: string, page: Page): Promise<Response> {
    const secret = randomToken(32);
    const region = await claimOAuthBrowser(c.env.DB, await hashSecret(state), await hashSecret(secret), c.var.deps.now());
    if (!region || !c.env.SPAPI_APP_ID) return page(400, false, ...EXPIRED);
    // Secure wherever the relay is https; a local run on http://127.0.0.1 would lose a Secure cookie.
    const secure = new URL(c.req.url).protocol === 'https:';
    setCookie(c, OAUTH_COOKIE, secret, { path: '/v1/oauth', httpOnly: true, secure, sameSite: 'Lax', maxAge: OAUTH_STATE_TTL_MS / 1000 });
    return c.redirect(consentUrl(c.env.SPAPI_APP_ID, region, state, c.env.SPAPI_OAUTH_BETA === '1'), 302);
  }

  const pageOf =
    (c: Context<RelayEnv>): Page =>
    (status, ok, zh, en) => {
      guardPage(c);
      return c.html(oauthResultPage(ok, zh, en), status);
    };

  /** The live state, if this browser is the one that started it. */
  async function ownState(c: Context<RelayEnv>, state: string): Promise<{ found: OAuthState; secret: string } | 'expired' | 'other-browser'> {
    const found = await peekOAuthState(c.env.DB, await hashSecret(state), c.var.deps.now());
    if (!found) return 'expired';
    const secret = getCookie(c, OAUTH_COOKIE) ?? '';
    if (!found.browserHash || !secret || !sameText(await hashSecret(secret), found.browserHash)) return 'other-browser';
    return { found, secret };
  }

  // The extension's way: it cannot send a bearer header with a browser navigation, so it asks for
  // the start page's address and opens it in a tab.
  app.post('/oauth/start', requireMember, requireOwner, async (c) => {
    const body = await readJson(c, OAuthStartRequest);
    if (!body.ok) return body.response;
    const made = await newState(c, body.value.region, body.value.storeId);
    if (made instanceof Response) return made;
    const url = new URL('/v1/oauth/begin', c.req.url);
    url.searchParams.set('state', made.state);
    return c.json({ url: url.href, expiresAt: made.expiresAt } satisfies OAuthStartResponse);
  });

  // The form, for clients that can send the header on a navigation (scripts, curl -L):
  // this response itself sets the browser's cookie.
  app.get('/oauth/start', requireMember, requireOwner, async (c) => {
    const query = readQuery(c, OAuthStartRequest);
    if (!query.ok) return query.response;
    const made = await newState(c, query.value.region, query.value.storeId);
    return made instanceof Response ? made : toAmazon(c, made.state, pageOf(c));
  });

  /** The relay's start page (no auth: the state is the capability, usable by one browser only). */
  app.get('/oauth/begin', async (c) => {
    const state = c.req.query('state');
    if (!state || state.length > 200) return pageOf(c)(400, false, ...EXPIRED);
    return toAmazon(c, state, pageOf(c));
  });

  app.get('/oauth/callback', async (c) => {
    const page = pageOf(c);
    const query = v.safeParse(OAuthCallbackQuery, c.req.query());
    if (!query.success) return page(400, false, '回调缺少参数，请从店铺哨兵重新开始连接。', 'The link from Amazon is incomplete. Start "Connect with Amazon" again from Storewatch.');
    const own = await ownState(c, query.output.state);
    if (own === 'expired') return page(400, false, ...EXPIRED);
    if (own === 'other-browser') return page(403, false, ...OTHER_BROWSER);
    const store = own.found.storeId ? await getStore(c.env.DB, own.found.workspaceId, own.found.storeId) : null;
    // The code stays on the relay (sealed to its state), never in the page.
    const stateHash = await hashSecret(query.output.state);
    const sealedCode = await c.var.deps.secrets.seal(query.output.spapi_oauth_code, oauthCodeBinding(stateHash));
    await holdConsent(c.env.DB, stateHash, sealedCode, query.output.selling_partner_id, c.var.deps.now());
    guardPage(c);
    return c.html(
      oauthConfirmPage({
        workspaceName: own.found.workspaceName,
        sellerId: query.output.selling_partner_id,
        region: own.found.region,
        storeName: store?.name ?? null,
        fields: { state: query.output.state, csrf: await formToken(own.secret) },
      }),
      200,
    );
  });

  app.post('/oauth/callback', async (c) => {
    const page = pageOf(c);
    // A form from another site: refused before anything is read (the cookie would be missing too).
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) return page(403, false, ...OTHER_BROWSER);
    let form: Record<string, unknown>;
    try {
      form = (await c.req.parseBody()) as Record<string, unknown>;
    } catch {
      form = {};
    }
    const state = typeof form.state === 'string' && form.state.length <= 200 ? form.state : '';
    if (!state) return page(400, false, '确认表单不完整，请从店铺哨兵重新开始连接。', 'The confirmation form is incomplete. Start "Connect with Amazon" again from Storewatch.');
    const own = await ownState(c, state);
    if (own === 'expired') return page(400, false, ...EXPIRED);
    const fields = v.safeParse(OAuthConfirmForm, form);
    if (own === 'other-browser' || !fields.success || !sameText(await formToken(own.secret), fields.output.csrf)) return page(403, false, ...OTHER_BROWSER);
    const now = c.var.deps.now();
    const stateHash = await hashSecret(state);
    const bound = await consumeOAuthState(c.env.DB, stateHash, now);
    if (!bound || !(await isActiveMember(c.env.DB, bound.workspaceId, bound.memberId))) return page(400, false, ...EXPIRED);
    const sellerId = bound.pendingSeller;
    const code = bound.pendingCode ? await c.var.deps.secrets.open(bound.pendingCode, oauthCodeBinding(stateHash)).catch(() => null) : null;
    if (!sellerId || !code) return page(400, false, ...EXPIRED);
    if (!c.env.LWA_CLIENT_ID || !c.env.LWA_CLIENT_SECRET || !c.env.OAUTH_REDIRECT_URL) {
      return page(503, false, '服务未配置亚马逊应用凭据，请联系管理员。', "The relay is missing its Amazon app credentials; ask the operator.");
    }
    const target = bound.storeId ? await getStore(c.env.DB, bound.workspaceId, bound.storeId) : null;
    if (bound.storeId && !target) return page(400, false, '要重新授权的店铺已被删除。', 'The store being reconnected was removed.');
    const fetcher = c.var.deps.fetch;
    const lwa = { clientId: c.env.LWA_CLIENT_ID, clientSecret: c.env.LWA_CLIENT_SECRET };
    const exchanged = await exchangeAuthorizationCode({ ...lwa, code, redirectUri: c.env.OAUTH_REDIRECT_URL }, fetcher);
    if (!exchanged.ok || !exchanged.refreshToken) {
      const why = exchanged.ok ? 'Amazon returned no refresh token' : exchanged.kind === 'refused' ? explainLwaRefusal(exchanged.error, exchanged.description) : exchanged.description;
      return page(exchanged.ok || exchanged.kind === 'refused' ? 400 : 502, false, `亚马逊未完成授权：${why}`, `Amazon did not complete the authorization: ${why}`);
    }
    const result = await connectStore(
      {
        workspaceId: bound.workspaceId,
        fallbackName: `Amazon ${bound.region.toUpperCase()} ${sellerId}`,
        region: bound.region,
        sellerId,
        refreshToken: exchanged.refreshToken,
        accessToken: exchanged.accessToken,
        consent: { reauthorizing: target ? { id: target.id, name: target.name, sellerId: target.seller_id } : null },
      },
      { db: c.env.DB, keyring: await keyringFromEnv(c.env), lwa, fetch: fetcher, now, newId: c.var.deps.newId },
    );
    if (!result.ok) return page(result.status === 502 ? 502 : result.status === 409 ? 409 : 400, false, `未能添加店铺：${result.message}`, `The store was not added: ${result.message}`);
    const countries = result.store.marketplaces.map((m) => m.countryCode).join(', ');
    return result.reauthorized
      ? page(200, true, `店铺“${result.store.name}”已重新授权（${countries}）。`, `Store "${result.store.name}" is authorized again (${countries}).`)
      : page(200, true, `店铺“${result.store.name}”已连接到工作区“${bound.workspaceName}”（${countries}）。`, `Store "${result.store.name}" is connected to workspace "${bound.workspaceName}" (${countries}).`);
  });

  return app;
}
