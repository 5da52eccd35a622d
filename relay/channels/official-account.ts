/**
 * The WeChat Official Account API: the stable access token (cached centrally in D1), template
 * messages and parametric QR codes (docs/domain/wechat.md). The base URL is configurable because
 * the API only answers allow-listed IPs and Workers have none: production goes through a
 * fixed-IP forwarder (wrangler.toml, WECHAT_API_BASE).
 */
import { type ChannelAnswer, type ChannelVerdict, oaVerdict } from '../../shared/alerts/channel-verdicts.ts';
import type { OaTemplateBody } from '../../shared/messages/official-account.ts';
import type { AlertDeps } from '../platform-deps.ts';
import type { Env } from '../env.ts';
import { postJson } from './http.ts';

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';
/** Refetch a little before WeChat's own expiry, so a token never dies mid-batch. */
const EARLY_MS = 5 * 60_000;

export function wechatApiBase(env: Pick<Env, 'WECHAT_API_BASE'>): string {
  return (env.WECHAT_API_BASE || DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '');
}

function notConfigured(): ChannelVerdict {
  return { outcome: 'broken', code: 'not_configured', reason: 'Official Account not configured (WECHAT_APP_ID / WECHAT_APP_SECRET)', unfollowed: false };
}

const oaTokenBinding = (appId: string) => `oa-token/${appId}`;

type TokenResult = { token: string } | { verdict: ChannelVerdict };

/**
 * The cached token, or a fresh one from `stable_token` when there is none, it is about to expire,
 * or it is the one WeChat just rejected (`rejected`). `force_refresh` is used only when WeChat
 * hands back that same rejected token, because forcing invalidates the token for everyone else.
 */
export async function accessToken(env: Env, deps: AlertDeps, now: number, rejected?: string): Promise<TokenResult> {
  const appId = env.WECHAT_APP_ID;
  const secret = env.WECHAT_APP_SECRET;
  if (!appId || !secret) return { verdict: notConfigured() };
  const cached = await env.DB.prepare('SELECT access_token, expires_at FROM oa_tokens WHERE app_id = ?')
    .bind(appId)
    .first<{ access_token: string; expires_at: number }>();
  if (cached && cached.expires_at - EARLY_MS > now) {
    // A cache: one that no longer opens (another key, an older form) is simply fetched again.
    const token = await deps.secrets.open(cached.access_token, oaTokenBinding(appId)).catch(() => null);
    if (token !== null && token !== rejected) return { token };
  }
  const fetchToken = (force: boolean) =>
    postJson(deps.fetch, `${wechatApiBase(env)}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: appId, secret, force_refresh: force });
  let answer = await fetchToken(false);
  if (rejected !== undefined && readToken(answer)?.token === rejected) answer = await fetchToken(true);
  const fresh = readToken(answer);
  if (!fresh) {
    const verdict = oaVerdict(answer);
    return { verdict: verdict.outcome === 'sent' ? { outcome: 'retry', code: 'token', reason: 'no access_token in answer', notBefore: null } : verdict };
  }
  await env.DB.prepare(
    `INSERT INTO oa_tokens (app_id, access_token, expires_at, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(app_id) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at, fetched_at = excluded.fetched_at`,
  )
    .bind(appId, await deps.secrets.seal(fresh.token, oaTokenBinding(appId)), now + fresh.expiresIn * 1000, now)
    .run();
  return { token: fresh.token };
}

function readToken(answer: ChannelAnswer): { token: string; expiresIn: number } | null {
  const body = answer.body as { access_token?: unknown; expires_in?: unknown } | null;
  if (answer.status !== 200 || !body || typeof body.access_token !== 'string' || !body.access_token) return null;
  return { token: body.access_token, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 7200 };
}

/**
 * Calls `call` with the cached token; on 40001/40014/42001 refetches the token once and calls
 * again. A second token complaint is a plain retry-later, never a loop.
 */
async function withToken(env: Env, deps: AlertDeps, now: number, call: (token: string) => Promise<ChannelAnswer>): Promise<{ verdict: ChannelVerdict; answer: ChannelAnswer | null }> {
  const first = await accessToken(env, deps, now);
  if ('verdict' in first) return { verdict: first.verdict, answer: null };
  let answer = await call(first.token);
  let verdict = oaVerdict(answer);
  if (verdict.outcome !== 'refresh_token') return { verdict, answer };
  const second = await accessToken(env, deps, now, first.token);
  if ('verdict' in second) return { verdict: second.verdict, answer: null };
  answer = await call(second.token);
  verdict = oaVerdict(answer);
  if (verdict.outcome === 'refresh_token') verdict = { outcome: 'retry', code: verdict.code, reason: verdict.reason, notBefore: null };
  return { verdict, answer };
}

/**
 * Sends one template message. `clientMsgId` is the outbox's message key: WeChat drops a second
 * message with the same id to the same user within 10 minutes, which makes a resend after a crash
 * harmless.
 */
export async function sendTemplate(env: Env, deps: AlertDeps, openid: string, body: OaTemplateBody, clientMsgId: string, now: number): Promise<ChannelVerdict> {
  if (!env.WECHAT_TEMPLATE_ID) return { outcome: 'broken', code: 'not_configured', reason: 'WECHAT_TEMPLATE_ID is not set', unfollowed: false };
  const payload = {
    touser: openid,
    template_id: env.WECHAT_TEMPLATE_ID,
    ...(body.url ? { url: body.url } : {}),
    client_msg_id: clientMsgId,
    data: body.data,
  };
  const { verdict } = await withToken(env, deps, now, (token) =>
    postJson(deps.fetch, `${wechatApiBase(env)}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`, payload),
  );
  return verdict;
}

export interface QrTicket {
  ticket: string;
  url: string;
  expireSeconds: number;
}

/** A temporary parametric QR code (`QR_STR_SCENE`) carrying `scene`. */
export async function createQrTicket(env: Env, deps: AlertDeps, scene: string, expireSeconds: number, now: number): Promise<QrTicket | { verdict: ChannelVerdict }> {
  const payload = { expire_seconds: expireSeconds, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: scene } } };
  const { verdict, answer } = await withToken(env, deps, now, (token) =>
    postJson(deps.fetch, `${wechatApiBase(env)}/cgi-bin/qrcode/create?access_token=${encodeURIComponent(token)}`, payload),
  );
  const body = answer?.body as { ticket?: unknown; url?: unknown; expire_seconds?: unknown } | null | undefined;
  if (verdict.outcome !== 'sent' || typeof body?.ticket !== 'string') {
    return { verdict: verdict.outcome === 'sent' ? { outcome: 'retry', code: 'qr', reason: 'no ticket in answer', notBefore: null } : verdict };
  }
  return {
    ticket: body.ticket,
    url: typeof body.url === 'string' ? body.url : '',
    expireSeconds: typeof body.expire_seconds === 'number' ? body.expire_seconds : expireSeconds,
  };
}
