/**
 * Channel secrets at rest (SPEC "Accounts and security"): robot keys, SendKeys, tokens and openids
 * are stored AES-GCM encrypted under TOKEN_ENCRYPTION_KEY and opened only to send.
 *
 * TODO(lead): swap the body for the relay's shared crypto module (relay/crypto) once it lands, so
 * refresh tokens and channel secrets share one key-rotation story; the interface stays.
 */
import type { Env } from '../env.ts';

export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const VERSION = 'v1';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** A box over the 32-byte base64 key in `TOKEN_ENCRYPTION_KEY`; sealed text is `v1.<iv>.<ciphertext>`. */
export function secretBoxFromEnv(env: Pick<Env, 'TOKEN_ENCRYPTION_KEY'>): SecretBox {
  let key: Promise<CryptoKey> | null = null;
  const getKey = () => {
    if (!env.TOKEN_ENCRYPTION_KEY) throw new Error('TOKEN_ENCRYPTION_KEY is not set');
    key ??= crypto.subtle.importKey('raw', fromBase64(env.TOKEN_ENCRYPTION_KEY), 'AES-GCM', false, ['encrypt', 'decrypt']);
    return key;
  };
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await getKey(), new TextEncoder().encode(plain));
      return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
    },
    async open(sealed) {
      const [version, iv, data] = sealed.split('.');
      if (version !== VERSION || !iv || !data) throw new Error('unreadable sealed secret');
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, await getKey(), fromBase64(data));
      return new TextDecoder().decode(plain);
    },
  };
}
