/**
 * The WeChat side of the WeChat fault suite: test/sandbox/wechat-endpoints.ts (the channels as
 * docs/domain/wechat.md describes them) behind a layer that misbehaves on cue. Each channel has a
 * script of answers its next sends get - the channel's own error codes in its own answer format,
 * HTTP 502 pages, connection resets and timeouts - and may go permanently bad (WeCom key deleted,
 * OA follower gone, ServerChan key or PushPlus token revoked). Every send the channel accepted is
 * recorded with the alerts the relay had claimed for it, read from D1 at that moment.
 */
import type { ChannelType } from '../../../shared/alerts/channel-verdicts.ts';
import { type WechatSide, createWechatSide } from '../../sandbox/wechat.ts';

/** A fault one send of a channel meets. `revoke` turns the channel permanently bad from that send on. */
export type WechatFault =
  | 'wecom_45009'
  | 'wecom_-1'
  | 'wecom_45033'
  | 'oa_-1'
  | 'oa_45009'
  | 'oa_40001_rotated'
  | 'oa_40001'
  | 'serverchan_quota'
  | 'serverchan_errno'
  | 'pushplus_900'
  | 'pushplus_999'
  | 'http_502'
  | 'reset'
  | 'timeout'
  /** The channel took the message, then the answer was lost (a timeout after delivery). */
  | 'lost_answer'
  | 'revoke';

/** The transient faults each channel type can meet; `revoke` is added separately (it ends the channel). */
export const TRANSIENT_FAULTS: Record<ChannelType, readonly WechatFault[]> = {
  wecom: ['wecom_45009', 'wecom_-1', 'wecom_45033', 'http_502', 'reset', 'timeout', 'lost_answer'],
  oa: ['oa_-1', 'oa_45009', 'oa_40001_rotated', 'oa_40001', 'http_502', 'reset', 'timeout', 'lost_answer'],
  serverchan: ['serverchan_quota', 'serverchan_errno', 'http_502', 'reset', 'timeout', 'lost_answer'],
  pushplus: ['pushplus_900', 'pushplus_999', 'http_502', 'reset', 'timeout', 'lost_answer'],
};

export interface StandInChannel {
  id: string;
  type: ChannelType;
  /** Robot key, openid, SendKey or PushPlus token: how a request names its channel. */
  secret: string;
  /** What the next sends meet, in order (`pass`: a normal answer); an empty script answers normally. */
  script: Array<WechatFault | 'pass'>;
  /** Set by the first permanent answer: nothing may reach the channel after it. */
  brokenAt: number | null;
}

/** One message a channel accepted (or, for the OA, de-duplicated by client_msg_id). */
export interface AcceptedSend {
  channelId: string;
  type: ChannelType;
  at: number;
  text: string;
  /** The claim the relay was sending, read from D1 while the request was in flight. */
  alertKeys: string[];
  messageKey: string;
  /** Marked "may repeat an earlier message" (WeCom, ServerChan, PushPlus). */
  markedResend: boolean;
  /** The OA dropped it as a repeat of a client_msg_id it had seen within 10 minutes. */
  deduplicated: boolean;
}

export interface SendLog {
  channelId: string;
  at: number;
  /** `refused`: the stand-in itself said no (its own 20-a-minute limit, a field too long). */
  answer: WechatFault | 'accepted' | 'permanent' | 'refused';
  /** The message key of the claim being sent (from D1, as for `AcceptedSend`). */
  messageKey: string;
  /** OA only: the client_msg_id, to check that a rejected token is refetched once, not in a loop. */
  clientMsgId?: string;
}

const RESEND_MARK = '（连接中断后重发，可能与上一条重复）';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function badGateway(): Response {
  return new Response('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>', {
    status: 502,
    headers: { 'content-type': 'text/html' },
  });
}

export class FaultyWechat {
  readonly inner: WechatSide;
  readonly channels = new Map<string, StandInChannel>();
  readonly accepted: AcceptedSend[] = [];
  readonly sends: SendLog[] = [];
  /** Times the token endpoint was asked to force a refresh, and times a template send met a bad token. */
  forcedRefreshes = 0;
  tokenRejections = 0;
  /** A fault the next stable_token call meets (`oa_-1` or `http_502`). */
  tokenFaults: WechatFault[] = [];
  /** The token faults actually met, for the tally. */
  readonly tokenFaultsMet: WechatFault[] = [];
  private readonly now: () => number;
  private readonly db: D1Database;

