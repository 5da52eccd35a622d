/** API tokens, pairing codes and the setup secret: made at random, kept as hashes, compared safely. */
import { INVITE_ALPHABET, INVITE_LENGTH } from '../../shared/api/auth.ts';
import { randomToken, sha256Hex } from '../crypto/encoding.ts';

/** `sw_` + 32 random bytes base64url: the prefix lets secret scanners and people recognise it. */
export function newApiToken(): string {
  return `sw_${randomToken(32)}`;
}

/** What D1 keeps of a token, a code or an OAuth state: its SHA-256 (they are high-entropy). */
export function hashSecret(value: string): Promise<string> {
  return sha256Hex(value);
}

/** 8 characters of a 31-letter alphabet (~40 bits), drawn without modulo bias. */
export function newInviteCode(): string {
  const out: string[] = [];
  while (out.length < INVITE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(16))) {
      // 248 = 8 * 31: bytes at or above it would favour the first letters.
      if (b < 248 && out.length < INVITE_LENGTH) out.push(INVITE_ALPHABET[b % INVITE_ALPHABET.length]!);
    }
  }
  return out.join('');
}

/**
 * Compares two secrets in time that does not depend on where they differ: both are hashed first,
 * so the inputs are 32 bytes whatever the lengths, then every byte is compared without an early exit.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [ha, hb] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const x = new Uint8Array(ha);
  const y = new Uint8Array(hb);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}
