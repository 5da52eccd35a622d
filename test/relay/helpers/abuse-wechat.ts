/**
 * What WeChat sends the callback, built independently of relay/routes/wechat.ts: the signature is
 * sha1 of token, timestamp and nonce sorted and joined (docs/domain/wechat.md), and events are flat
 * XML with CDATA fields.
 */

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

let nonces = 0;

/** The query string of a callback signed with `token` at `timestampS` (seconds); a fresh nonce unless given, as WeChat sends. */
export async function signedQuery(token: string, timestampS: number | string, nonce = `n0nce${++nonces}`): Promise<string> {
  const timestamp = String(timestampS);
  const signature = await sha1Hex([token, timestamp, nonce].sort().join(''));
  return new URLSearchParams({ signature, timestamp, nonce }).toString();
}

export function subscribeXml(openid: string, eventKey: string, createTimeS: number, event = 'subscribe'): string {
  return `<xml><ToUserName><![CDATA[gh_storewatch]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTimeS}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey></xml>`;
}
