/**
 * The WeChat Official Account (服务号) API the relay uses (docs/domain/wechat.md): stable_token,
 * template messages, parametric QR codes and their image, plus the people who follow the account
 * - created by simulated QR scans, which post the signed event to the configured callback URL.
 */
import type { Inbox } from './inbox.ts';
import { postEvent, verifyCallback } from './oa-callback.ts';
import type { CallbackResult } from './oa-callback.ts';
import { createOaTokens } from './oa-tokens.ts';
import type { Random } from './prng.ts';
import { qrSvg } from './qr-image.ts';
import { answer, isObject, readBody } from './wechat-kit.ts';

export interface OfficialAccountConfig {
  appId: string;
  appSecret: string;
  /** The templates the account has added; others are a 40037. */
  templateIds: string[];
  /** The keywords' labels, which the phone shows before each value (the template defines them). */
  fieldLabels: Record<string, string>;
  /** Where scan events are posted (the relay's `/wechat/callback`); none: events are only recorded. */
  callbackUrl: string | null;
  /** The token configured on both sides for callback signatures. */
  callbackToken: string;
  /** The account's original id, the ToUserName of every event. */
  originalId: string;
  /** Safe mode (消息加解密方式: 安全模式): events go encrypted with this key; null is plaintext mode. */
  encodingAesKey: string | null;
}

/** Matches the WECHAT_* variables `npm start` gives the relay. */
export const DEFAULT_OA_CONFIG: OfficialAccountConfig = {
  appId: 'wx-sandbox',
  appSecret: 'sandbox-secret',
  templateIds: ['sandbox-template'],
  // The relay's template (wrangler.toml, WECHAT_TEMPLATE_ID).
  fieldLabels: { thing1: '店铺', thing2: '指标', thing3: '变化', thing4: '状态', time5: '时间' },
  callbackUrl: null,
  callbackToken: 'sandbox-callback-token',
  originalId: 'gh_5a4db0c5e7f1',
  encodingAesKey: null,
};

/** "Since 2023-05 each field shows at most 20 characters" (docs/domain/wechat.md). */
const FIELD_MAX_CHARS = 20;
const CLIENT_MSG_ID_MS = 10 * 60_000;
/** A temporary QR code lives 60 s unless asked otherwise, 30 days at most (qrcode/create doc). */
const QR_DEFAULT_S = 60;
const QR_MAX_S = 2_592_000;
/** Enough for any demo; older codes are forgotten (and then unknown to showqrcode and scans). */
const KEEP_QR_CODES = 200;

interface QrCode {
  ticket: string;
  scene: string;
  url: string;
  createdAt: number;
  expiresAt: number | null;
}

export interface ScanResult {
  event: 'subscribe' | 'SCAN' | 'unsubscribe';
  openid: string;
  eventKey: string;
  callback: CallbackResult | null;
}

