/**
 * Trading a relay URL and a pairing (enrolment) code for this profile's own token, kept in
 * extension storage: the options form and the preconfigured build's first start both go here.
 */
import { normalizeInviteCode } from '../../../shared/api/auth.ts';
import type { CredentialStore } from '../platform/credentials.ts';
import type { Pairing } from '../platform/settings.ts';
import { type RelayClient, type RelayFailure } from './relay-client.ts';

export type PairOutcome = { ok: true; pairing: Pairing; token: string } | { ok: false; failure: RelayFailure };

export async function pairDevice(
  deps: { credentials: CredentialStore; relayFor: (baseUrl: string, token: string | null) => RelayClient; now: () => number },
  relayUrl: string,
  codeInput: string,
  device: string,
): Promise<PairOutcome> {
  const paired = await deps.relayFor(relayUrl, null).pair(normalizeInviteCode(codeInput), device);
  if (!paired.ok) return paired;
  const { token, workspaceId, memberId, role, deviceId } = paired.value;
  const pairing: Pairing = { relayUrl, workspaceId, memberId, role, workspaceName: null, memberName: null, pairedAt: deps.now(), deviceId: deviceId ?? null };
  await deps.credentials.save(pairing, token);
  return { ok: true, pairing, token };
}
