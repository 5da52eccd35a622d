/**
 * What the background learns from a Seller Central page that proved its store (Amazon's store name
 * on the switcher, or a merchant id the relay already knows): a merchant id the relay does not know
 * yet for that store is recorded there (`POST /v1/stores/:id/merchant-ids`), so every other profile
 * of every member finds the store from the address alone; and a browser profile not yet set to a
 * store becomes that store's profile (settings.profileStore, changeable in options).
 */
import type { Detection } from '../../lib/detect/detect-marketplace.ts';
import { type PanelSelection, provenStore } from '../../lib/derive/panel-selection.ts';
import type { Credentials } from '../../lib/platform/credentials.ts';
import { ALL_STORES, type StorageArea, readSettings, updateSettings } from '../../lib/platform/settings.ts';
import { type RelayClient, describeFailure } from '../../lib/relay/relay-client.ts';

export interface PageProofPlatform {
  local: StorageArea;
  /** The pairing and its token (lib/platform/credentials.ts); null when not paired. */
  credentials: () => Promise<Credentials | null>;
  relayFor: (baseUrl: string, token: string) => Pick<RelayClient, 'recordMerchantId'>;
  log: (...args: unknown[]) => void;
}

export function createPageProof(p: PageProofPlatform) {
  /** `store merchant` pairs sent (or being sent) by this worker: each is recorded once. */
  const recorded = new Set<string>();

  return async function learn(selection: PanelSelection | null, detection: Detection | null): Promise<void> {
    const proven = provenStore(selection, detection);
    if (!proven) return;
    // Claimed before any await: a page drawn twice in a row must not send the id twice.
    const key = proven.newMerchantId ? `${proven.storeId} ${proven.newMerchantId}` : null;
    const record = key !== null && !recorded.has(key);
    if (key && record) recorded.add(key);
    await scopeProfile(p.local, proven.storeId);
    if (!key || !record || !proven.newMerchantId) return;
    const credentials = await p.credentials();
    if (!credentials) {
      recorded.delete(key);
      return;
    }
    const r = await p.relayFor(credentials.pairing.relayUrl, credentials.token).recordMerchantId(proven.storeId, proven.newMerchantId);
    if (r.ok) return;
    // Offline: a later page tries again. A refusal (a malformed id, a store gone) is not repeated.
    if (r.failure.kind === 'offline') recorded.delete(key);
    p.log('merchant id not recorded:', describeFailure(r.failure));
  };
}

/**
 * A profile not yet set becomes the proven store's; a guess that meets a second store was wrong
 * (an ordinary browser visiting several stores), so it widens to every store. A choice the person
 * made in options is never changed.
 */
export async function scopeProfile(local: StorageArea, storeId: string): Promise<void> {
  const settings = await readSettings(local);
  if (settings.profileStore === null) await updateSettings(local, { profileStore: storeId, profileStoreAuto: true });
  else if (settings.profileStoreAuto && settings.profileStore !== ALL_STORES && settings.profileStore !== storeId) {
    await updateSettings(local, { profileStore: ALL_STORES, profileStoreAuto: true });
  }
}
