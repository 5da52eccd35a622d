/**
 * The simulated WeChat side (used by the sandbox and the relay tests), written from DOMAIN.md section 5 alone: the WeCom
 * robot webhook, the Official Account API (stable token, template send with client_msg_id
 * de-duplication, QR codes), ServerChan and PushPlus. It records what a phone would show.
 */

export interface Delivered {
  channel: 'wecom' | 'oa' | 'serverchan' | 'pushplus';
  /** Robot key, openid, SendKey or PushPlus token. */
  to: string;
  text: string;
  body: Record<string, unknown>;
}

export interface StandInOptions {
  now: () => number;
  wecomKeys?: string[];
  appId?: string;
  appSecret?: string;
  templateId?: string;
  followers?: string[];
}

const encoder = new TextEncoder();

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

export class WechatStandIn {
  readonly delivered: Delivered[] = [];
  /** Every request seen, in order (path and query). */
  readonly requests: string[] = [];
  /** errcodes the WeCom robot answers to its next requests instead of delivering. */
  readonly wecomScript: number[] = [];
  /** errcodes the OA template API answers to its next requests instead of delivering. */
  readonly oaScript: number[] = [];
  readonly followers: Set<string>;
  readonly wecomKeys: Set<string>;
  token = 'token-1';
  private tokenSerial = 1;
  private readonly sentPerMinute = new Map<string, number[]>();
  private readonly clientMsgIds = new Map<string, { at: number; msgid: number }>();
  private msgid = 1000;
  tickets: Array<{ ticket: string; scene: string }> = [];

  private readonly options: StandInOptions;

  constructor(options: StandInOptions) {
    this.options = options;
    this.followers = new Set(options.followers ?? []);
    this.wecomKeys = new Set(options.wecomKeys ?? []);
  }

  /** Drop-in for `fetch`. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    this.requests.push(`${url.host}${url.pathname}`);
    const body = request.method === 'POST' ? ((await request.json().catch(() => null)) as Record<string, unknown> | null) : null;
    if (url.host === 'qyapi.weixin.qq.com' && url.pathname === '/cgi-bin/webhook/send') return this.wecom(url, body);
    if (url.pathname === '/cgi-bin/stable_token') return this.stableToken(body);
    if (url.pathname === '/cgi-bin/message/template/send') return this.template(url, body);
    if (url.pathname === '/cgi-bin/qrcode/create') return this.qr(url, body);
    if (url.host === 'www.pushplus.plus' && url.pathname === '/send') return this.pushPlus(body);
    const sc = /^\/(?:send\/)?([A-Za-z0-9_-]+)\.send$/.exec(url.pathname);
    if (sc && (url.host === 'sctapi.ftqq.com' || url.host.endsWith('.push.ft07.com'))) {
      this.delivered.push({ channel: 'serverchan', to: sc[1]!, text: `${String(body?.['title'])}\n${String(body?.['desp'])}`, body: body ?? {} });
      return json({ code: 0, message: '', data: { pushid: String(this.msgid++), readkey: 'r', error: 'SUCCESS', errno: 0 } });
    }
    return new Response('not found', { status: 404 });
  };

  messagesTo(channel: Delivered['channel']): Delivered[] {
    return this.delivered.filter((d) => d.channel === channel);
  }

  private wecom(url: URL, body: Record<string, unknown> | null): Response {
    const key = url.searchParams.get('key') ?? '';
    if (!this.wecomKeys.has(key)) return json({ errcode: 93000, errmsg: 'invalid webhook url' });
    const scripted = this.wecomScript.shift();
    if (scripted !== undefined) return json({ errcode: scripted, errmsg: 'scripted' });
    const minute = Math.floor(this.options.now() / 60_000);
    const recent = (this.sentPerMinute.get(key) ?? []).filter((m) => m === minute);
    if (recent.length >= 20) return json({ errcode: 45009, errmsg: 'api freq out of limit' });
    if (!body || typeof body['msgtype'] !== 'string' || !['text', 'markdown', 'markdown_v2', 'news', 'template_card'].includes(body['msgtype'])) {
      return json({ errcode: 40008, errmsg: 'invalid message type' });
    }
    const content = String((body[body['msgtype']] as { content?: unknown } | undefined)?.content ?? '');
    if (!content) return json({ errcode: 44004, errmsg: 'empty content' });
    if (encoder.encode(content).length > (body['msgtype'] === 'text' ? 2048 : 4096)) return json({ errcode: 45002, errmsg: 'content size out of limit' });
    this.sentPerMinute.set(key, [...recent, minute]);
    this.delivered.push({ channel: 'wecom', to: key, text: content, body });
    return json({ errcode: 0, errmsg: 'ok' });
  }

  private stableToken(body: Record<string, unknown> | null): Response {
    if (body?.['appid'] !== this.options.appId || body?.['secret'] !== this.options.appSecret) return json({ errcode: 40013, errmsg: 'invalid appid' });
    if (body?.['force_refresh'] === true) this.rotateToken();
    return json({ access_token: this.token, expires_in: 7200 });
  }

  /** Another party forced a refresh: our cached token is now invalid. */
  rotateToken(): void {
    this.token = `token-${++this.tokenSerial}`;
  }

