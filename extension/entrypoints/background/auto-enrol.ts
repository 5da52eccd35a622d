/**
 * A preconfigured build pairs its profile by itself, once: on first start with no pairing, it
 * presents the built-in enrolment code. The outcome is remembered per code, so a profile that
 * disconnected on purpose stays disconnected, and a refused code (used up, expired) is not tried
 * again - options shows why. A wiped profile has forgotten everything, and enrols anew.
 */
import type { CredentialStore } from '../../lib/platform/credentials.ts';
import type { Preconfigured } from '../../lib/platform/preconfigured.ts';
import { type StorageArea, readEnrolment, readPairing, saveEnrolment } from '../../lib/platform/settings.ts';
import { pairDevice } from '../../lib/relay/pair-device.ts';
import { failureCode } from '../../lib/i18n/failure-text.ts';
import type { RelayClient, RelayFailure } from '../../lib/relay/relay-client.ts';

export interface AutoEnrolDeps {
  local: StorageArea;
  credentials: CredentialStore;
  relayFor: (baseUrl: string, token: string | null) => RelayClient;
  now: () => number;
  /** The label the owner sees in the members list for this profile. */
  device: string;
}

export type AutoEnrolOutcome = 'skipped' | 'paired' | 'refused' | 'retry-later';

/** No answer, the relay's trouble or its rate limit: worth another try at the next start or sync. */
function passing(failure: RelayFailure): boolean {
  return failure.kind === 'offline' || (failure.kind === 'http' && (failure.status >= 500 || failure.status === 429));
}

export async function autoEnrol(deps: AutoEnrolDeps, preset: Preconfigured | null): Promise<AutoEnrolOutcome> {
  if (!preset) return 'skipped';
  const [pairing, record] = await Promise.all([readPairing(deps.local), readEnrolment(deps.local)]);
  if (pairing || record?.code === preset.code) return 'skipped';
  const r = await pairDevice(deps, preset.relayUrl, preset.code, deps.device);
  if (r.ok) {
    await saveEnrolment(deps.local, { code: preset.code, outcome: 'paired', reason: null, at: deps.now() });
    return 'paired';
  }
  if (passing(r.failure)) return 'retry-later';
  await saveEnrolment(deps.local, { code: preset.code, outcome: 'refused', reason: failureCode(r.failure), at: deps.now() });
  return 'refused';
}
