/**
 * The Official Account callback body, read defensively. It arrives from the internet, so before
 * any signature is trusted it is treated as hostile: bounded size, no DTD or entity declarations
 * (no XXE - there is no XML parser to trick, only a scanner), no processing instructions, and only
 * the few flat fields a QR binding needs (docs/domain/wechat.md).
 */

export const CALLBACK_MAX_BYTES = 8 * 1024;

const FIELDS = ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'EventKey', 'Ticket'] as const;
export type CallbackField = (typeof FIELDS)[number];
export type CallbackFields = Partial<Record<CallbackField, string>>;

const MAX_VALUE = 256;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export type ParsedCallback = { ok: true; fields: CallbackFields } | { ok: false; reason: string };

/** Reads the flat `<xml><Field>value</Field>...</xml>` WeChat posts; anything else is refused. */
export function parseCallbackXml(body: string): ParsedCallback {
  if (body.length > CALLBACK_MAX_BYTES) return { ok: false, reason: 'too large' };
  const text = body.replace(/^\uFEFF?\s*(<\?xml[^?]*\?>)?\s*/, '').trimEnd();
  if (/<!(?!\[CDATA\[)/.test(text)) return { ok: false, reason: 'declarations are not accepted' };
  if (text.includes('<?')) return { ok: false, reason: 'processing instructions are not accepted' };
  const root = /^<xml>([\s\S]*)<\/xml>$/.exec(text);
  if (!root) return { ok: false, reason: 'not a WeChat callback' };
  const fields: CallbackFields = {};
  for (const name of FIELDS) {
    const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(root[1]!);
    if (!m) continue;
    const value = m[1] ?? (m[2] ?? '').replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
    if (value.length > MAX_VALUE) return { ok: false, reason: `${name} too long` };
    fields[name] = value.trim();
  }
  return { ok: true, fields };
}

/** The string whose SHA-1 is the signature: token, timestamp and nonce sorted and joined. */
export function signatureBase(token: string, timestamp: string, nonce: string): string {
  return [token, timestamp, nonce].sort().join('');
}

const SCENE = /^[A-Za-z0-9_-]{1,64}$/;

export type CallbackAction =
  | { type: 'bind'; openid: string; scene: string; createTime: string }
  | { type: 'unfollow'; openid: string; createTime: string }
  | { type: 'ignore' };

/**
 * What a (signature-verified) callback asks of us: scanning our QR binds (`subscribe` with
 * `qrscene_<scene>` for a new follower, `SCAN` with `<scene>` for an existing one); `unsubscribe`
 * disables. Everything else is acknowledged and ignored.
 */
export function callbackAction(f: CallbackFields): CallbackAction {
  const openid = f.FromUserName ?? '';
  const createTime = f.CreateTime ?? '';
  if (f.MsgType !== 'event' || !openid || !/^\d{1,12}$/.test(createTime)) return { type: 'ignore' };
  const key = f.EventKey ?? '';
  if (f.Event === 'subscribe' && key.startsWith('qrscene_')) {
    const scene = key.slice('qrscene_'.length);
    return SCENE.test(scene) ? { type: 'bind', openid, scene, createTime } : { type: 'ignore' };
  }
  if (f.Event === 'SCAN') return SCENE.test(key) ? { type: 'bind', openid, scene: key, createTime } : { type: 'ignore' };
  if (f.Event === 'unsubscribe') return { type: 'unfollow', openid, createTime };
  return { type: 'ignore' };
}
