// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsApp } from '../../extension/entrypoints/options/options-app.tsx';
import { ChannelsSection } from '../../extension/entrypoints/options/channels-section.tsx';
import { StoresSection } from '../../extension/entrypoints/options/stores-section.tsx';
import { createOptionsModel } from '../../extension/lib/models/options-model.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { type Route, fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle } from './helpers/render.tsx';

let n = 0;
let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount?.();
  unmount = null;
});

const ME = () => json({ workspaceId: 'w1', workspaceName: 'Demo Sellers', memberId: 'm1', name: 'Lin', role: 'owner' });

/** The options page of a paired browser, against a relay answering `routes`. */
async function pairedOptions(routes: Record<string, Route>) {
  const relay = fakeRelay({ 'GET /v1/me': ME, 'GET /v1/stores': () => json({ stores: [] }), 'GET /v1/channels': () => json({ channels: [] }), ...routes });
  const vault = indexedDbVault(`options-safety-${++n}`);
  await credentialStore(fakeBrowser.storage.local, vault).save(
    { relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: 'Demo Sellers', memberId: 'm1', memberName: 'Lin', role: 'owner', pairedAt: NOW },
    'tok-1',
  );
  const model = createOptionsModel({
    local: fakeBrowser.storage.local,
    vault,
    relayFor: (baseUrl, token) => createRelayClient({ baseUrl, token, fetch: relay.fetch }),
    notify: async () => ({ ok: true }),
    permissions: { request: async () => true, remove: async () => true },
    now: () => NOW,
    device: 'Chrome on test',
  });
  await model.load();
  const view = mount(<OptionsApp model={model} language="en" onLanguage={() => undefined} openTab={() => undefined} onStoresChanged={() => undefined} />);
  unmount = view.unmount;
  await settle();
  return { root: view.root, relay };
}

describe('options: the relay\'s encryption keys', () => {
  it('shows a banner when /healthz says the relay\'s keys do not open its data', async () => {
    const { root } = await pairedOptions({ 'GET /healthz': () => json({ ok: false, keys: 'mismatch' }, 503) });
    const banner = root.querySelector('[role="alert"]');
    expect(banner?.textContent).toContain("The relay's encryption key does not open what it stored");
  });

  it('shows no banner when the relay is healthy', async () => {
    const { root } = await pairedOptions({ 'GET /healthz': () => json({ ok: true }) });
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('options: confirming a WeChat binding', () => {
  it('names the WeChat that scanned the code and binds it only when the person confirms', async () => {
    let state: 'scanned' | 'bound' = 'scanned';
    const relay = fakeRelay({
      'GET /v1/channels': () => json({ channels: [] }),
      'GET /v1/wechat/binding': () => json(state === 'scanned' ? { state, scannedAt: NOW, hint: '…42' } : { state, scannedAt: null, hint: '…42' }),
      'POST /v1/wechat/binding/confirm': () => {
        state = 'bound';
        return json({ state, scannedAt: null, hint: '…42' });
      },
    });
    const view = mount(<ChannelsSection relay={createRelayClient({ baseUrl: 'https://relay.test', token: 'tok-1', fetch: relay.fetch })} isOwner={false} />);
    unmount = view.unmount;
    await settle();
    expect(view.root.textContent).toContain('WeChat …42 scanned your code');
    expect(relay.calls.some((c) => c.path === '/v1/wechat/binding/confirm')).toBe(false);
    buttonNamed(view.root, 'Confirm this WeChat').click();
    await settle();
    expect(relay.calls.filter((c) => c.method === 'POST' && c.path === '/v1/wechat/binding/confirm')).toHaveLength(1);
    expect(view.root.textContent).toContain('Your WeChat …42 receives your alerts.');
  });
});

describe('options: reconnecting a store', () => {
  it('starts the consent for that very store, so the relay renews its token and no other', async () => {
    const storeId = '7d3f0a52-1c4b-4e8e-9a51-2b6c0d9e4f13';
    const relay = fakeRelay({
      'GET /v1/stores': () =>
        json({
          stores: [
            { id: storeId, name: 'Acme US', region: 'na', sellerId: 'A1SELLER', marketplaces: [{ marketplaceId: 'ATVPDKIKX0DER', countryCode: 'US' }], pollIntervalMinutes: 60, paused: false, auth: 'lost', lastCheckedAt: null, createdAt: 0 },
          ],
        }),
      'POST /v1/oauth/start': () => json({ url: 'https://relay.test/v1/oauth/begin?state=s1', expiresAt: NOW + 600_000 }),
    });
    const opened: string[] = [];
    const view = mount(
      <StoresSection relay={createRelayClient({ baseUrl: 'https://relay.test', token: 'tok-1', fetch: relay.fetch })} isOwner openTab={(url) => opened.push(url)} onStoresChanged={() => undefined} />,
    );
    unmount = view.unmount;
    await settle();
    buttonNamed(view.root, 'Reconnect with Amazon').click();
    await settle();
    expect(relay.calls.find((c) => c.path === '/v1/oauth/start')?.body).toEqual({ region: 'na', storeId });
    expect(opened).toEqual(['https://relay.test/v1/oauth/begin?state=s1']);
  });
});
