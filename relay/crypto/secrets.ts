/**
 * Secrets at rest (docs/operations.md#keys): sellers' refresh tokens and channel secrets are
 * AES-256-GCM encrypted with WebCrypto under `TOKEN_ENCRYPTION_KEY` (base64 of 32 bytes).
 *
 * Rotation: each ciphertext records the id of its key (first 8 hex of the key's SHA-256). After a
 * rotation, the old key goes into `TOKEN_ENCRYPTION_KEYS` (a JSON list of base64 keys; the older
 * `{keyId: base64}` form is read too) so old rows still open; new seals always use the current key.
 * Every id is computed from the key's own bytes: a typed id is ignored, so a wrong one cannot file
 * a key under the wrong name.
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
  /** Every configured key's id, the current one first (ids are not secret: a hash prefix). */
  ids: string[];
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

/** Why a sealed value did not open: its key is not configured, or the data or its binding differ. */
export class SecretUnreadable extends Error {
  readonly keyId: string | null;
  constructor(message: string, keyId: string | null) {
    super(message);
    this.name = 'SecretUnreadable';
    this.keyId = keyId;
  }
}

/** The key values of TOKEN_ENCRYPTION_KEYS: a JSON list, or the older object (its ids are not used). */
function olderKeyValues(json: string): unknown[] {
  let older: unknown;
  try {
    older = JSON.parse(json);
  } catch {
    // Not the parser's message: it quotes the text, and the text is keys.
    throw new Error('TOKEN_ENCRYPTION_KEYS is not JSON (["<base64 key>", ...])');
  }
  if (Array.isArray(older)) return older;
  if (older && typeof older === 'object') return Object.values(older);
  throw new Error('TOKEN_ENCRYPTION_KEYS must be a JSON list of base64 keys');
}

/** Reads the current key and any older ones from the environment. Throws when none is set. */
export async function keyringFromEnv(env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>): Promise<Keyring> {
  if (!env.TOKEN_ENCRYPTION_KEY) throw new Error('TOKEN_ENCRYPTION_KEY is not set');
  const currentRaw = checkedKeyBytes('TOKEN_ENCRYPTION_KEY', env.TOKEN_ENCRYPTION_KEY);
  const currentId = await keyIdOf(currentRaw);
  const raws = new Map<string, Uint8Array<ArrayBuffer>>([[currentId, currentRaw]]);
  if (env.TOKEN_ENCRYPTION_KEYS) {
    const values = olderKeyValues(env.TOKEN_ENCRYPTION_KEYS);
    for (const [i, value] of values.entries()) {
      if (typeof value !== 'string') throw new Error(`TOKEN_ENCRYPTION_KEYS entry ${i + 1} is not a base64 string`);
      const raw = checkedKeyBytes(`TOKEN_ENCRYPTION_KEYS entry ${i + 1}`, value);
      raws.set(await keyIdOf(raw), raw);
    }
  }
  const imported = new Map<string, Promise<CryptoKey>>();
  return {
    currentId,
    ids: [...raws.keys()],
    key(id) {
      const raw = raws.get(id);
      if (!raw) return Promise.reject(new SecretUnreadable(`no configured encryption key has id ${id}`, id));
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

/** Decrypts; throws SecretUnreadable when the key is unknown, the data was changed or `context` differs. */
export async function open(keyring: Keyring, sealed: Sealed, context: string): Promise<string> {
  const key = await keyring.key(sealed.keyId);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: new TextEncoder().encode(context) },
      key,
      fromBase64(sealed.ciphertext),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new SecretUnreadable(`a secret sealed under key ${sealed.keyId} did not open (changed data or another row's)`, sealed.keyId);
  }
}

/** What a store's refresh token is bound to. */
export function refreshTokenContext(workspaceId: string, storeId: string): string {
  return `storewatch/refresh-token/${workspaceId}/${storeId}`;
}

/**
 * One-string form for columns that hold a whole sealed secret: `v3.<keyId>.<iv>.<ciphertext>`,
 * bound to what it belongs to (a channel's id, the Official Account's app id), so a secret copied
 * onto another row does not open there.
 */
export interface SecretBox {
  seal(plain: string, boundTo: string): Promise<string>;
  open(sealed: string, boundTo: string): Promise<string>;
  /**
   * Reads the forms from before secrets were bound to their row - `v2.<keyId>.<iv>.<data>` (one
   * context for every channel) and `v1.<iv>.<data>` (current key, no context) - for the one-time
   * upgrade of old rows only (relay/crypto/key-check.ts); `open` refuses them.
   */
  openUnbound(sealed: string): Promise<string>;
}

const BOX_CONTEXT = 'storewatch/sealed';
const V2_CHANNEL_CONTEXT = 'storewatch/channel-secret';

/** What a channel's secret is bound to: its own channel id. */
export function channelSecretBinding(channelId: string): string {
  return `channel/${channelId}`;
}

/** The sealed form's key id, or null for the v1 form (which has none) or anything unreadable. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return (parts[0] === 'v3' || parts[0] === 'v2') && parts.length === 4 ? (parts[1] ?? null) : null;
}

export function secretBoxFromEnv(env: Pick<Env, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>): SecretBox {
  let keyring: Promise<Keyring> | null = null;
  const ring = () => (keyring ??= keyringFromEnv(env));
  return {
    async seal(plain, boundTo) {
      const s = await seal(await ring(), plain, `${BOX_CONTEXT}/${boundTo}`);
      return `v3.${s.keyId}.${s.iv}.${s.ciphertext}`;
    },
    async open(text, boundTo) {
      const parts = text.split('.');
      if (parts[0] !== 'v3' || parts.length !== 4) throw new SecretUnreadable('not a bound sealed secret (v3)', null);
      return open(await ring(), { keyId: parts[1]!, iv: parts[2]!, ciphertext: parts[3]! }, `${BOX_CONTEXT}/${boundTo}`);
    },
    async openUnbound(text) {
      const parts = text.split('.');
      const k = await ring();
      if (parts[0] === 'v2' && parts.length === 4) return open(k, { keyId: parts[1]!, iv: parts[2]!, ciphertext: parts[3]! }, V2_CHANNEL_CONTEXT);
      if (parts[0] === 'v1' && parts.length === 3) {
        try {
          const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(parts[1]!) }, await k.key(k.currentId), fromBase64(parts[2]!));
          return new TextDecoder().decode(plain);
        } catch {
          throw new SecretUnreadable('a v1 secret did not open with the current key', null);
        }
      }
      throw new SecretUnreadable('not a sealed secret', null);
    },
  };
}
