import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { scopeProfile } from '../../extension/entrypoints/background/page-proof.ts';
import { readSettings, updateSettings } from '../../extension/lib/platform/settings.ts';

describe('scopeProfile', () => {
  beforeEach(() => fakeBrowser.reset());

  it('makes an unset profile the proven store’s, as a guess', async () => {
    const local = fakeBrowser.storage.local;
    await scopeProfile(local, 'store-a');
    expect(await readSettings(local)).toMatchObject({ profileStore: 'store-a', profileStoreAuto: true });
  });

  it('widens a guessed profile to every store when a page proves a second store', async () => {
    const local = fakeBrowser.storage.local;
    await scopeProfile(local, 'store-a');
    await scopeProfile(local, 'store-a');
    expect((await readSettings(local)).profileStore).toBe('store-a');
    await scopeProfile(local, 'store-b');
    expect(await readSettings(local)).toMatchObject({ profileStore: 'all', profileStoreAuto: true });
    await scopeProfile(local, 'store-a');
    expect((await readSettings(local)).profileStore).toBe('all');
  });

  it('never changes a store the person chose in options', async () => {
    const local = fakeBrowser.storage.local;
    await updateSettings(local, { profileStore: 'store-a', profileStoreAuto: false });
    await scopeProfile(local, 'store-b');
    expect(await readSettings(local)).toMatchObject({ profileStore: 'store-a', profileStoreAuto: false });
  });
});
