/**
 * Are the configured encryption keys the ones the stored secrets were sealed with? Checked once per
 * Worker instance, at its first request or cron tick, on the newest refresh token and the newest
 * channel secret. A mismatch (a replaced TOKEN_ENCRYPTION_KEY without the old one kept) is the
 * operator's to fix: it is logged (key ids only, never keys), `/healthz` reports it, the options
 * page shows it, and deliveries wait for it instead of marking channels broken.
 *
 * The same pass upgrades channel secrets sealed before they were bound to their channel (the v1/v2
 * forms) and records when none is left; from then on those forms never open.
 */
import type { Env } from '../env.ts';
import { type Keyring, type SecretBox, SecretUnreadable, channelSecretBinding, keyringFromEnv, open, refreshTokenContext, sealedKeyId, secretBoxFromEnv } from './secrets.ts';

export type KeyHealth =
  | { keys: 'ok' }
  /** Nothing sealed yet. */
  | { keys: 'empty' }
  | { keys: 'mismatch'; storedKeyId: string | null; configuredKeyIds: string[] }
  /** TOKEN_ENCRYPTION_KEY (or KEYS) is missing or malformed: `problem` names which, never a value. */
  | { keys: 'missing'; problem: string };

export const CHANNELS_BOUND = 'channel_secrets_bound';
/** Channel secrets upgraded per pass: one D1 batch, inside an invocation's budget. */
const UPGRADE_BATCH = 50;

async function tryOpen(run: () => Promise<string>): Promise<{ ok: true } | { ok: false; keyId: string | null }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, keyId: error instanceof SecretUnreadable ? error.keyId : null };
  }
}

/** Re-seals channel secrets of the unbound forms, bound to their channel; records when none is left. */
export async function upgradeChannelSecrets(db: D1Database, box: SecretBox, now: number): Promise<{ upgraded: number; unreadable: number }> {
  const done = await db.prepare('SELECT 1 FROM relay_state WHERE key = ?').bind(CHANNELS_BOUND).first();
  if (done) return { upgraded: 0, unreadable: 0 };
  const { results } = await db
    .prepare("SELECT id, secret FROM channels WHERE secret NOT LIKE 'v3.%' ORDER BY created_at LIMIT ?")
    .bind(UPGRADE_BATCH)
    .all<{ id: string; secret: string }>();
  const writes: D1PreparedStatement[] = [];
  let unreadable = 0;
  for (const row of results) {
    try {
      const plain = await box.openUnbound(row.secret);
      writes.push(db.prepare('UPDATE channels SET secret = ? WHERE id = ? AND secret = ?').bind(await box.seal(plain, channelSecretBinding(row.id)), row.id, row.secret));
    } catch {
      unreadable++;
    }
  }
  // Finished only when every row is upgraded: an unreadable one (the key is wrong) waits for the key.
  if (results.length < UPGRADE_BATCH && unreadable === 0) {
    writes.push(db.prepare('INSERT INTO relay_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING').bind(CHANNELS_BOUND, String(now), now));
  }
  if (writes.length > 0) await db.batch(writes);
  return { upgraded: results.length - unreadable, unreadable };
}

/** Opens the newest refresh token and channel secret with the configured keys. */
export async function checkKeys(env: Pick<Env, 'DB' | 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>): Promise<KeyHealth> {
  let keyring: Keyring;
  try {
    keyring = await keyringFromEnv(env);
  } catch (error) {
    // Our own messages (relay/crypto/secrets.ts): they name the variable, never its value.
    return { keys: 'missing', problem: error instanceof Error ? error.message : 'unreadable keys' };
  }
  const box = secretBoxFromEnv(env);
  const store = await env.DB.prepare(
    'SELECT id, workspace_id, refresh_token_ciphertext, refresh_token_iv, refresh_token_key_id FROM stores ORDER BY created_at DESC LIMIT 1',
  ).first<{ id: string; workspace_id: string; refresh_token_ciphertext: string; refresh_token_iv: string; refresh_token_key_id: string }>();
  const channel = await env.DB.prepare('SELECT id, secret FROM channels ORDER BY created_at DESC LIMIT 1').first<{ id: string; secret: string }>();
  if (!store && !channel) return { keys: 'empty' };
  const checks = [
    store
      ? tryOpen(() =>
          open(keyring, { ciphertext: store.refresh_token_ciphertext, iv: store.refresh_token_iv, keyId: store.refresh_token_key_id }, refreshTokenContext(store.workspace_id, store.id)),
        )
      : null,
    channel ? tryOpen(() => (channel.secret.startsWith('v3.') ? box.open(channel.secret, channelSecretBinding(channel.id)) : box.openUnbound(channel.secret))) : null,
  ];
  for (const [i, check] of checks.entries()) {
    const result = await check;
    if (result && !result.ok) {
      const storedKeyId = result.keyId ?? (i === 0 ? (store?.refresh_token_key_id ?? null) : sealedKeyId(channel?.secret ?? ''));
      return { keys: 'mismatch', storedKeyId, configuredKeyIds: keyring.ids };
    }
  }
  return { keys: 'ok' };
}

/** The operator's log line for a bad key state: ids and variable names only. */
export function describeKeyHealth(health: KeyHealth): string | null {
  if (health.keys === 'mismatch') {
    return `relay: keys: stored secrets were sealed with key ${health.storedKeyId ?? '(unknown id)'}, which the configured keys (${health.configuredKeyIds.join(', ')}) do not open; deliveries are held and polls fail until that key is back in TOKEN_ENCRYPTION_KEY or TOKEN_ENCRYPTION_KEYS`;
  }
  if (health.keys === 'missing') return `relay: keys: ${health.problem}`;
  return null;
}

type KeyEnv = Pick<Env, 'DB' | 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_KEYS'>;

/**
 * Per Worker instance and key configuration: the first caller looks (and logs a bad state once);
 * later callers share the answer. A new deployment (a fixed key) is a new instance, so it looks
 * again. Keyed by a hash of the key configuration, not the keys.
 */
const checked = new Map<string, Promise<KeyHealth>>();
const upgraded = new Map<string, Promise<unknown>>();

async function fingerprint(env: KeyEnv): Promise<string> {
  const text = new TextEncoder().encode(`${env.TOKEN_ENCRYPTION_KEY ?? ''}\n${env.TOKEN_ENCRYPTION_KEYS ?? ''}`);
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', text))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The key state, looked at once per instance (read-only: what `/healthz` and the app ask). */
export async function keyHealth(env: KeyEnv): Promise<KeyHealth> {
  const id = await fingerprint(env);
  let check = checked.get(id);
  if (!check) {
    check = checkKeys(env).then((health) => {
      const line = describeKeyHealth(health);
      if (line) console.error(line);
      return health;
    });
    // A failure to look (D1 unavailable) is not an answer: the next caller tries again.
    check.catch(() => checked.delete(id));
    checked.set(id, check);
  }
  return check;
}

/**
 * What the cron and the queue consumers run first: the one-time upgrade of unbound channel
 * secrets (once per instance), then the key check.
 */
export async function keysAtStart(env: KeyEnv, now: number): Promise<KeyHealth> {
  const id = await fingerprint(env);
  if (env.TOKEN_ENCRYPTION_KEY && !upgraded.has(id)) {
    const run = upgradeChannelSecrets(env.DB, secretBoxFromEnv(env), now);
    upgraded.set(id, run);
    await run.catch(() => upgraded.delete(id));
  }
  return keyHealth(env);
}
