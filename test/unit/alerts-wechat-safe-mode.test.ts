import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptedField, frameMessage, isEncodingAesKey, msgSignatureBase, unframeMessage } from '../../shared/alerts/wechat-safe-mode.ts';

/**
 * Tencent's own example from its WXBizMsgCrypt sample code (Sample.cs / Sample.cpp of the message
 * encryption download): token, EncodingAESKey, appid, the query and the encrypted body.
 */
const SAMPLE = {
  token: 'QDG6eK',
  appId: 'wx5823bf96d3bd56c7',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  body:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt></xml>',
};

const aesKey = (encodingAesKey: string) => Buffer.from(`${encodingAesKey}=`, 'base64');

function decryptRaw(encodingAesKey: string, encrypt: string): Uint8Array {
  const key = aesKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]));
}

function encryptRaw(encodingAesKey: string, framed: Uint8Array): string {
  const key = aesKey(encodingAesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(framed), cipher.final()]).toString('base64');
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('WeChat safe mode framing', () => {
  it('reads Tencent\'s published example: its msg_signature, its message and its appid', () => {
    const encrypt = encryptedField(SAMPLE.body)!;
    expect(createHash('sha1').update(msgSignatureBase(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, encrypt)).digest('hex')).toBe(SAMPLE.msgSignature);
    const plain = decryptRaw(SAMPLE.encodingAesKey, encrypt);
    // The pad is 30 bytes: more than a 16-byte block, which is why AES's own padding rule cannot read it.
    expect(plain.at(-1)).toBe(30);
    const opened = unframeMessage(plain);
    expect(opened).toMatchObject({ ok: true, appId: SAMPLE.appId });
    expect(opened.ok && opened.message).toContain('<Content><![CDATA[hello]]></Content>');
  });

  it('frames a message so that it reads back, padding to 32-byte blocks (a full block of 32 when it already fits)', () => {
    const random = new Uint8Array(16).fill(7);
    for (const size of [0, 1, 12, 31, 32, 33, 500]) {
      const message = '店'.repeat(size);
      const framed = frameMessage(random, bytes(message), bytes('wx-sandbox'));
      expect(framed.length % 32).toBe(0);
      const pad = framed.at(-1)!;
      expect(pad).toBe(32 - ((16 + 4 + bytes(message).length + 10) % 32));
      expect(unframeMessage(framed)).toEqual({ ok: true, message, appId: 'wx-sandbox' });
    }
    const exact = frameMessage(random, new Uint8Array(2), bytes('wx-sandbox'));
    expect(exact.length).toBe(64);
    expect(exact.at(-1)).toBe(32);
  });

  it('round-trips through real AES-256-CBC with the EncodingAESKey', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    expect(isEncodingAesKey(key)).toBe(true);
    const encrypt = encryptRaw(key, frameMessage(new Uint8Array(16), bytes('<xml><Event>subscribe</Event></xml>'), bytes('wx1')));
    expect(unframeMessage(decryptRaw(key, encrypt))).toEqual({ ok: true, message: '<xml><Event>subscribe</Event></xml>', appId: 'wx1' });
  });

  it('refuses broken padding, a length past the end, a partial block and bytes that are not UTF-8', () => {
    const good = frameMessage(new Uint8Array(16), bytes('<xml/>'), bytes('wx1'));
    const badPad = good.slice();
    badPad[badPad.length - 2] = 0;
    expect(unframeMessage(badPad)).toEqual({ ok: false, reason: 'bad padding' });
    const zeroPad = good.slice();
    zeroPad[zeroPad.length - 1] = 0;
    expect(unframeMessage(zeroPad)).toEqual({ ok: false, reason: 'bad padding' });
    const longLength = good.slice();
    new DataView(longLength.buffer).setUint32(16, 10_000);
    expect(unframeMessage(longLength)).toEqual({ ok: false, reason: 'message length past the end' });
    expect(unframeMessage(good.subarray(0, 31))).toEqual({ ok: false, reason: 'not a whole number of blocks' });
    const notUtf8 = frameMessage(new Uint8Array(16), new Uint8Array([0xff, 0xfe]), bytes('wx1'));
    expect(unframeMessage(notUtf8)).toEqual({ ok: false, reason: 'not UTF-8' });
  });

  it('takes the Encrypt field only when it is base64, and tells a 43-character key from anything else', () => {
    expect(encryptedField('<xml><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>')).toBe('abc+/=');
    expect(encryptedField('<xml><Encrypt>abc</Encrypt></xml>')).toBe('abc');
    expect(encryptedField('<xml><Encrypt><![CDATA[<x>]]></Encrypt></xml>')).toBeNull();
    expect(encryptedField('<xml><FromUserName>o1</FromUserName></xml>')).toBeNull();
    expect(isEncodingAesKey('short')).toBe(false);
    expect(isEncodingAesKey(`${'a'.repeat(42)}=`)).toBe(false);
  });
});
