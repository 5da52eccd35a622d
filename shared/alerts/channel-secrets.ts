/**
 * What people paste as a channel's secret, normalised: a WeCom robot's key (or its whole webhook
 * URL), a ServerChan SendKey (either style), a PushPlus token. Plus the masked hint the API shows
 * instead of the secret, which it never returns.
 */

const WECOM_KEY = /^[A-Za-z0-9-]{16,64}$/;
const WECOM_URL_KEY = /^https:\/\/qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?(?:[^#]*&)?key=([A-Za-z0-9-]{16,64})(?:[&#].*)?$/;

/** The robot key from a key or a webhook URL (people often paste the whole URL); null if neither. */
export function parseWecomKey(input: string): string | null {
  const text = input.trim();
  if (WECOM_KEY.test(text)) return text;
  return WECOM_URL_KEY.exec(text)?.[1] ?? null;
}

const SENDKEY = /^[A-Za-z0-9_-]{8,128}$/;
const SENDKEY_IN_URL = /^https:\/\/(?:sctapi\.ftqq\.com|\d+\.push\.ft07\.com\/send)\/([A-Za-z0-9_-]{8,128})\.send(?:[?#].*)?$/;

/** A ServerChan SendKey from the key or the API URL copied from its SendKey page. */
export function parseServerChanKey(input: string): string | null {
  const text = input.trim();
  if (SENDKEY.test(text)) return text;
  return SENDKEY_IN_URL.exec(text)?.[1] ?? null;
}

/** Where a SendKey posts: `sctp<uid>t...` keys go to their own host (ServerChan³), others to sctapi. */
export function serverChanUrl(key: string): string {
  const uid = /^sctp(\d+)t/.exec(key)?.[1];
  return uid ? `https://${uid}.push.ft07.com/send/${key}.send` : `https://sctapi.ftqq.com/${key}.send`;
}

const PUSHPLUS_TOKEN = /^[A-Za-z0-9]{16,64}$/;

export function parsePushPlusToken(input: string): string | null {
  const text = input.trim();
  return PUSHPLUS_TOKEN.test(text) ? text : null;
}

/** "1a2b…9f0e": enough to recognise a secret, too little to use it. */
export function maskSecret(secret: string): string {
  return secret.length > 12 ? `${secret.slice(0, 4)}…${secret.slice(-4)}` : `…${secret.slice(-2)}`;
}
