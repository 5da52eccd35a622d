/**
 * Each channel's own answer, classified. A delivery is confirmed only by the channel's code, never
 * by HTTP 200 alone: WeCom answers 200 to every failure (docs/domain/wechat.md), and monitoring
 * tools that trust the status report those failures as success.
 */

export type ChannelType = 'wecom' | 'oa' | 'serverchan' | 'pushplus';

export type ChannelVerdict =
  /** The channel accepted the message. */
  | { outcome: 'sent'; code: string; messageId: string | null }
  /**
   * Try again later, not before `notBefore` when the channel says when. `operatorFault`: the relay
   * itself could not send (its keys do not open the channel's secret): not counted as an attempt.
   */
  | { outcome: 'retry'; code: string; reason: string; notBefore: number | null; operatorFault?: boolean }
  /** OA access token invalid or expired: refetch it once and resend. */
  | { outcome: 'refresh_token'; code: string; reason: string }
  /** This message can never go (our bug: bad type, too long, empty); the channel is fine. */
  | { outcome: 'rejected'; code: string; reason: string }
  /** The channel cannot deliver anything until a person fixes it; `unfollowed` = OA 43004. */
  | { outcome: 'broken'; code: string; reason: string; unfollowed: boolean };

/** What came back from one HTTP call: `status` null for a network error or timeout. */
export interface ChannelAnswer {
  status: number | null;
  /** The body parsed as JSON, or null when it was not JSON. */
  body: unknown;
}

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;

