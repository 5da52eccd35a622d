/**
 * The WeChat half of the control API (JSON under /_sandbox/): the phone's messages, broken keys
 * and scripted errors, and the Official Account's people - a QR scan or an unfollow posts the
 * signed event to the configured callback, as WeChat would.
 */
import type { Inbox } from './inbox.ts';
import type { OfficialAccount, OfficialAccountConfig } from './official-account.ts';
import type { PushPlus } from './pushplus.ts';
import type { ServerChan } from './serverchan.ts';
import { isObject, readJsonBody, reply } from './wechat-kit.ts';
import type { WecomRobot } from './wecom.ts';

export interface WechatParts {
  inbox: Inbox;
  wecom: WecomRobot;
  oa: OfficialAccount;
  serverChan: ServerChan;
  pushPlus: PushPlus;
}

const bad = (error: string, status = 400): Response => reply(status, { error });
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1000;
const isCode = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v !== 0;

function configPatch(body: Record<string, unknown>): Partial<OfficialAccountConfig> | string {
  const patch: Partial<OfficialAccountConfig> = {};
  if (body.callbackUrl !== undefined) {
    if (body.callbackUrl === null) patch.callbackUrl = null;
    else if (typeof body.callbackUrl === 'string' && /^https?:\/\/[^\s]+$/.test(body.callbackUrl)) patch.callbackUrl = body.callbackUrl;
    else return 'callbackUrl must be an http(s) URL or null';
  }
  for (const name of ['callbackToken', 'appId', 'appSecret', 'originalId'] as const) {
    const v = body[name];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') return `${name} must be a non-empty string`;
    patch[name] = v;
  }
  if (body.encodingAesKey !== undefined) {
    // Safe mode on (a 43-character EncodingAESKey) or off (null), as in the account's server settings.
    if (body.encodingAesKey === null) patch.encodingAesKey = null;
    else if (typeof body.encodingAesKey === 'string' && /^[A-Za-z0-9]{43}$/.test(body.encodingAesKey)) patch.encodingAesKey = body.encodingAesKey;
    else return 'encodingAesKey must be 43 of A-Za-z0-9, or null for plaintext mode';
  }
  if (body.templateIds !== undefined) {
    if (!Array.isArray(body.templateIds) || !body.templateIds.every((t) => typeof t === 'string')) return 'templateIds must be an array of strings';
    patch.templateIds = body.templateIds as string[];
  }
  return patch;
}

async function oaControl(oa: OfficialAccount, route: string, body: Record<string, unknown>): Promise<Response | null> {
  switch (route) {
    case 'POST /_sandbox/wechat/oa/config': {
      const patch = configPatch(body);
      if (typeof patch === 'string') return bad(patch);
      oa.configure(patch);
      return reply(200, oa.view().config);
    }
    case 'POST /_sandbox/wechat/oa/scan':
    case 'POST /_sandbox/wechat/oa/unsubscribe': {
      if (body.openid !== undefined && (typeof body.openid !== 'string' || !/^[A-Za-z0-9_-]{6,64}$/.test(body.openid))) return bad('openid must be 6-64 of A-Za-z0-9_-');
      if (body.ticket !== undefined && typeof body.ticket !== 'string') return bad('ticket must be a string');
      let result;
      if (route.endsWith('/scan')) {
        result = await oa.scan({ ...(body.ticket === undefined ? {} : { ticket: body.ticket as string }), ...(body.openid === undefined ? {} : { openid: body.openid as string }) });
      } else {
        if (typeof body.openid !== 'string') return bad('openid is required');
        result = await oa.unsubscribe(body.openid);
      }
      return 'error' in result ? bad(result.error, result.status) : reply(200, result);
    }
    case 'POST /_sandbox/wechat/oa/verify': {
      const result = await oa.verify();
      return result ? reply(200, result) : bad('no callbackUrl configured');
    }
    case 'POST /_sandbox/wechat/oa/token':
      if (body.action === 'rotate') oa.tokens.rotate();
      else if (body.action === 'expire') oa.tokens.expire();
      else return bad('action must be rotate or expire');
      return reply(200, oa.view().token);
    case 'POST /_sandbox/wechat/oa/script':
      if (!isCode(body.errcode) || !isCount(body.count ?? 1)) return bad('errcode (non-zero) and count (1-1000) are required');
      oa.script(body.errcode, (body.count as number | undefined) ?? 1);
      return reply(200, { ok: true });
    default:
      return null;
  }
}

export async function handleWechatControl(parts: WechatParts, req: Request, path: string): Promise<Response | null> {
  const route = `${req.method} ${path}`;
  if (route === 'GET /_sandbox/messages') return reply(200, { messages: parts.inbox.list() });
  if (route === 'DELETE /_sandbox/messages') {
    parts.inbox.clear();
    return reply(200, { ok: true });
  }
  if (route === 'GET /_sandbox/wechat') {
    return reply(200, { wecom: parts.wecom.view(), officialAccount: parts.oa.view(), serverChan: parts.serverChan.view(), pushPlus: parts.pushPlus.view() });
  }
  if (route !== 'POST /_sandbox/wecom-keys/break' && !route.startsWith('POST /_sandbox/wechat/')) return null;
  const body = (await readJsonBody(req)) ?? {};
  if (!isObject(body)) return bad('body must be a JSON object');
  switch (route) {
    case 'POST /_sandbox/wecom-keys/break':
    case 'POST /_sandbox/wechat/wecom': {
      if (typeof body.key !== 'string' || body.key === '') return bad('key is required');
      if (route.endsWith('/break') || body.broken === true) parts.wecom.breakKey(body.key);
      else if (isCode(body.errcode) && isCount(body.count ?? 1)) parts.wecom.script(body.key, body.errcode, (body.count as number | undefined) ?? 1);
      else return bad('give broken: true, or errcode (e.g. 45009, -1) and count');
      return reply(200, parts.wecom.view());
    }
    case 'POST /_sandbox/wechat/serverchan':
      if (typeof body.key !== 'string' || body.key === '') return bad('key is required');
      parts.serverChan.breakKey(body.key);
      return reply(200, parts.serverChan.view());
    case 'POST /_sandbox/wechat/pushplus':
      if (typeof body.token !== 'string' || body.token === '') return bad('token is required');
      parts.pushPlus.breakToken(body.token);
      return reply(200, parts.pushPlus.view());
    default:
      return (await oaControl(parts.oa, route, body)) ?? reply(404, { error: `no control route ${route}` });
  }
}
