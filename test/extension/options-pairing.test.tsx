// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RelaySection } from '../../extension/entrypoints/options/relay-section.tsx';
import { type OptionsAdapter, createOptionsModel } from '../../extension/lib/models/options-model.ts';
import { KEYS } from '../../extension/lib/platform/settings.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle } from './helpers/render.tsx';

function setup() {
  const relay = fakeRelay({
    'POST /v1/pair': (r) =>
      (r.body as { code?: string }).code === 'K7M2Q9XH'
        ? json({ token: 'tok-new', workspaceId: 'w1', memberId: 'm1', role: 'owner', deviceId: 'dev-1' })
        : json({ error: { code: 'invite_invalid', message: 'unknown or expired pairing code' } }, 400),
    'GET /v1/me': () => json({ workspaceId: 'w1', workspaceName: 'Demo Sellers', memberId: 'm1', name: 'Lin', role: 'owner' }),
    'DELETE /v1/devices/dev-1': () => new Response(null, { status: 204 }),
  });
  const notify = vi.fn<OptionsAdapter['notify']>(async () => ({ ok: true }));
  const vault = indexedDbVault(`options-vault-${++n}`);
  const model = createOptionsModel({
    local: fakeBrowser.storage.local,
    vault,
    relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
    notify,
    permissions: { request: async () => true, remove: async () => true },
    now: () => NOW,
    device: 'Chrome on test',
  });
  const view = mount(<RelaySection model={model} />);
  unmount = view.unmount;
  return { relay, notify, model, vault, root: view.root };
}

let n = 0;