  constructor(options: { now: () => number; db: D1Database; appId: string; appSecret: string; templateId: string }) {
    this.now = options.now;
    this.db = options.db;
    this.inner = createWechatSide(options.now, {
      officialAccount: { appId: options.appId, appSecret: options.appSecret, templateIds: [options.templateId], callbackUrl: null },
    });
  }

  addChannel(id: string, type: ChannelType, secret: string, script: StandInChannel['script']): void {
    this.channels.set(id, { id, type, secret, script, brokenAt: null });
    // A robot key only has to be well formed for the sandbox; an openid has to follow the account.
    if (type === 'oa') void this.inner.oa.follow(secret);
  }

  private find(type: ChannelType, secret: string): StandInChannel | undefined {
    return [...this.channels.values()].find((c) => c.type === type && c.secret === secret);
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'POST' ? ((await request.clone().json().catch(() => null)) as Record<string, unknown> | null) : null;
    if (url.pathname === '/cgi-bin/stable_token') {
      if (body?.['force_refresh'] === true) this.forcedRefreshes++;
      const fault = this.tokenFaults.shift();
      if (fault) this.tokenFaultsMet.push(fault);
      if (fault === 'http_502') return badGateway();
      if (fault === 'oa_-1') return json({ errcode: -1, errmsg: 'system error' });
      return this.inner.fetch(request);
    }
    const target = this.identify(url, body);
    if (!target) return this.inner.fetch(request);
    const { channel, type } = target;
    const clientMsgId = typeof body?.['client_msg_id'] === 'string' ? body['client_msg_id'] : undefined;
    const claim = await this.claimInFlight(channel.id);
    const log = (answer: SendLog['answer']) =>
      this.sends.push({ channelId: channel.id, at: this.now(), answer, messageKey: claim.messageKey, ...(clientMsgId ? { clientMsgId } : {}) });
    if (channel.brokenAt === null && channel.script[0] === 'revoke') {
      channel.script.shift();
      this.revoke(channel);
    }
    if (channel.brokenAt !== null) {
      log('permanent');
      return permanentAnswer(type);
    }
    const next = channel.script.shift();
    const fault = next === 'pass' || next === 'lost_answer' ? undefined : next;
    if (fault !== undefined) {
      log(fault);
      if (fault === 'oa_40001_rotated') {
        // Someone else forced a refresh: the cached token is dead and the real API says 40001.
        // Two forced refreshes elsewhere: the token we hold is neither the live one nor the one
        // WeChat keeps honouring for 5 minutes after a refresh.
        this.inner.oa.tokens.rotate();
        this.inner.oa.tokens.rotate();
        this.tokenRejections++;
        return this.inner.fetch(request);
      }
      if (fault === 'oa_40001') this.tokenRejections++;
      return this.answer(fault, type);
    }
    const before = Math.max(0, ...this.inner.messages().map((m) => m.id));
    const response = await this.inner.fetch(request);
    const answer = (await response.clone().json().catch(() => null)) as Record<string, unknown> | null;
    const ok = type === 'pushplus' ? answer?.['code'] === 200 : type === 'serverchan' ? answer?.['code'] === 0 : answer?.['errcode'] === 0;
    if (!ok && type === 'oa' && answer?.['errcode'] === 40001) {
      this.tokenRejections++;
      log('oa_40001');
      return response;
    }
    log(ok ? (next === 'lost_answer' ? 'lost_answer' : 'accepted') : 'refused');
    if (ok) {
      // Other channels' sends run concurrently: find this channel's own entry.
      const delivered = this.inner.messages().find((m) => m.id > before && m.channel === type && m.to === channel.secret) ?? null;
      this.accepted.push({
        channelId: channel.id,
        type,
        at: this.now(),
        text: delivered?.text ?? '',
        alertKeys: claim.alertKeys,
        messageKey: claim.messageKey,
        markedResend: (delivered?.text ?? '').includes(RESEND_MARK),
        deduplicated: delivered === null,
      });
    }
    if (next === 'lost_answer') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    return response;
  };

