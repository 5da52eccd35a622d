/**
 * The pairing and its relay token, for the background and the options page only. Kept out of
 * settings.ts so that no module a content script imports can even name it
 * (test/extension/extension-conventions). The pairing (no secret) is in `storage.local`; the token
 * is in the vault (token-vault.ts), never in `storage.local`, so no storage-change event carries it.
 */
import { KEYS, type Pairing, type StorageArea, readPairing, savePairing } from './settings.ts';
import type { TokenVault } from './token-vault.ts';

export interface Credentials {
  pairing: Pairing;
  token: string;
}

/** The key earlier versions kept the token under in `storage.local`; read once to move it. */
export const LEGACY_TOKEN_KEY = 'relayToken';

/**
 * Moves a token an earlier version left in `storage.local` into the vault and deletes it there.
 * A token already in the vault wins: it was written by this version, so it is the newer one.
 */
export async function migrateLegacyToken(local: StorageArea, vault: TokenVault): Promise<void> {
  const legacy = (await local.get(LEGACY_TOKEN_KEY))[LEGACY_TOKEN_KEY];
  if (legacy === undefined) return;
  if (typeof legacy === 'string' && legacy && (await vault.read()) === null) await vault.write(legacy);
  await local.remove(LEGACY_TOKEN_KEY);
}

export function credentialStore(local: StorageArea, vault: TokenVault) {
  return {
    async read(): Promise<Credentials | null> {
      await migrateLegacyToken(local, vault);
      const [pairing, token] = await Promise.all([readPairing(local), vault.read()]);
      return pairing && token ? { pairing, token } : null;
    },
    /** The token first: a surface that sees the new pairing can already use it. */
    async save(pairing: Pairing, token: string): Promise<void> {
      await vault.write(token);
      await savePairing(local, pairing);
    },
    async clear(): Promise<void> {
      await local.remove([KEYS.pairing, LEGACY_TOKEN_KEY]);
      await vault.clear();
    },
  };
}

export type CredentialStore = ReturnType<typeof credentialStore>;
