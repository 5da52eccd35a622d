/**
 * Secrets at rest (SPEC "Accounts and security"): sellers' refresh tokens and channel secrets are
 * AES-256-GCM encrypted with WebCrypto under `TOKEN_ENCRYPTION_KEY` (base64 of 32 bytes).
 *
 * Rotation: each ciphertext records the id of its key (first 8 hex of the key's SHA-256). After a
 * rotation, the old key goes into `TOKEN_ENCRYPTION_KEYS` ({keyId: base64}) so old rows still open;
 * new seals always use the current key.
 *
 * Binding: the additional authenticated data names what a ciphertext belongs to (workspace + store
 * for a refresh token), so a ciphertext copied onto another row - another tenant's - fails to open.
 */
import type { Env } from '../env.ts';
import { fromBase64, sha256Hex, toBase64 } from './encoding.ts';

export interface Sealed {
  ciphertext: string;
  iv: string;
  keyId: string;
}

export interface Keyring {
  currentId: string;
  key(id: string): Promise<CryptoKey>;
}

function importAesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function checkedKeyBytes(name: string, base64: string): Uint8Array<ArrayBuffer> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(base64.trim());
  } catch (error) {
    throw new Error(`${name} is not base64`, { cause: error });
  }
  if (raw.length !== 32) throw new Error(`${name} must be 32 bytes (base64 of 32 random bytes)`);
  return raw;
}

/** The id stored next to each ciphertext: first 8 hex digits of SHA-256 of the raw key. */
export async function keyIdOf(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  return (await sha256Hex(raw)).slice(0, 8);
}

/** Reads the current key and any older ones from the environment. Throws when none is set. */
export async function keyringFromEnv(env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>): Promise<Keyring> {
  if (!env.TOKEN_ENCRYPTION_KEY) throw new Error('TOKEN_ENCRYPTION_KEY is not set');
  const currentRaw = checkedKeyBytes('TOKEN_ENCRYPTION_KEY', env.TOKEN_ENCRYPTION_KEY);
  const currentId = await keyIdOf(currentRaw);
  const raws = new Map<string, Uint8Array<ArrayBuffer>>([[currentId, currentRaw]]);
  if (env.TOKEN_ENCRYPTION_KEYS) {
    let older: Record<string, unknown>;
    try {
      older = JSON.parse(env.TOKEN_ENCRYPTION_KEYS) as Record<string, unknown>;
    } catch {
      // Not the parser's message: it quotes the text, and the text is keys.
      throw new Error('TOKEN_ENCRYPTION_KEYS is not JSON ({"<keyId>": "<base64 key>"})');
    }
    for (const [id, value] of Object.entries(older)) {
      if (typeof value === 'string' && !raws.has(id)) raws.set(id, checkedKeyBytes(`TOKEN_ENCRYPTION_KEYS.${id}`, value));
    }
  }
  const imported = new Map<string, Promise<CryptoKey>>();
  return {
    currentId,
    key(id) {
      const raw = raws.get(id);
      if (!raw) return Promise.reject(new Error(`no encryption key with id ${id}`));
      let key = imported.get(id);
      if (!key) imported.set(id, (key = importAesKey(raw)));
      return key;
    },
  };
}

/** Encrypts `plain` under the current key, bound to `context`. */
export async function seal(keyring: Keyring, plain: string, context: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    await keyring.key(keyring.currentId),
    new TextEncoder().encode(plain),
  );
  return { ciphertext: toBase64(new Uint8Array(data)), iv: toBase64(iv), keyId: keyring.currentId };
}

/** Decrypts; throws when the key is unknown, the data was changed or `context` differs. */
export async function open(keyring: Keyring, sealed: Sealed, context: string): Promise<string> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: new TextEncoder().encode(context) },
    await keyring.key(sealed.keyId),
    fromBase64(sealed.ciphertext),
  );
  return new TextDecoder().decode(plain);
}

/** What a store's refresh token is bound to. */
export function refreshTokenContext(workspaceId: string, storeId: string): string {
  return `storewatch/refresh-token/${workspaceId}/${storeId}`;
}

/** One-string form for columns that hold a whole sealed secret (channel secrets). */
export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const CHANNEL_CONTEXT = 'storewatch/channel-secret';

/**
 * A box for channel secrets: `v2.<keyId>.<iv>.<ciphertext>`. It still opens the `v1.<iv>.<data>`
 * form of the alerts' first box (no key id, no AAD) with the current key, so no row is stranded.
 */
export function secretBoxFromEnv(env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>): SecretBox {
  let keyring: Promise<Keyring> | null = null;
  const ring = () => (keyring ??= keyringFromEnv(env));
  return {
    async seal(plain) {
      const s = await seal(await ring(), plain, CHANNEL_CONTEXT);
      return `v2.${s.keyId}.${s.iv}.${s.ciphertext}`;
    },
    async open(text) {
      const parts = text.split('.');
      const k = await ring();
      if (parts[0] === 'v2' && parts.length === 4) {
        return open(k, { keyId: parts[1]!, iv: parts[2]!, ciphertext: parts[3]! }, CHANNEL_CONTEXT);
      }
      if (parts[0] === 'v1' && parts.length === 3) {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(parts[1]!) }, await k.key(k.currentId), fromBase64(parts[2]!));
        return new TextDecoder().decode(plain);
      }
      throw new Error('unreadable sealed secret');
    },
  };
}
