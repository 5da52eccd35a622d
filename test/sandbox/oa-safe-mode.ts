/**
 * The Official Account's encrypted ("safe") mode as WeChat sends it, written apart from the relay's
 * reader so each checks the other. Source: WeChat's message encryption technical plan
 * (developers.weixin.qq.com, 消息加解密技术方案) and Tencent's WXBizMsgCrypt sample:
 * AESKey = base64(EncodingAESKey + "="), IV = its first 16 bytes; plaintext = random(16) +
 * msg_len (4 bytes, big-endian) + msg + appid, PKCS#7-padded to 32-byte blocks, AES-256-CBC, base64.
 * The URL carries `encrypt_type=aes` and `msg_signature = sha1(sort([token, timestamp, nonce,
 * Encrypt]).join(''))` besides the usual `signature`, and the body holds only ToUserName and Encrypt.
 * Web Crypto only: this also runs in workerd (the relay's tests).
 */
import type { Random } from './prng.ts';

export interface SafeModeKeys {
  /** 43 characters, as set in the account's server configuration. */
  encodingAesKey: string;
  appId: string;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `<Encrypt>` text of one message. */
export async function encryptForCallback(keys: SafeModeKeys, xml: string, random: Random): Promise<string> {
  const aesKey = fromBase64(`${keys.encodingAesKey}=`);
  const message = new TextEncoder().encode(xml);
  const appId = new TextEncoder().encode(keys.appId);
  const prefix = new TextEncoder().encode(random.text(16));
  const length = 16 + 4 + message.length + appId.length;
  const pad = 32 - (length % 32);
  const plain = new Uint8Array(length + pad);
  plain.set(prefix, 0);
  new DataView(plain.buffer).setUint32(16, message.length);
  plain.set(message, 20);
  plain.set(appId, 20 + message.length);
  plain.fill(pad, length);
  const key = await crypto.subtle.importKey('raw', aesKey, 'AES-CBC', false, ['encrypt']);
  // Web Crypto always adds its own 16-byte padding; the data is already whole blocks, so that is
  // one extra block at the end, dropped here.
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: aesKey.slice(0, 16) }, key, plain));
  return toBase64(sealed.subarray(0, plain.length));
}

/** The body WeChat posts in safe mode. */
export function encryptedXml(toUser: string, encrypt: string): string {
  return `<xml>\n<ToUserName><![CDATA[${toUser}]]></ToUserName>\n<Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`;
}

export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): Promise<string> {
  return sha1Hex([token, timestamp, nonce, encrypt].sort().join(''));
}
