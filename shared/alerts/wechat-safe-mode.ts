/**
 * The Official Account's encrypted ("safe") mode, the framing without the cipher. Source: WeChat's
 * message encryption technical plan (developers.weixin.qq.com, "Message encryption and decryption"
 * / 消息加解密技术方案) and Tencent's WXBizMsgCrypt sample code:
 *
 * - AESKey = base64(EncodingAESKey + "="): 43 characters -> 32 bytes; IV = its first 16 bytes.
 * - The plaintext is random(16) + msg_len (4 bytes, network order) + msg + appid, padded with
 *   PKCS#7 to a multiple of 32 bytes (not AES's 16), then AES-256-CBC, then base64: `<Encrypt>`.
 * - `msg_signature` = sha1 of token, timestamp, nonce and Encrypt sorted and joined.
 *
 * The AES-CBC step itself needs the platform's crypto, so the relay and the sandbox do it; this
 * file builds and checks the bytes around it.
 */
import { decodeUtf8 } from '../utf8.ts';

/** WeChat pads to 32-byte blocks (PKCS#7 with K = 32). */
export const SAFE_MODE_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;

/** An EncodingAESKey is 43 characters of [A-Za-z0-9]. */
export function isEncodingAesKey(text: string): boolean {
  return /^[A-Za-z0-9]{43}$/.test(text);
}

/** The string whose SHA-1 is `msg_signature`: token, timestamp, nonce and Encrypt sorted and joined. */
export function msgSignatureBase(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return [token, timestamp, nonce, encrypt].sort().join('');
}

/** random + length + message + appid, padded to 32-byte blocks: what AES-CBC then encrypts. */
export function frameMessage(random16: Uint8Array, message: Uint8Array, appId: Uint8Array): Uint8Array {
  if (random16.length !== RANDOM_BYTES) throw new Error('the random prefix must be 16 bytes');
  const bodyLength = RANDOM_BYTES + LENGTH_BYTES + message.length + appId.length;
  const pad = SAFE_MODE_BLOCK - (bodyLength % SAFE_MODE_BLOCK);
  const out = new Uint8Array(bodyLength + pad);
  out.set(random16, 0);
  new DataView(out.buffer).setUint32(RANDOM_BYTES, message.length);
  out.set(message, RANDOM_BYTES + LENGTH_BYTES);
  out.set(appId, RANDOM_BYTES + LENGTH_BYTES + message.length);
  out.fill(pad, bodyLength);
  return out;
}

export type Unframed = { ok: true; message: string; appId: string } | { ok: false; reason: string };

/** Undoes frameMessage on decrypted bytes, checking the padding, the length and both texts' UTF-8. */
export function unframeMessage(plain: Uint8Array): Unframed {
  if (plain.length === 0 || plain.length % SAFE_MODE_BLOCK !== 0) return { ok: false, reason: 'not a whole number of blocks' };
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > SAFE_MODE_BLOCK) return { ok: false, reason: 'bad padding' };
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) return { ok: false, reason: 'bad padding' };
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < RANDOM_BYTES + LENGTH_BYTES) return { ok: false, reason: 'too short' };
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(RANDOM_BYTES);
  const start = RANDOM_BYTES + LENGTH_BYTES;
  if (length > body.length - start) return { ok: false, reason: 'message length past the end' };
  const message = decodeUtf8(body.subarray(start, start + length));
  const appId = decodeUtf8(body.subarray(start + length));
  if (!message.ok || !appId.ok) return { ok: false, reason: 'not UTF-8' };
  return { ok: true, message: message.text, appId: appId.text };
}

/**
 * The `<Encrypt>` of a safe-mode body (`<xml><ToUserName>..</ToUserName><Encrypt>..</Encrypt></xml>`),
 * or null. Base64 only: anything else in it is refused before any crypto runs.
 */
export function encryptedField(body: string): string | null {
  const m = /<Encrypt>(?:<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>|([A-Za-z0-9+/=]+))<\/Encrypt>/.exec(body);
  return m ? (m[1] ?? m[2] ?? null) : null;
}
