/**
 * Reading the relay token: the background and the options page only. Kept out of settings.ts so
 * that no module a content script imports can even name it (test/extension/extension-conventions).
 */
import { KEYS, type Pairing, type StorageArea, readPairing } from './settings.ts';

export async function readCredentials(local: StorageArea): Promise<{ pairing: Pairing; token: string } | null> {
  const got = await local.get([KEYS.pairing, KEYS.token]);
  const token = got[KEYS.token];
  const pairing = await readPairing(local);
  return pairing && typeof token === 'string' && token ? { pairing, token } : null;
}