  private identify(url: URL, body: Record<string, unknown> | null): { channel: StandInChannel; type: ChannelType } | null {
    const lookup = (type: ChannelType, secret: string) => {
      const channel = this.find(type, secret);
      return channel ? { channel, type } : null;
    };
    if (url.host === 'qyapi.weixin.qq.com' && url.pathname === '/cgi-bin/webhook/send') return lookup('wecom', url.searchParams.get('key') ?? '');
    if (url.pathname === '/cgi-bin/message/template/send') return lookup('oa', String(body?.['touser'] ?? ''));
    if (url.host === 'www.pushplus.plus' && url.pathname === '/send') return lookup('pushplus', String(body?.['token'] ?? ''));
    const sc = /^\/(?:send\/)?([A-Za-z0-9_-]+)\.send$/.exec(url.pathname);
    if (sc && (url.host === 'sctapi.ftqq.com' || url.host.endsWith('.push.ft07.com'))) return lookup('serverchan', sc[1]!);
    return null;
  }

  /** The channel goes bad for good: every later request gets `permanentAnswer`. */
  private revoke(channel: StandInChannel): void {
    channel.brokenAt = this.now();
    if (channel.type === 'wecom') this.inner.wecom.breakKey(channel.secret);
    if (channel.type === 'oa') void this.inner.oa.unsubscribe(channel.secret);
  }

  /** What a channel answers for `fault`, in that channel's own format. */
  private answer(fault: WechatFault, type: ChannelType): Response {
    switch (fault) {
      case 'reset':
        throw new TypeError('Network connection lost.');
      case 'timeout':
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      case 'http_502':
        return badGateway();
      case 'wecom_45009':
        return json({ errcode: 45009, errmsg: 'api freq out of limit, more than 20 per minute' });
      case 'wecom_-1':
        return json({ errcode: -1, errmsg: 'system error' });
      case 'wecom_45033':
        return json({ errcode: 45033, errmsg: 'api concurrent out of limit' });
      case 'oa_-1':
        return json({ errcode: -1, errmsg: 'system error' });
      case 'oa_45009':
        return json({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
      case 'oa_40001':
        return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      case 'serverchan_quota':
        return json({ code: 40001, message: '超过当天的发送次数限制[5]，请明天再试', data: null });
      case 'serverchan_errno':
        return json({ code: 0, message: '', data: { pushid: '', readkey: '', error: 'push channel busy', errno: 1024 } });
      case 'pushplus_900':
        return json({ code: 900, msg: '用户账号使用受限', data: null });
      case 'pushplus_999':
        return json({ code: 999, msg: '服务端验证错误', data: null });
      default:
        throw new Error(`no ${fault} answer for ${type}`);
    }
  }

  /**
   * The deliveries the relay is sending on this channel right now: one sender holds the channel's
   * lease, so the rows in `sending` claimed last are this request's batch.
   */
  private async claimInFlight(channelId: string): Promise<{ alertKeys: string[]; messageKey: string }> {
    const { results } = await this.db
      .prepare(
        `SELECT a.event_key, d.message_key FROM deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE d.channel_id = ?1 AND d.state = 'sending'
           AND d.claimed_at = (SELECT MAX(claimed_at) FROM deliveries WHERE channel_id = ?1 AND state = 'sending')`,
      )
      .bind(channelId)
      .all<{ event_key: string; message_key: string }>();
    return { alertKeys: results.map((r) => r.event_key), messageKey: results[0]?.message_key ?? '' };
  }
}

/** What a permanently bad channel answers: key deleted (93000), unfollowed (43004), key or token revoked. */
export function permanentAnswer(type: ChannelType): Response {
  switch (type) {
    case 'serverchan':
      return json({ code: 40001, message: 'bad pushtoken[SCT0000]', data: null });
    case 'pushplus':
      return json({ code: 903, msg: '无效的用户令牌', data: null });
    case 'wecom':
      return json({ errcode: 93000, errmsg: 'invalid webhook url, hint: [1732000000_1_abcdef]' });
    case 'oa':
      return json({ errcode: 43004, errmsg: 'require subscribe rid: 6567a1b2-0c1d2e3f-4a5b6c7d' });
  }
}