/** The next midnight in China (UTC+8, no DST): when daily quotas of Chinese services reset. */
export function nextChinaMidnight(now: number): number {
  return Math.floor((now + BEIJING) / DAY) * DAY + DAY - BEIJING;
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

/** Network failures, 5xx and 429 are transient for every channel. */
function transportVerdict(answer: ChannelAnswer): ChannelVerdict | null {
  if (answer.status === null) return { outcome: 'retry', code: 'network', reason: 'no answer (network error or timeout)', notBefore: null };
  if (answer.status >= 500 || answer.status === 429) {
    return { outcome: 'retry', code: `http_${answer.status}`, reason: `HTTP ${answer.status}`, notBefore: null };
  }
  return null;
}

function unreadable(answer: ChannelAnswer): ChannelVerdict {
  return { outcome: 'retry', code: `http_${answer.status}`, reason: `HTTP ${answer.status} without a readable answer`, notBefore: null };
}

/** WeCom group robot: `{errcode, errmsg}` (docs/domain/wechat.md#wecom-group-robot). */
export function wecomVerdict(answer: ChannelAnswer, now: number): ChannelVerdict {
  const transport = transportVerdict(answer);
  if (transport) return transport;
  const errcode = field(answer.body, 'errcode');
  if (typeof errcode !== 'number') return unreadable(answer);
  const code = String(errcode);
  const reason = `${code} ${text(field(answer.body, 'errmsg'))}`.trim();
  switch (errcode) {
    case 0:
      return { outcome: 'sent', code, messageId: null };
    case 45009: // 20 messages a minute per robot: the next minute is free again
      return { outcome: 'retry', code, reason, notBefore: Math.floor(now / 60_000) * 60_000 + 61_000 };
    case 45033:
    case -1:
      return { outcome: 'retry', code, reason, notBefore: null };
    case 93000:
      return { outcome: 'broken', code, reason: 'invalid webhook key (93000)', unfollowed: false };
    case 40008:
    case 44004:
    case 45002:
      return { outcome: 'rejected', code, reason };
    default:
      return { outcome: 'retry', code, reason, notBefore: null };
  }
}

/** WeChat Official Account API (template send, token, QR): `{errcode, errmsg, msgid?}`. */
export function oaVerdict(answer: ChannelAnswer): ChannelVerdict {
  const transport = transportVerdict(answer);
  if (transport) return transport;
  const errcode = field(answer.body, 'errcode');
  // A success answer of some OA calls (token, QR) carries no errcode at all.
  if (errcode === undefined && answer.status === 200 && answer.body !== null && typeof answer.body === 'object') {
    return { outcome: 'sent', code: '0', messageId: null };
  }
  if (typeof errcode !== 'number') return unreadable(answer);
  const code = String(errcode);
  const reason = `${code} ${text(field(answer.body, 'errmsg'))}`.trim();
  switch (errcode) {
    case 0: {
      const msgid = field(answer.body, 'msgid');
      return { outcome: 'sent', code, messageId: typeof msgid === 'number' || typeof msgid === 'string' ? String(msgid) : null };
    }
    case 40001:
    case 40014:
    case 42001:
      return { outcome: 'refresh_token', code, reason };
    case 43004:
      return { outcome: 'broken', code, reason: 'the user unfollowed the Official Account (43004)', unfollowed: true };
    case 40003:
      return { outcome: 'broken', code, reason: 'invalid openid (40003)', unfollowed: false };
    case 40037:
      return { outcome: 'broken', code, reason: 'invalid template id (40037): check WECHAT_TEMPLATE_ID', unfollowed: false };
    case 40013:
    case 40125:
      return { outcome: 'broken', code, reason: `invalid app id or secret (${code}): check WECHAT_APP_ID/WECHAT_APP_SECRET`, unfollowed: false };
    case 40164:
    case 61004:
      return {
        outcome: 'broken',
        code,
        reason: `caller IP not on the allow-list (${code}): route WECHAT_API_BASE through a fixed-IP forwarder`,
        unfollowed: false,
      };
    case 47003:
      return { outcome: 'rejected', code, reason };
    default: // 45009 (quota), -1 (busy) and anything new: later
      return { outcome: 'retry', code, reason, notBefore: null };
  }
}

/** ServerChan (sctapi and sctp keys): `{code, message, data: {pushid, errno}}`, 0 = accepted. */
export function serverChanVerdict(answer: ChannelAnswer): ChannelVerdict {
  const transport = transportVerdict(answer);
  if (transport) return transport;
  const code = field(answer.body, 'code');
  const data = field(answer.body, 'data');
  const errno = field(data, 'errno');
  if (typeof code !== 'number') {
    // The key is part of the URL path: an unknown key answers 4xx before any JSON of ours.
    if (answer.status === 401 || answer.status === 403 || answer.status === 404) {
      return { outcome: 'broken', code: `http_${answer.status}`, reason: `send key rejected (HTTP ${answer.status})`, unfollowed: false };
    }
    return unreadable(answer);
  }
  if (code === 0 && (errno === undefined || errno === 0)) {
    const pushid = field(data, 'pushid');
    return { outcome: 'sent', code: '0', messageId: typeof pushid === 'string' || typeof pushid === 'number' ? String(pushid) : null };
  }
  const shown = code !== 0 ? code : errno;
  const reason = `${String(shown)} ${text(field(answer.body, 'message')) || text(field(data, 'error'))}`.trim();
  if (answer.status === 401 || answer.status === 403 || /bad\s*(push)?token|invalid\s*send\s*key/i.test(reason)) {
    return { outcome: 'broken', code: String(shown), reason: `send key rejected: ${reason}`, unfollowed: false };
  }
  // Most likely the free tier's 5 a day: try after the quota resets rather than burn attempts.
  return { outcome: 'retry', code: String(shown), reason, notBefore: null };
}

/** PushPlus: `{code, msg, data}`, 200 = accepted; 900 over the daily quota; 903 bad token. */
export function pushPlusVerdict(answer: ChannelAnswer, now: number): ChannelVerdict {
  const transport = transportVerdict(answer);
  if (transport) return transport;
  const code = field(answer.body, 'code');
  if (typeof code !== 'number') return unreadable(answer);
  const reason = `${code} ${text(field(answer.body, 'msg'))}`.trim();
  switch (code) {
    case 200: {
      const data = field(answer.body, 'data');
      return { outcome: 'sent', code: '200', messageId: typeof data === 'string' ? data : null };
    }
    case 900:
      return { outcome: 'retry', code: '900', reason, notBefore: nextChinaMidnight(now) };
    case 903:
      return { outcome: 'broken', code: '903', reason: 'invalid PushPlus token (903)', unfollowed: false };
    default:
      return { outcome: 'retry', code: String(code), reason, notBefore: null };
  }
}

/** The verdict for any channel type. */
export function channelVerdict(type: ChannelType, answer: ChannelAnswer, now: number): ChannelVerdict {
  switch (type) {
    case 'wecom':
      return wecomVerdict(answer, now);
    case 'oa':
      return oaVerdict(answer);
    case 'serverchan':
      return serverChanVerdict(answer);
    case 'pushplus':
      return pushPlusVerdict(answer, now);
  }
}
