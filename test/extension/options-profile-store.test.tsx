import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ProfileStoreField } from '../../extension/entrypoints/options/profile-section.tsx';
import { createOptionsModel } from '../../extension/lib/models/options-model.ts';
import { ALL_STORES, readSettings, updateSettings } from '../../extension/lib/platform/settings.ts';
import { createRelayClient } from '../../extension/lib/relay/relay-client.ts';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { NOW } from './helpers/overview-fixtures.ts';
import { mount, settle } from './helpers/render.tsx';

const storeView = (id: string, name: string) => ({
  id,
  name,
  region: 'na',
  sellerId: null,
  marketplaces: [{ marketplaceId: 'ATVPDKIKX0DER', countryCode: 'US' }],
  pollIntervalMinutes: 60,
  paused: false,
  auth: 'ok',
  lastCheckedAt: null,
  createdAt: 0,
});

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function field() {
  const relay = fakeRelay({ 'GET /v1/stores': () => json({ stores: [storeView('a03', 'A03-美国'), storeView('b07', 'B07-美国')] }) });
  const client = createRelayClient({ baseUrl: 'https://relay.test', token: 'tok', fetch: relay.fetch });
  const model = createOptionsModel({
    local: fakeBrowser.storage.local,
    // Not paired here: the token's home stays empty.
    vault: { read: async () => null, write: async () => undefined, clear: async () => undefined },
    relayFor: () => client,
    notify: async () => ({ ok: true }),
    permissions: { request: async () => true, remove: async () => true },
    now: () => NOW,
    device: 'Chrome on test',
  });
  await model.load();
  const view = mount(<ProfileStoreField model={model} relay={client} />);
  unmount = view.unmount;
  await settle();
  return { root: view.root, select: () => view.root.querySelector<HTMLSelectElement>('#profile-store')! };
}

describe('options: this browser profile is for store ...', () => {
  it('offers every store and "All stores", showing the store a page already set', async () => {
    await updateSettings(fakeBrowser.storage.local, { profileStore: 'b07' });
    const { root, select } = await field();
    expect([...select().options].map((o) => o.textContent)).toEqual(['All stores', 'A03-美国', 'B07-美国']);
    expect(select().value).toBe('b07');
    expect(root.querySelector('label[for="profile-store"]')?.textContent).toBe('This browser profile is for store');
  });

  it('keeps the choice in this browser, "All stores" included', async () => {
    const { select } = await field();
    expect(select().value).toBe(ALL_STORES);
    select().value = 'a03';
    select().dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect((await readSettings(fakeBrowser.storage.local)).profileStore).toBe('a03');
    select().value = ALL_STORES;
    select().dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect((await readSettings(fakeBrowser.storage.local)).profileStore).toBe(ALL_STORES);
  });
});