export function createOfficialAccount(deps: { now: () => number; inbox: Inbox; random: Random; fetch: typeof fetch; config?: Partial<OfficialAccountConfig> }) {
  const { now, random } = deps;
  const initial = { ...DEFAULT_OA_CONFIG, ...deps.config };
  let config = { ...initial };
  const tokens = createOaTokens({ now, random });
  /** openid -> following now? Every openid ever seen stays known (unfollowed: 43004, unknown: 40003). */
  const followers = new Map<string, boolean>();
  const qrCodes: QrCode[] = [];
  const sentIds = new Map<string, { at: number; msgid: number }>();
  let scripted: { errcode: number; remaining: number } | null = null;

  const failure = (errcode: number, errmsg: string) => answer({ errcode, errmsg });

  async function templateSend(req: Request, url: URL): Promise<Response> {
    const check = tokens.check(url.searchParams.get('access_token'));
    if (!check.ok) return failure(check.errcode, check.errmsg);
    if (scripted) {
      const { errcode } = scripted;
      scripted = scripted.remaining > 1 ? { errcode, remaining: scripted.remaining - 1 } : null;
      return failure(errcode, errcode === 45009 ? 'reach max api daily quota limit' : 'system error');
    }
    const { json } = await readBody(req, url);
    if (!isObject(json)) return failure(47001, 'data format error');
    const touser = typeof json.touser === 'string' ? json.touser : '';
    if (!followers.has(touser)) return failure(40003, 'invalid openid');
    if (!followers.get(touser)) return failure(43004, 'require subscribe');
    if (typeof json.template_id !== 'string' || !config.templateIds.includes(json.template_id)) return failure(40037, 'invalid template_id');
    if (!isObject(json.data)) return failure(47003, 'argument invalid! data is empty');
    const lines: string[] = [];
    for (const [field, entry] of Object.entries(json.data)) {
      const value = isObject(entry) ? entry.value : undefined;
      if (typeof value !== 'string' || [...value].length > FIELD_MAX_CHARS) {
        return failure(47003, `argument invalid! data.${field}.value invalid`);
      }
      lines.push(`${config.fieldLabels[field] ?? field}: ${value}`);
    }
    // "client_msg_id de-duplicates per user for 10 minutes": the doc promises only one message is
    // sent; the sandbox answers the repeat as a success carrying the first message's id.
    const clientMsgId = typeof json.client_msg_id === 'string' && json.client_msg_id !== '' ? `${touser}\n${json.client_msg_id}` : null;
    for (const [id, sent] of sentIds) if (now() - sent.at >= CLIENT_MSG_ID_MS) sentIds.delete(id);
    const earlier = clientMsgId ? sentIds.get(clientMsgId) : undefined;
    if (earlier) return answer({ errcode: 0, errmsg: 'ok', msgid: earlier.msgid });
    const msgid = random.int(1_000_000_000, 2_147_483_647);
    if (clientMsgId) sentIds.set(clientMsgId, { at: now(), msgid });
    if (typeof json.url === 'string' && json.url !== '') lines.push(`→ ${json.url}`);
    deps.inbox.add({ at: now(), channel: 'oa', to: touser, title: json.template_id, text: lines.join('\n'), format: 'template', request: json });
    return answer({ errcode: 0, errmsg: 'ok', msgid });
  }

  async function qrCreate(req: Request, url: URL): Promise<Response> {
    const check = tokens.check(url.searchParams.get('access_token'));
    if (!check.ok) return failure(check.errcode, check.errmsg);
    const { json } = await readBody(req, url);
    if (!isObject(json)) return failure(47001, 'data format error');
    const action = json.action_name;
    const info = isObject(json.action_info) && isObject(json.action_info.scene) ? json.action_info.scene : {};
    let scene: string;
    if (action === 'QR_STR_SCENE' || action === 'QR_LIMIT_STR_SCENE') {
      if (typeof info.scene_str !== 'string' || info.scene_str.length < 1 || info.scene_str.length > 64) return failure(40053, 'invalid action info');
      scene = info.scene_str;
    } else if (action === 'QR_SCENE' || action === 'QR_LIMIT_SCENE') {
      if (typeof info.scene_id !== 'number' || !Number.isInteger(info.scene_id) || info.scene_id < 1) return failure(40053, 'invalid action info');
      scene = String(info.scene_id);
    } else {
      return failure(40052, 'invalid action name');
    }
    const permanent = action.startsWith('QR_LIMIT');
    const seconds = permanent ? null : Math.min(QR_MAX_S, typeof json.expire_seconds === 'number' && json.expire_seconds > 0 ? Math.floor(json.expire_seconds) : QR_DEFAULT_S);
    const ticket = `gQ${random.text(54, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}==`;
    const code: QrCode = { ticket, scene, url: `http://weixin.qq.com/q/02${random.text(22)}`, createdAt: now(), expiresAt: seconds === null ? null : now() + seconds * 1000 };
    qrCodes.push(code);
    if (qrCodes.length > KEEP_QR_CODES) qrCodes.shift();
    return answer({ ticket, ...(seconds === null ? {} : { expire_seconds: seconds }), url: code.url });
  }

  function showQr(url: URL): Response {
    const code = qrCodes.find((q) => q.ticket === url.searchParams.get('ticket'));
    if (!code || (code.expiresAt !== null && now() >= code.expiresAt)) return new Response('ticket invalid or expired', { status: 404 });
    return new Response(qrSvg(code.ticket, `scene ${code.scene}`), { status: 200, headers: { 'content-type': 'image/svg+xml' } });
  }

  async function deliver(openid: string, event: ScanResult['event'], eventKey: string, ticket?: string): Promise<ScanResult> {
    if (!config.callbackUrl) return { event, openid, eventKey, callback: null };
    const callback = await postEvent(deps.fetch, config.callbackUrl, config.callbackToken, {
      toUser: config.originalId,
      openid,
      createTime: Math.floor(now() / 1000),
      event,
      eventKey,
      ...(ticket === undefined ? {} : { ticket }),
    }, { now, random, safeMode: config.encodingAesKey ? { encodingAesKey: config.encodingAesKey, appId: config.appId } : null });
    return { event, openid, eventKey, callback };
  }

  return {
    /** Routes `/cgi-bin/...` of api.weixin.qq.com and mp.weixin.qq.com; null when not ours. */
    async route(req: Request, url: URL): Promise<Response | null> {
      const path = url.pathname;
      if (path === '/cgi-bin/stable_token' && req.method === 'POST') {
        return answer(tokens.issue((await readBody(req, url)).json, config));
      }
      if (path === '/cgi-bin/message/template/send' && req.method === 'POST') return templateSend(req, url);
      if (path === '/cgi-bin/qrcode/create' && req.method === 'POST') return qrCreate(req, url);
      if (path === '/cgi-bin/showqrcode' && req.method === 'GET') return showQr(url);
      return null;
    },

    /**
     * A person scans a QR code: `subscribe` + `qrscene_<scene>` when not following yet, `SCAN` +
     * `<scene>` when already following. Without `ticket`, the newest code is scanned.
     */
    async scan(input: { ticket?: string; openid?: string }): Promise<ScanResult | { error: string; status: number }> {
      const code = input.ticket === undefined ? qrCodes.at(-1) : qrCodes.find((q) => q.ticket === input.ticket);
      if (!code) return { error: 'no such QR code (create one with qrcode/create first)', status: 404 };
      if (code.expiresAt !== null && now() >= code.expiresAt) return { error: 'QR code expired / 二维码已过期', status: 410 };
      const openid = input.openid ?? `o${random.text(5)}_${random.text(21, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
      const following = followers.get(openid) === true;
      followers.set(openid, true);
      return following ? deliver(openid, 'SCAN', code.scene, code.ticket) : deliver(openid, 'subscribe', `qrscene_${code.scene}`, code.ticket);
    },

    /** A person follows from a search or an article: a `subscribe` with no scene, so it binds no one. */
    async follow(openid: string): Promise<ScanResult> {
      followers.set(openid, true);
      return deliver(openid, 'subscribe', '');
    },

    async unsubscribe(openid: string): Promise<ScanResult | { error: string; status: number }> {
      if (followers.get(openid) !== true) return { error: 'not a follower', status: 404 };
      followers.set(openid, false);
      return deliver(openid, 'unsubscribe', '');
    },

    verify: () => (config.callbackUrl ? verifyCallback(deps.fetch, config.callbackUrl, config.callbackToken, { now, random }) : null),
    configure(patch: Partial<OfficialAccountConfig>): void {
      config = { ...config, ...patch };
    },
    /** The next `count` template sends answer `errcode` (45009 quota, -1 busy). */
    script(errcode: number, count: number): void {
      scripted = { errcode, remaining: count };
    },
    tokens,
    view() {
      return {
        config: { ...config },
        token: tokens.view(),
        followers: [...followers].map(([openid, following]) => ({ openid, following })),
        qrCodes: qrCodes.map((q) => ({ ...q, expired: q.expiresAt !== null && now() >= q.expiresAt })),
        scripted,
      };
    },
    reset(): void {
      config = { ...initial };
      tokens.reset();
      followers.clear();
      qrCodes.length = 0;
      sentIds.clear();
      scripted = null;
    },
  };
}

export type OfficialAccount = ReturnType<typeof createOfficialAccount>;