  private template(url: URL, body: Record<string, unknown> | null): Response {
    if (url.searchParams.get('access_token') !== this.token) return json({ errcode: 40001, errmsg: 'invalid credential' });
    const scripted = this.oaScript.shift();
    if (scripted !== undefined) return json({ errcode: scripted, errmsg: 'scripted' });
    const touser = String(body?.['touser'] ?? '');
    if (!this.followers.has(touser)) return json({ errcode: 43004, errmsg: 'require subscribe' });
    if (body?.['template_id'] !== this.options.templateId) return json({ errcode: 40037, errmsg: 'invalid template_id' });
    const data = (body?.['data'] ?? {}) as Record<string, { value?: string }>;
    if (Object.values(data).some((f) => [...(f.value ?? '')].length > 20)) return json({ errcode: 47003, errmsg: 'argument invalid! data.value too long' });
    const clientMsgId = typeof body?.['client_msg_id'] === 'string' ? `${touser}|${body['client_msg_id']}` : null;
    const earlier = clientMsgId ? this.clientMsgIds.get(clientMsgId) : undefined;
    // client_msg_id: the same id to the same user within 10 minutes is not sent again.
    if (earlier && this.options.now() - earlier.at < 10 * 60_000) return json({ errcode: 0, errmsg: 'ok', msgid: earlier.msgid });
    const msgid = this.msgid++;
    if (clientMsgId) this.clientMsgIds.set(clientMsgId, { at: this.options.now(), msgid });
    this.delivered.push({ channel: 'oa', to: touser, text: Object.values(data).map((f) => f.value).join(' | '), body: body ?? {} });
    return json({ errcode: 0, errmsg: 'ok', msgid });
  }

  private qr(url: URL, body: Record<string, unknown> | null): Response {
    if (url.searchParams.get('access_token') !== this.token) return json({ errcode: 40001, errmsg: 'invalid credential' });
    const scene = (body?.['action_info'] as { scene?: { scene_str?: string } } | undefined)?.scene?.scene_str;
    if (body?.['action_name'] !== 'QR_STR_SCENE' || !scene) return json({ errcode: 40097, errmsg: 'invalid args' });
    const ticket = `gQ${this.tickets.length + 1}`;
    this.tickets.push({ ticket, scene });
    return json({ ticket, expire_seconds: Number(body?.['expire_seconds'] ?? 60), url: `http://weixin.qq.com/q/${ticket}` });
  }

  private pushPlus(body: Record<string, unknown> | null): Response {
    const token = String(body?.['token'] ?? '');
    if (!/^[A-Za-z0-9]{16,64}$/.test(token)) return json({ code: 903, msg: '无效的用户令牌', data: null });
    this.delivered.push({ channel: 'pushplus', to: token, text: `${String(body?.['title'])}\n${String(body?.['content'])}`, body: body ?? {} });
    return json({ code: 200, msg: '请求成功', data: `pp${this.msgid++}` });
  }
}
