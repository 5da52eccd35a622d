/**
 * The Official Account's access token, `POST api.weixin.qq.com/cgi-bin/stable_token`
 * (docs/domain/wechat.md): one live token per app, 7200 s; the normal mode hands back the live
 * token with its remaining lifetime, `force_refresh` mints a new one and leaves the previous one
 * working for 5 more minutes - which is why the relay caches the token centrally.
 */
import type { Random } from './prng.ts';
import { createDailyQuota, isObject } from './wechat-kit.ts';

export const OA_TOKEN_TTL_S = 7200;
export const OA_TOKEN_GRACE_MS = 5 * 60_000;
/** Forced refreshes are rationed per app per day (the stable_token doc: 20). */
const FORCE_PER_DAY = 20;

export interface OaCredentials {
  appId: string;
  appSecret: string;
}

export type TokenCheck = { ok: true } | { ok: false; errcode: number; errmsg: string };

export interface OaTokens {
  /** The stable_token answer for a request body. */
  issue(body: unknown, credentials: OaCredentials): Record<string, unknown>;
  check(token: string | null): TokenCheck;
  /** Another server forced a refresh: ours now lives 5 more minutes. */
  rotate(): void;
  /** The live token reaches its 7200 s now (the next call with it gets 42001). */
  expire(): void;
  view(): { token: string | null; expiresAt: number | null; previous: string | null; previousUntil: number | null };
  reset(): void;
}

export function createOaTokens(deps: { now: () => number; random: Random }): OaTokens {
  let live: { token: string; expiresAt: number } | null = null;
  let previous: { token: string; until: number } | null = null;
  const forced = createDailyQuota(FORCE_PER_DAY);

  function mint(): { token: string; expiresAt: number } {
    const now = deps.now();
    if (live) previous = { token: live.token, until: Math.min(live.expiresAt, now + OA_TOKEN_GRACE_MS) };
    // Real tokens are ~136 characters of [A-Za-z0-9_-]; callers must not assume a length.
    live = { token: `${deps.random.text(8)}_${deps.random.text(100, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`, expiresAt: now + OA_TOKEN_TTL_S * 1000 };
    return live;
  }

  return {
    issue(body, credentials) {
      if (!isObject(body)) return { errcode: 47001, errmsg: 'data format error' };
      if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
      if (typeof body.appid !== 'string' || body.appid === '') return { errcode: 41002, errmsg: 'appid missing' };
      if (typeof body.secret !== 'string' || body.secret === '') return { errcode: 41004, errmsg: 'appsecret missing' };
      if (body.appid !== credentials.appId) return { errcode: 40013, errmsg: 'invalid appid' };
      if (body.secret !== credentials.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
      const now = deps.now();
      let token = live && now < live.expiresAt ? live : null;
      if (body.force_refresh === true) {
        if (!forced.take(credentials.appId, now)) return { errcode: 45009, errmsg: 'reach max api daily quota limit' };
        token = null;
      }
      token ??= mint();
      return { access_token: token.token, expires_in: Math.max(1, Math.ceil((token.expiresAt - now) / 1000)) };
    },
    check(token) {
      if (!token) return { ok: false, errcode: 41001, errmsg: 'access_token missing' };
      const now = deps.now();
      if (live && token === live.token) {
        return now < live.expiresAt ? { ok: true } : { ok: false, errcode: 42001, errmsg: 'access_token expired' };
      }
      if (previous && token === previous.token && now < previous.until) return { ok: true };
      return { ok: false, errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    },
    rotate() {
      mint();
    },
    expire() {
      if (live) live = { ...live, expiresAt: deps.now() };
    },
    view: () => ({ token: live?.token ?? null, expiresAt: live?.expiresAt ?? null, previous: previous?.token ?? null, previousUntil: previous?.until ?? null }),
    reset() {
      live = null;
      previous = null;
      forced.reset();
    },
  };
}