/** Types into a labelled field the way a person does: the label names the input. */
function fill(root: HTMLElement, label: string, value: string): void {
  const forId = [...root.querySelectorAll('label')].find((l) => l.textContent === label)?.getAttribute('for');
  const input = forId ? root.querySelector<HTMLInputElement>(`#${forId}`) : null;
  if (!input) throw new Error(`no field labelled "${label}"`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** After Preact has re-rendered with what was typed, as it has by the time a person clicks. */
async function submit(root: HTMLElement): Promise<void> {
  await settle();
  root.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount?.();
  unmount = null;
});

describe('options: pairing', () => {
  it('shows visible English labels "Relay URL" and "Pairing code" and a "Connect" button', () => {
    const { root } = setup();
    const labels = [...root.querySelectorAll('label')].map((l) => l.textContent);
    expect(labels).toEqual(expect.arrayContaining(['Relay URL', 'Pairing code']));
    expect(buttonNamed(root, 'Connect').type).toBe('submit');
  });

  it('trades the relay URL and pairing code for a token kept in the extension\'s own IndexedDB, then tells the background', async () => {
    const { root, relay, notify, vault } = setup();
    fill(root, 'Relay URL', 'https://relay.example.com/v1/');
    fill(root, 'Pairing code', 'k7m2-q9xh');
    await submit(root);
    await settle();
    const pair = relay.calls.find((c) => c.path === '/v1/pair');
    expect(pair).toMatchObject({ method: 'POST', body: { code: 'K7M2Q9XH', device: 'Chrome on test' } });
    expect(pair?.headers.authorization).toBeUndefined();
    expect(await vault.read()).toBe('tok-new');
    const stored = await fakeBrowser.storage.local.get(KEYS.pairing);
    expect(stored[KEYS.pairing]).toMatchObject({ relayUrl: 'https://relay.example.com', workspaceName: 'Demo Sellers', memberName: 'Lin', role: 'owner' });
    expect(JSON.stringify(stored[KEYS.pairing])).not.toContain('tok-new');
    expect(notify).toHaveBeenCalledWith({ type: 'paired' });
    expect(root.textContent).toContain('Connected to Demo Sellers as Lin (owner)');
  });

  it('says why pairing failed and saves nothing when the relay refuses the code', async () => {
    const { root, notify, vault } = setup();
    fill(root, 'Relay URL', 'https://relay.example.com');
    fill(root, 'Pairing code', 'WRONG123');
    await submit(root);
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('Pairing failed: The pairing code is invalid or expired. Ask your team owner for a new one');
    expect(await vault.read()).toBeNull();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(notify).not.toHaveBeenCalled();
  });

  it('refuses plain http to another machine, so a token never crosses the network in clear text', async () => {
    const { root, relay } = setup();
    fill(root, 'Relay URL', 'http://relay.example.com');
    fill(root, 'Pairing code', 'K7M2Q9XH');
    await submit(root);
    await settle();
    expect(root.querySelector('[role="alert"]')).not.toBeNull();
    expect(relay.calls).toHaveLength(0);
  });

  it('forgets the token on disconnect and tells the background to clear the cache', async () => {
    const { root, notify, vault } = setup();
    fill(root, 'Relay URL', 'http://127.0.0.1:8787');
    fill(root, 'Pairing code', 'K7M2Q9XH');
    await submit(root);
    await settle();
    buttonNamed(root, 'Disconnect').click();
    await settle();
    expect(await fakeBrowser.storage.local.get(KEYS.pairing)).toEqual({});
    expect(await vault.read()).toBeNull();
    expect(notify).toHaveBeenLastCalledWith({ type: 'unpaired' });
    expect(root.querySelector('form')).not.toBeNull();
  });

  it('never writes the token to storage.local, so no storage change event a content script hears carries it', async () => {
    const { root } = setup();
    const events: unknown[] = [];
    fakeBrowser.storage.onChanged.addListener((changes) => void events.push(changes));
    fill(root, 'Relay URL', 'https://relay.example.com');
    fill(root, 'Pairing code', 'K7M2Q9XH');
    await submit(root);
    await settle();
    expect(root.textContent).toContain('Connected to Demo Sellers as Lin (owner)');
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('tok-new');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('tok-new');
  });

  it('opens with a token an earlier version left in storage.local, moving it into the vault', async () => {
    await fakeBrowser.storage.local.set({
      [KEYS.pairing]: { relayUrl: 'https://relay.example.com', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW },
      relayToken: 'tok-legacy',
    });
    const { model, relay, vault } = setup();
    await model.load();
    await settle();
    expect(await vault.read()).toBe('tok-legacy');
    expect(await fakeBrowser.storage.local.get('relayToken')).toEqual({});
    expect(relay.calls.find((c) => c.path === '/v1/me')?.headers.authorization).toBe('Bearer tok-legacy');
  });

  it('revokes its own device at the relay before forgetting the token on disconnect', async () => {
    const { root, relay, vault } = setup();
    fill(root, 'Relay URL', 'https://relay.example.com');
    fill(root, 'Pairing code', 'K7M2Q9XH');
    await submit(root);
    await settle();
    expect((await fakeBrowser.storage.local.get(KEYS.pairing))[KEYS.pairing]).toMatchObject({ deviceId: 'dev-1' });
    buttonNamed(root, 'Disconnect').click();
    await settle();
    const revoke = relay.calls.find((c) => c.method === 'DELETE');
    expect(revoke).toMatchObject({ path: '/v1/devices/dev-1', headers: { authorization: 'Bearer tok-new' } });
    expect(await fakeBrowser.storage.local.get(KEYS.pairing)).toEqual({});
    expect(await vault.read()).toBeNull();
  });

  it('says so when the pairing code built into this extension was refused, until another code pairs', async () => {
    await fakeBrowser.storage.local.set({ [KEYS.enrolment]: { code: 'USEDUP22', outcome: 'refused', reason: 'invite_invalid', at: NOW } });
    const { root, model } = setup();
    await model.load();
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe(
      'This extension came with a pairing code that the relay no longer accepts: The pairing code is invalid or expired. Ask your team owner for a new one',
    );
    fill(root, 'Relay URL', 'https://relay.example.com');
    fill(root, 'Pairing code', 'K7M2Q9XH');
    await submit(root);
    await settle();
    expect(root.textContent).not.toContain('no longer accepts');
  });
});
