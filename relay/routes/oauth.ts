/**
 * "Connect with Amazon" (website authorization, DOMAIN.md section 3): `POST /v1/oauth/start` gives
 * the consent URL with a fresh state; Amazon sends the seller's browser to `GET /v1/oauth/callback`.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { CONSENT_HOSTS } from '../../shared/marketplaces.ts';
import { OAuthCallbackQuery, OAuthStartRequest, type OAuthStartResponse } from '../../shared/api/stores.ts';
import type { Region } from '../../shared/types.ts';
import { exchangeAuthorizationCode, explainLwaRefusal } from '../amazon/lwa.ts';
import { requireMember, requireOwner } from './guards.ts';
import { hashSecret } from '../auth/tokens.ts';
import { randomToken } from '../crypto/encoding.ts';
import { keyringFromEnv } from '../crypto/secrets.ts';
import { isActiveMember } from '../db/members.ts';
import { consumeOAuthState, insertOAuthState } from '../db/oauth-states.ts';
import { connectStore } from '../stores/connect-store.ts';
import { type RelayEnv, apiError, readJson, readQuery } from './kit.ts';
import { oauthResultPage } from './oauth-page.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export function oauthRoutes() {
  const app = new Hono<RelayEnv>();

  /** A fresh single-use state bound to the caller, and the consent URL that carries it. */
  async function consentUrl(c: Context<RelayEnv>, region: Region): Promise<OAuthStartResponse | Response> {
    if (!c.env.SPAPI_APP_ID || !c.env.OAUTH_REDIRECT_URL) return apiError(c, 503, 'not_configured', 'SPAPI_APP_ID / OAUTH_REDIRECT_URL are not set on this deployment');
    const now = c.var.deps.now();
    const state = randomToken(32);
    const expiresAt = now + OAUTH_STATE_TTL_MS;
    const caller = c.var.caller;
    await insertOAuthState(c.env.DB, { stateHash: await hashSecret(state), workspaceId: caller.workspaceId, memberId: caller.memberId, region, expiresAt }, now);
    const url = new URL(`https://${CONSENT_HOSTS[region]}/apps/authorize/consent`);
    url.searchParams.set('application_id', c.env.SPAPI_APP_ID);
    url.searchParams.set('state', state);
    // Apps still in draft must say version=beta or Amazon shows an error page.
    if (c.env.SPAPI_OAUTH_BETA === '1') url.searchParams.set('version', 'beta');
    return { url: url.href, expiresAt };
  }

  // The extension's way: it cannot send a bearer header with a browser navigation, so it asks for
  // the URL and opens it in a tab.
  app.post('/oauth/start', requireMember, requireOwner, async (c) => {
    const body = await readJson(c, OAuthStartRequest);
    if (!body.ok) return body.response;
    const out = await consentUrl(c, body.value.region);
    return out instanceof Response ? out : c.json(out);
  });

  // The form, for clients that can send the header on a navigation (scripts, curl -L).
  app.get('/oauth/start', requireMember, requireOwner, async (c) => {
    const query = readQuery(c, OAuthStartRequest);
    if (!query.ok) return query.response;
    const out = await consentUrl(c, query.value.region);
    return out instanceof Response ? out : c.redirect(out.url, 302);
  });

  app.get('/oauth/callback', async (c) => {
    const page = (status: 200 | 400 | 502 | 503, ok: boolean, zh: string, en: string) => c.html(oauthResultPage(ok, zh, en), status);
    const query = v.safeParse(OAuthCallbackQuery, c.req.query());
    if (!query.success) return page(400, false, '回调缺少参数，请从店铺哨兵重新开始连接。', 'The link from Amazon is incomplete. Start "Connect with Amazon" again from Storewatch.');
    const now = c.var.deps.now();
    const bound = await consumeOAuthState(c.env.DB, await hashSecret(query.output.state), now);
    if (!bound || !(await isActiveMember(c.env.DB, bound.workspaceId, bound.memberId))) {
      return page(400, false, '此授权链接已过期或已被使用，请在店铺哨兵中重新点击“连接亚马逊”。', 'This authorization link has expired or was already used. Click "Connect with Amazon" in Storewatch again.');
    }
    if (!c.env.LWA_CLIENT_ID || !c.env.LWA_CLIENT_SECRET || !c.env.OAUTH_REDIRECT_URL) {
      return page(503, false, '服务未配置亚马逊应用凭据，请联系管理员。', "The relay is missing its Amazon app credentials; ask the operator.");
    }
    const fetcher = c.var.deps.fetch;
    const lwa = { clientId: c.env.LWA_CLIENT_ID, clientSecret: c.env.LWA_CLIENT_SECRET };
    const exchanged = await exchangeAuthorizationCode({ ...lwa, code: query.output.spapi_oauth_code, redirectUri: c.env.OAUTH_REDIRECT_URL }, fetcher);
    if (!exchanged.ok || !exchanged.refreshToken) {
      const why = exchanged.ok ? 'Amazon returned no refresh token' : exchanged.kind === 'refused' ? explainLwaRefusal(exchanged.error, exchanged.description) : exchanged.description;
      return page(exchanged.ok || exchanged.kind === 'refused' ? 400 : 502, false, `亚马逊未完成授权：${why}`, `Amazon did not complete the authorization: ${why}`);
    }
    const sellerId = query.output.selling_partner_id;
    const result = await connectStore(
      { workspaceId: bound.workspaceId, name: `Amazon ${bound.region.toUpperCase()} ${sellerId}`, region: bound.region, sellerId, refreshToken: exchanged.refreshToken, accessToken: exchanged.accessToken },
      { db: c.env.DB, keyring: await keyringFromEnv(c.env), lwa, fetch: fetcher, now, newId: c.var.deps.newId },
    );
    if (!result.ok) return page(result.status === 502 ? 502 : 400, false, `未能添加店铺：${result.message}`, `The store was not added: ${result.message}`);
    const countries = result.store.marketplaces.map((m) => m.countryCode).join(', ');
    return result.reauthorized
      ? page(200, true, `店铺“${result.store.name}”已重新授权（${countries}）。`, `Store "${result.store.name}" is authorized again (${countries}).`)
      : page(200, true, `店铺“${result.store.name}”已连接（${countries}）。`, `Store "${result.store.name}" is connected (${countries}).`);
  });

  return app;
}
