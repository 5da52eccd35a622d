/**
 * LWA access tokens for report jobs: exchanged from the store's refresh token and reused, sealed in
 * D1, until a minute before they expire (an hour: docs/domain/amazon-limits.md), so a job's many
 * steps cost one token call. Without a token the answer is already a Failure for the state machine:
 * `invalid_grant` means the seller's authorization is gone.
 */
import type { Failure } from '../../shared/report-job-types.ts';
import { exchangeRefreshToken, explainLwaRefusal } from '../amazon/lwa.ts';
import { type Keyring, open, seal } from '../crypto/secrets.ts';
import { openRefreshToken } from '../db/polling.ts';
import type { Env } from '../env.ts';

const EARLY_EXPIRY_MS = 60_000;

function context(storeId: string): string {
  return `storewatch/access-token/${storeId}`;
}

export async function accessTokenFor(
  env: Pick<Env, 'DB' | 'LWA_CLIENT_ID' | 'LWA_CLIENT_SECRET'>,
  keyring: Keyring,
  storeId: string,
  fetcher: typeof fetch,
  now: number,
): Promise<{ token: string } | Failure> {
  const cached = await env.DB.prepare('SELECT ciphertext, expires_at FROM access_tokens WHERE store_id = ? AND expires_at > ?')
    .bind(storeId, now)
    .first<{ ciphertext: string }>();
  if (cached) {
    try {
      return { token: await open(keyring, JSON.parse(cached.ciphertext), context(storeId)) };
    } catch {
      // A key rotated away or a damaged row: fall through and exchange again.
    }
  }
  let refreshToken: string | null;
  try {
    refreshToken = await openRefreshToken(env.DB, keyring, storeId);
  } catch {
    // Retrying cannot fix a key that is gone; the operator must restore it (TOKEN_ENCRYPTION_KEYS).
    return { type: 'rejected', error: 'The stored refresh token cannot be decrypted: was TOKEN_ENCRYPTION_KEY replaced without keeping the old key?' };
  }
  if (!refreshToken) return { type: 'rejected', error: 'The store has no refresh token' };
  const result = await exchangeRefreshToken({ clientId: env.LWA_CLIENT_ID ?? '', clientSecret: env.LWA_CLIENT_SECRET ?? '', refreshToken }, fetcher);
  if (result.ok) {
    const sealed = await seal(keyring, result.accessToken, context(storeId));
    await env.DB.prepare('INSERT INTO access_tokens (store_id, ciphertext, expires_at) VALUES (?, ?, ?) ON CONFLICT (store_id) DO UPDATE SET ciphertext = excluded.ciphertext, expires_at = excluded.expires_at')
      .bind(storeId, JSON.stringify(sealed), now + result.expiresIn * 1000 - EARLY_EXPIRY_MS)
      .run();
    return { token: result.accessToken };
  }
  if (result.kind === 'unavailable') return { type: 'transient', error: `Login with Amazon unavailable: ${result.description}` };
  const why = explainLwaRefusal(result.error, result.description);
  // invalid_grant is the seller's side (revoked, expired); anything else is the operator's
  // configuration, which no retry fixes either - but it is not the seller's authorization lost.
  return result.error === 'invalid_grant' ? { type: 'authLost', error: why } : { type: 'rejected', error: why };
}
