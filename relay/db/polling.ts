/**
 * What the pipeline (relay/pipeline/) needs of a store that the API never gives out: its refresh
 * token in clear, for one LWA exchange. Scheduling, "last checked" and "authorization lost" are
 * written by the pipeline itself, inside its guarded step batches (relay/pipeline/consumer.ts).
 */
import { type Keyring, open, refreshTokenContext } from '../crypto/secrets.ts';

/** The store's refresh token in clear, for the LWA exchange only: never log or return it. */
export async function openRefreshToken(db: D1Database, keyring: Keyring, storeId: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT workspace_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id FROM stores WHERE id = ?')
    .bind(storeId)
    .first<{ workspace_id: string; refresh_token_ciphertext: string; refresh_token_iv: string; refresh_token_key_id: string }>();
  if (!row) return null;
  return open(keyring, { ciphertext: row.refresh_token_ciphertext, iv: row.refresh_token_iv, keyId: row.refresh_token_key_id }, refreshTokenContext(row.workspace_id, storeId));
}
