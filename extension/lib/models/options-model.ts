/**
 * The options page's core state: the pairing with a relay (the token lives in the extension's own
 * IndexedDB and in this closure, never in storage.local or a signal the page renders), this browser's settings, and ERP hosts -
 * each an optional host permission asked for at the moment the person adds it.
 */
import { computed, signal } from '@preact/signals';
import { normalizeInviteCode } from '../../../shared/api/auth.ts';
import { erpMatchPattern } from '../detect/erp-hosts.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { Request } from '../platform/protocol.ts';
import {
  DEFAULT_SETTINGS,
  type EnrolmentRecord,
  type Pairing,
  type Settings,
  type StorageArea,
  normalizeRelayUrl,
  readEnrolment,
  readSettings,
  updateSettings,
} from '../platform/settings.ts';
import { credentialStore } from '../platform/credentials.ts';
import type { TokenVault } from '../platform/token-vault.ts';
import { failureCode } from '../i18n/failure-text.ts';
import { pairDevice } from '../relay/pair-device.ts';
import type { RelayClient } from '../relay/relay-client.ts';

export interface OptionsAdapter {
  local: StorageArea;
  /** The relay token's home (lib/platform/token-vault.ts). */
  vault: TokenVault;
  relayFor: (baseUrl: string, token: string | null) => RelayClient;
  /** Tells the background (pairing changed, ERP hosts changed, sync now). */
  notify: (request: Request) => Promise<unknown>;
  permissions: {
    request(p: { origins: string[] }): Promise<boolean>;
    remove(p: { origins: string[] }): Promise<boolean>;
  };
  now: () => number;
  /** Names the token in the relay's list ("Chrome on Windows"). */
  device: string;
  /** The relay a preconfigured build was made for: the pairing form starts with it. */
  presetRelayUrl?: string | null;
}

/** `reason`: a failure code (lib/i18n/failure-text.ts), worded where it is shown. */
export type Problem = { key: MessageKey; reason?: string } | null;

