/**
 * What WeChat sends to an Official Account's server (docs/domain/wechat.md): event XML in plaintext
 * mode, with `signature = sha1(sort([token, timestamp, nonce]).join(''))`, `timestamp` and `nonce`
 * (and the sender's `openid`) in the query. The server must answer `success` (or nothing) within
 * 5 s; WeChat retries otherwise, with the same body, which is why receivers de-duplicate on
 * FromUserName + CreateTime.
 */
import { type SafeModeKeys, encryptForCallback, encryptedXml, msgSignature } from './oa-safe-mode.ts';
import type { Random } from './prng.ts';

export interface OaEvent {
  /** The account's original id (`gh_...`). */
  toUser: string;
  openid: string;
  /** Seconds since the epoch. */
  createTime: number;
  event: 'subscribe' | 'SCAN' | 'unsubscribe';
  eventKey: string;
  ticket?: string;
}

/** Web Crypto rather than node:crypto: this also runs in workerd (the relay's tests). */
export async function wechatSignature(token: string, timestamp: string, nonce: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode([token, timestamp, nonce].sort().join('')));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const cdata = (s: string): string => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** The published layout: string fields in CDATA, CreateTime bare. */
export function eventXml(e: OaEvent): string {
  return [
    '<xml>',
    `<ToUserName>${cdata(e.toUser)}</ToUserName>`,
    `<FromUserName>${cdata(e.openid)}</FromUserName>`,
    `<CreateTime>${e.createTime}</CreateTime>`,
    `<MsgType>${cdata('event')}</MsgType>`,
    `<Event>${cdata(e.event)}</Event>`,
    `<EventKey>${cdata(e.eventKey)}</EventKey>`,
    ...(e.ticket === undefined ? [] : [`<Ticket>${cdata(e.ticket)}</Ticket>`]),
    '</xml>',
  ].join('\n');
}

export async function signedQuery(token: string, now: number, random: Random): Promise<Record<'signature' | 'timestamp' | 'nonce', string>> {
  const timestamp = String(Math.floor(now / 1000));
  const nonce = random.text(10, '0123456789');
  return { signature: await wechatSignature(token, timestamp, nonce), timestamp, nonce };
}

export interface CallbackAttempt {
  status: number | null;
  body: string;
  error?: string;
}

export interface CallbackResult {
  url: string;
  /** The event in clear, whichever mode carried it. */
  xml: string;
  /** What went over the wire: the event itself, or its encrypted envelope in safe mode. */
  body: string;
  attempts: CallbackAttempt[];
  /** What the follower's phone shows: nothing when the server said `success` or nothing. */
  accepted: boolean;
}

/** "WeChat retries three times": the first try plus up to two more, all with the same request. */
const MAX_ATTEMPTS = 3;
const REPLY_WITHIN_MS = 5000;

/** Plaintext mode posts the event as it is; safe mode (keys given) posts it encrypted. */
export async function postEvent(
  fetchFn: typeof fetch,
  callbackUrl: string,
  token: string,
  event: OaEvent,
  deps: { now: () => number; random: Random; safeMode?: SafeModeKeys | null },
): Promise<CallbackResult> {
  const url = new URL(callbackUrl);
  const query = await signedQuery(token, deps.now(), deps.random);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  url.searchParams.set('openid', event.openid);
  const xml = eventXml(event);
  let body = xml;
  if (deps.safeMode) {
    const encrypt = await encryptForCallback(deps.safeMode, xml, deps.random);
    url.searchParams.set('encrypt_type', 'aes');
    url.searchParams.set('msg_signature', await msgSignature(token, query.timestamp, query.nonce, encrypt));
    body = encryptedXml(event.toUser, encrypt);
  }
  const attempts: CallbackAttempt[] = [];
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    try {
      const res = await fetchFn(url.toString(), {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
        signal: AbortSignal.timeout(REPLY_WITHIN_MS),
      });
      const answer = await res.text();
      attempts.push({ status: res.status, body: answer });
      // Any answer ends it; only a 200 with `success` or an empty body is silent for the user.
      if (res.status === 200) return { url: url.toString(), xml, body, attempts, accepted: answer.trim() === '' || answer.trim() === 'success' };
    } catch (error) {
      attempts.push({ status: null, body: '', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { url: url.toString(), xml, body, attempts, accepted: false };
}

/** The URL check WeChat makes when the callback is configured: GET with `echostr`, echoed back. */
export async function verifyCallback(
  fetchFn: typeof fetch,
  callbackUrl: string,
  token: string,
  deps: { now: () => number; random: Random },
): Promise<{ url: string; status: number | null; body: string; ok: boolean }> {
  const url = new URL(callbackUrl);
  for (const [k, v] of Object.entries(await signedQuery(token, deps.now(), deps.random))) url.searchParams.set(k, v);
  const echostr = deps.random.text(19, '0123456789');
  url.searchParams.set('echostr', echostr);
  try {
    const res = await fetchFn(url.toString(), { signal: AbortSignal.timeout(REPLY_WITHIN_MS) });
    const body = await res.text();
    return { url: url.toString(), status: res.status, body, ok: res.status === 200 && body === echostr };
  } catch (error) {
    return { url: url.toString(), status: null, body: error instanceof Error ? error.message : String(error), ok: false };
  }
}
