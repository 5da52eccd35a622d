// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { autoEnrol } from '../../extension/entrypoints/background/auto-enrol.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { KEYS } from '../../extension/lib/platform/settings.ts';
import { type TokenVault, indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW } from './helpers/overview-fixtures.ts';

const PRESET = { relayUrl: 'https://relay.example.com', code: 'TEAM2345' };

let vault: TokenVault;
let n = 0;

function world(answer: () => Response) {
  const relay = fakeRelay({ 'POST /v1/pair': answer });
  const deps = {
    local: fakeBrowser.storage.local,
    credentials: credentialStore(fakeBrowser.storage.local, vault),
    relayFor: (baseUrl: string, token: string | null) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
    now: () => NOW,
    device: 'Storewatch · Win32 · 3f9a',
  };
  return { relay, run: () => autoEnrol(deps, PRESET) };
}

const paired = () => json({ token: 'tok-profile', workspaceId: 'w1', memberId: 'm-team', role: 'member', deviceId: 'd-1' }, 201);

beforeEach(() => {
  fakeBrowser.reset();
  vault = indexedDbVault(`auto-enrol-vault-${++n}`);
});

describe('a preconfigured build on its first start', () => {
  it('pairs the profile with the built-in code, once', async () => {
    const { relay, run } = world(paired);
    expect(await run()).toBe('paired');
    expect(relay.calls).toEqual([expect.objectContaining({ path: '/v1/pair', body: { code: 'TEAM2345', device: 'Storewatch · Win32 · 3f9a' } })]);
    expect(await vault.read()).toBe('tok-profile');
    const stored = await fakeBrowser.storage.local.get(KEYS.pairing);
    expect(stored[KEYS.pairing]).toMatchObject({ relayUrl: 'https://relay.example.com', memberId: 'm-team', deviceId: 'd-1' });
    expect(await run()).toBe('skipped');
    expect(relay.calls).toHaveLength(1);
  });

  it('stays disconnected after the person disconnects: the code was spent in this profile', async () => {
    const { relay, run } = world(paired);
    await run();
    await credentialStore(fakeBrowser.storage.local, vault).clear();
    expect(await run()).toBe('skipped');
    expect(relay.calls).toHaveLength(1);
  });

  it('enrols again in a wiped profile (storage emptied)', async () => {
    const { relay, run } = world(paired);
    await run();
    await fakeBrowser.storage.local.clear();
    await vault.clear();
    expect(await run()).toBe('paired');
    expect(relay.calls).toHaveLength(2);
  });

  it('remembers a used-up code with the reason, for options to show, and does not try it again', async () => {
    const { relay, run } = world(() => json({ error: { code: 'invite_invalid', message: 'this pairing code was already used' } }, 400));
    expect(await run()).toBe('refused');
    expect((await fakeBrowser.storage.local.get(KEYS.enrolment))[KEYS.enrolment]).toMatchObject({ code: 'TEAM2345', outcome: 'refused', reason: 'invite_invalid' });
    expect(await vault.read()).toBeNull();
    expect(await run()).toBe('skipped');
    expect(relay.calls).toHaveLength(1);
  });

  it('tries again later when the relay cannot be reached', async () => {
    const { relay, run } = world(paired);
    relay.setDown(true);
    expect(await run()).toBe('retry-later');
    expect(await fakeBrowser.storage.local.get(KEYS.enrolment)).toEqual({});
    relay.setDown(false);
    expect(await run()).toBe('paired');
  });

  it('does nothing in a plain build or a profile already paired by hand', async () => {
    const { relay, run } = world(paired);
    expect(await autoEnrol({ local: fakeBrowser.storage.local, credentials: credentialStore(fakeBrowser.storage.local, vault), relayFor: () => createRelayClient({ baseUrl: 'x', token: null, fetch: relay.fetch }), now: () => NOW, device: 'd' }, null)).toBe('skipped');
    await credentialStore(fakeBrowser.storage.local, vault).save({ relayUrl: 'https://other.example.com', workspaceId: 'w9', workspaceName: null, memberId: 'm9', memberName: null, role: 'owner', pairedAt: 1 }, 'tok-hand');
    expect(await run()).toBe('skipped');
    expect(relay.calls).toHaveLength(0);
  });
});