export function createOptionsModel(adapter: OptionsAdapter) {
  const pairing = signal<Pairing | null>(null);
  const client = signal<RelayClient | null>(null);
  const settings = signal<Settings>(DEFAULT_SETTINGS);
  const connecting = signal(false);
  const pairProblem = signal<Problem>(null);
  const erpProblem = signal<Problem>(null);
  const loaded = signal(false);
  const isOwner = computed(() => pairing.value?.role === 'owner');
  /** The preconfigured build's enrolment code, when the relay refused it in this profile. */
  const enrolment = signal<EnrolmentRecord | null>(null);
  /** This profile's token, kept in this closure only (never in a rendered signal). */
  let currentToken: string | null = null;
  /** The relay reports its encryption keys do not open what it stored (`GET /healthz`). */
  const keysProblem = signal<'mismatch' | 'missing' | null>(null);
  const credentials = credentialStore(adapter.local, adapter.vault);

  async function checkHealth(relay: RelayClient): Promise<void> {
    const health = await relay.health();
    keysProblem.value = health.ok && !health.value.ok ? (health.value.keys ?? null) : null;
  }

  async function refreshIdentity(relay: RelayClient, current: Pairing, token: string): Promise<void> {
    const me = await relay.me();
    if (!me.ok) return;
    const next: Pairing = {
      ...current,
      workspaceName: me.value.workspaceName,
      memberName: me.value.name,
      role: me.value.role,
      deviceId: me.value.deviceId ?? current.deviceId ?? null,
    };
    await credentials.save(next, token);
    pairing.value = next;
  }

  async function saveErpHosts(erpHosts: string[]): Promise<void> {
    settings.value = await updateSettings(adapter.local, { erpHosts });
    await adapter.notify({ type: 'erp-hosts' });
  }

  return {
    pairing,
    client,
    settings,
    connecting,
    pairProblem,
    erpProblem,
    loaded,
    isOwner,
    enrolment,
    presetRelayUrl: adapter.presetRelayUrl ?? null,
    keysProblem,

    async load(): Promise<void> {
      const [paired, s, enrolled] = await Promise.all([credentials.read(), readSettings(adapter.local), readEnrolment(adapter.local)]);
      settings.value = s;
      enrolment.value = enrolled?.outcome === 'refused' ? enrolled : null;
      if (paired) {
        currentToken = paired.token;
        pairing.value = paired.pairing;
        const relay = adapter.relayFor(paired.pairing.relayUrl, paired.token);
        client.value = relay;
        void refreshIdentity(relay, paired.pairing, paired.token);
        void checkHealth(relay);
      }
      loaded.value = true;
    },

    /** Relay URL + pairing code -> a token of our own (`POST /v1/pair`). */
    async connect(relayUrlInput: string, codeInput: string): Promise<boolean> {
      const relayUrl = normalizeRelayUrl(relayUrlInput);
      if (!relayUrl) {
        pairProblem.value = { key: 'optRelayUrlInvalid' };
        return false;
      }
      const code = normalizeInviteCode(codeInput);
      if (code.length < 4) {
        pairProblem.value = { key: 'optPairingCodeInvalid' };
        return false;
      }
      connecting.value = true;
      pairProblem.value = null;
      try {
        const paired = await pairDevice({ credentials, relayFor: adapter.relayFor, now: adapter.now }, relayUrl, code, adapter.device);
        if (!paired.ok) {
          pairProblem.value = { key: 'optPairFailed', reason: failureCode(paired.failure) };
          return false;
        }
        currentToken = paired.token;
        enrolment.value = null;
        const relay = adapter.relayFor(relayUrl, paired.token);
        pairing.value = paired.pairing;
        client.value = relay;
        await refreshIdentity(relay, paired.pairing, paired.token);
        void checkHealth(relay);
        await adapter.notify({ type: 'paired' });
        return true;
      } finally {
        connecting.value = false;
      }
    },

    /**
     * Revokes this profile's own token at the relay, then forgets it. Forgetting happens even when
     * the relay cannot be reached: an owner can still revoke the device from the members list.
     */
    async disconnect(): Promise<void> {
      const current = pairing.value;
      const relay = client.value;
      if (current && relay && currentToken) {
        await (current.deviceId ? relay.revokeDevice(current.deviceId) : relay.revokeCurrentToken());
      }
      currentToken = null;
      await credentials.clear();
      pairing.value = null;
      keysProblem.value = null;
      client.value = null;
      await adapter.notify({ type: 'unpaired' });
    },

    async setNotifications(on: boolean): Promise<void> {
      settings.value = await updateSettings(adapter.local, { notifications: on });
    },

    /** The store this browser profile is for (a store id, or `ALL_STORES`). */
    async setProfileStore(value: string): Promise<void> {
      settings.value = await updateSettings(adapter.local, { profileStore: value, profileStoreAuto: false });
    },

    /**
     * Must run straight from the click: Chrome grants a permission prompt only during a user
     * gesture, so the request is the first thing awaited.
     */
    async addErpHost(input: string): Promise<boolean> {
      const pattern = erpMatchPattern(input);
      if (!pattern) {
        erpProblem.value = { key: 'optErpInvalid' };
        return false;
      }
      const granted = await adapter.permissions.request({ origins: [pattern] });
      if (!granted) {
        erpProblem.value = { key: 'optErpDenied' };
        return false;
      }
      erpProblem.value = null;
      if (!settings.value.erpHosts.includes(pattern)) await saveErpHosts([...settings.value.erpHosts, pattern]);
      return true;
    },

    async removeErpHost(pattern: string): Promise<void> {
      await adapter.permissions.remove({ origins: [pattern] });
      await saveErpHosts(settings.value.erpHosts.filter((p) => p !== pattern));
    },
  };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
