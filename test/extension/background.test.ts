// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type BackgroundBrowser, startBackground } from '../../extension/entrypoints/background/start.ts';
import { SYNC_ALARM } from '../../extension/entrypoints/background/alarms.ts';
import { openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { credentialStore } from '../../extension/lib/platform/credentials.ts';
import { ALL_STORES, KEYS, readSettings, updateSettings } from '../../extension/lib/platform/settings.ts';
import { indexedDbVault } from '../../extension/lib/platform/token-vault.ts';
import en from '../../extension/public/_locales/en/messages.json';
import { fakeRelay, json } from './helpers/fake-relay.ts';
import { fakeTabs, settle } from './helpers/fake-tabs.ts';
import { DE, NOW, US, alert, threeStores } from './helpers/overview-fixtures.ts';

let n = 0;
const catalog: Record<string, { message: string }> = en;

const PAIRING = { relayUrl: 'https://relay.test', workspaceId: 'w1', workspaceName: null, memberId: 'm1', memberName: null, role: 'owner', pairedAt: NOW } as const;

async function background(options: { paired?: boolean; jobStates?: string[]; tabs?: ReturnType<typeof fakeTabs>; legacyToken?: string } = {}) {
  fakeBrowser.reset();
  const vault = indexedDbVault(`background-vault-${++n}`);
  if (options.legacyToken) {
    // What an earlier version left behind: the pairing and its token side by side in storage.local.
    await fakeBrowser.storage.local.set({ pairing: PAIRING, relayToken: options.legacyToken });
  } else if (options.paired ?? true) {
    await credentialStore(fakeBrowser.storage.local, vault).save(PAIRING, 'tok-1');
  }
  let alerts = [alert('old', NOW - 3_600_000)];
  const states = [...(options.jobStates ?? ['queued', 'requesting', 'waiting', 'downloading', 'done'])];
  const relay = fakeRelay({
    'GET /v1/overview': () => json({ stores: threeStores() }, 200, { etag: '"v1"' }),
    'GET /v1/alerts': () => json({ alerts, cursor: null }),
    'POST /v1/alerts/new/ack': () => json({ alert: { ...alert('new', NOW), acknowledgedAt: NOW } }),
    'POST /v1/stores/s-warn/refresh': () => json({ jobId: 'j1' }, 202),
    'POST /v1/stores/s-breach/merchant-ids': () => new Response(null, { status: 204 }),
    'POST /v1/refresh': () => json({ jobs: [{ storeId: 's-warn', jobId: 'j1' }, { storeId: 's-ok', jobId: null, error: 'refreshed moments ago' }] }, 202),
    'GET /v1/jobs/j1': () => {
      const state = states.length > 1 ? states.shift()! : states[0]!;
      return json({ id: 'j1', storeId: 's-warn', state, error: state === 'failed' ? 'QUOTA_EXCEEDED' : null, startedAt: NOW, finishedAt: null });
    },
  });
  const browser = {
    ...fakeBrowser,
    i18n: { getMessage: (key: string) => catalog[key]?.message ?? '' },
    ...(options.tabs ? { tabs: options.tabs.tabs, scripting: options.tabs.scripting } : {}),
  } as unknown as BackgroundBrowser;
  const bg = startBackground({
    browser,
    fetch: relay.fetch,
    now: () => NOW,
    sleep: async () => undefined,
    openDb: () => openCacheDb(`background-test-${++n}`),
    vault,
    log: () => undefined,
  });
  return {
    ...bg,
    vault,
    relay,
    setAlerts(next: typeof alerts) {
      alerts = next;
    },
  };
}

describe('background', () => {
  beforeEach(() => fakeBrowser.reset());

  it('paints the badge with the number of stores at risk, red for a breach, after a sync', async () => {
    const bg = await background();
    await bg.handlers.sync({ type: 'sync' }, {});
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([217, 48, 37, 255]);
  });

  it('aims the sync alarm at the next attempt the policy chose', async () => {
    const bg = await background();
    await bg.handlers.sync({ type: 'sync' }, {});
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    expect(alarm?.scheduledTime).toBeGreaterThan(NOW);
  });

  it('gives content scripts the cached overview without touching the relay again', async () => {
    const bg = await background();
    await bg.handlers.sync({ type: 'sync' }, {});
    const calls = bg.relay.calls.length;
    const snapshot = await bg.handlers.snapshot({ type: 'snapshot' }, {});
    expect(snapshot.paired).toBe(true);
    expect(snapshot.stores.map((s) => s.id)).toEqual(['s-ok', 's-breach', 's-warn']);
    expect(bg.relay.calls).toHaveLength(calls);
  });

  it('draws the badge into Seller Central and ERP tabs from the cache, and redraws it when the words change', async () => {
    const world = fakeTabs();
    const bg = await background({ tabs: world });
    await bg.handlers.sync({ type: 'sync' }, {});
    const calls = bg.relay.calls.length;
    await world.update({ id: 1, url: 'https://www.dianxiaomi.com/order', status: 'complete' }, { status: 'complete' });
    expect(world.drawn(1).at(-1)?.args[0]).toEqual({ level: 'breach', text: '2 of 3 stores need attention', title: expect.any(String) });
    // The page only reads; the background judges: the switcher says Cedar Outdoor's German marketplace.
    const url = 'https://sellercentral-europe.amazon.com/home';
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    document.body.innerHTML = '<div class="dropdown-account-switcher-header-label">Cedar Outdoor | Germany</div>';
    await world.update({ id: 2, url, status: 'complete' }, { status: 'complete' });
    expect(world.drawn(2).at(-1)?.args[0]).toMatchObject({ level: 'breach', text: 'DE · Breach', title: expect.stringContaining('Cedar Outdoor') });
    expect(bg.relay.calls).toHaveLength(calls);
    // Forgetting the pairing (options) reaches the badges already in pages.
    await fakeBrowser.storage.local.remove(KEYS.pairing);
    await settle();
    expect(world.drawn(1).at(-1)?.args[0]).toMatchObject({ level: 'unknown', text: 'Storewatch ?' });
    expect(world.drawn(2).at(-1)?.args[0]).toMatchObject({ level: 'unknown', text: 'Storewatch ?' });
  });

  it('raises a desktop notification for an alert that arrives after the first sync, but not for old ones', async () => {
    const bg = await background();
    await bg.handlers.sync({ type: 'sync' }, {});
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions())).toEqual([]);
    bg.setAlerts([alert('new', NOW), alert('old', NOW - 3_600_000)]);
    await (await bg.services).syncer.syncNow();
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions())).toEqual(['alert:new']);
  });

  it('stays quiet when the person turned desktop notifications off', async () => {
    const bg = await background();
    await updateSettings(fakeBrowser.storage.local, { notifications: false });
    await bg.handlers.sync({ type: 'sync' }, {});
    bg.setAlerts([alert('new', NOW), alert('old', NOW - 3_600_000)]);
    await (await bg.services).syncer.syncNow();
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions())).toEqual([]);
  });

  it("in a profile for one store, counts that store only on the toolbar badge and announces that store's alerts only", async () => {
    const bg = await background();
    await updateSettings(fakeBrowser.storage.local, { profileStore: 's-ok' });
    await bg.handlers.sync({ type: 'sync' }, {});
    // Two of the three stores are at risk, but not this profile's.
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    bg.setAlerts([alert('theirs', NOW), alert('mine', NOW, { storeId: 's-ok', marketplaceId: US }), alert('old', NOW - 3_600_000)]);
    await (await bg.services).syncer.syncNow();
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions())).toEqual(['alert:mine']);
  });

  it("never opens another store's Seller Central from a notification in a store's profile: it says where to open it", async () => {
    const bg = await background();
    await bg.handlers.sync({ type: 'sync' }, {});
    bg.setAlerts([alert('theirs', NOW), alert('old', NOW - 3_600_000)]);
    await (await bg.services).syncer.syncNow();
    await updateSettings(fakeBrowser.storage.local, { profileStore: 's-ok' });
    const opened = vi.spyOn(fakeBrowser.tabs, 'create');
    await fakeBrowser.notifications.onClicked.trigger('alert:theirs');
    await settle();
    expect(opened).not.toHaveBeenCalled();
    expect(fakeBrowser.notifications.getAllCreateOptions()['notice:elsewhere:s-breach']).toMatchObject({ title: 'Cedar Outdoor', message: "Open it in that store's own browser profile" });
  });

  it('records the merchant id of a page that proved its store, once, and gives a fresh profile that store', async () => {
    const world = fakeTabs();
    const bg = await background({ tabs: world });
    await bg.handlers.sync({ type: 'sync' }, {});
    const url = `https://sellercentral-europe.amazon.com/home?mons_sel_mkid=amzn1.mp.o.${DE}&mons_sel_mcid=amzn1.merchant.o.AAGBKF49IVH4X&stck=EU`;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    document.body.innerHTML =
      '<div class="dropdown-account-switcher-header-label"><span class="dropdown-account-switcher-header-label-global">CEDAR outdoor</span><span class="dropdown-account-switcher-header-label-regional">Germany</span></div>';
    await world.update({ id: 3, url, status: 'complete' }, { status: 'complete' });
    await world.update({ id: 4, url, status: 'complete' }, { status: 'complete' });
    await settle();
    const recorded = bg.relay.calls.filter((c) => c.path.endsWith('/merchant-ids'));
    expect(recorded).toEqual([expect.objectContaining({ method: 'POST', path: '/v1/stores/s-breach/merchant-ids', body: { merchantId: 'AAGBKF49IVH4X' } })]);
    expect((await readSettings(fakeBrowser.storage.local)).profileStore).toBe('s-breach');
    expect(world.drawn(4).at(-1)?.args[0]).toMatchObject({ text: 'DE · Breach' });
  });

  it('leaves a profile the person set to all stores as it is when a page proves a store', async () => {
    const world = fakeTabs();
    const bg = await background({ tabs: world });
    await updateSettings(fakeBrowser.storage.local, { profileStore: ALL_STORES });
    await bg.handlers.sync({ type: 'sync' }, {});
    const url = `https://sellercentral-europe.amazon.com/home?mons_sel_mkid=amzn1.mp.o.${DE}`;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    document.body.innerHTML = '<span class="dropdown-account-switcher-header-label-global">Cedar Outdoor</span>';
    await world.update({ id: 5, url, status: 'complete' }, { status: 'complete' });
    await settle();
    expect((await readSettings(fakeBrowser.storage.local)).profileStore).toBe(ALL_STORES);
  });

  it('follows a store refresh through every job state to done, then syncs the new numbers', async () => {
    const bg = await background();
    const seen: string[] = [];
    const { cache, jobs } = await bg.services;
    const save = cache.saveJob.bind(cache);
    vi.spyOn(cache, 'saveJob').mockImplementation(async (job) => {
      seen.push(job.state);
      await save(job);
    });
    expect(await bg.handlers.refresh({ type: 'refresh', storeId: 's-warn' }, {})).toEqual({ ok: true });
    await jobs.settled();
    expect(seen).toEqual(['starting', 'queued', 'requesting', 'waiting', 'downloading', 'done']);
    expect(bg.relay.calls.at(-2)?.path).toBe('/v1/overview');
  });

  it('keeps the reason a refresh failed for the popup to show', async () => {
    const bg = await background({ jobStates: ['queued', 'failed'] });
    await bg.handlers.refresh({ type: 'refresh', storeId: 's-warn' }, {});
    const { cache, jobs } = await bg.services;
    await jobs.settled();
    const job = (await cache.snapshot()).jobs.find((j) => j.storeId === 's-warn');
    expect(job).toMatchObject({ state: 'failed', error: 'QUOTA_EXCEEDED' });
  });

  it('acknowledges an alert at the relay and stores the acknowledged copy', async () => {
    const bg = await background();
    bg.setAlerts([alert('new', NOW)]);
    await bg.handlers.sync({ type: 'sync' }, {});
    expect(await bg.handlers.ack({ type: 'ack', alertId: 'new' }, {})).toEqual({ ok: true });
    const { cache } = await bg.services;
    expect((await cache.snapshot()).alerts.find((a) => a.id === 'new')?.acknowledgedAt).toBe(NOW);
  });

  it('refreshes all stores, and marks a store the relay would not start as not started (worded by each surface)', async () => {
    const bg = await background();
    expect(await bg.handlers.refresh({ type: 'refresh', storeId: null }, {})).toEqual({ ok: true });
    const { cache, jobs } = await bg.services;
    await jobs.settled();
    const byStore = new Map((await cache.snapshot()).jobs.map((j) => [j.storeId, j]));
    expect(byStore.get('s-warn')?.state).toBe('done');
    expect(byStore.get('s-ok')).toMatchObject({ state: 'failed', error: 'not_started' });
    expect(byStore.has('*')).toBe(false);
  });

  it('refuses to refresh or acknowledge before pairing', async () => {
    const bg = await background({ paired: false });
    expect(await bg.handlers.refresh({ type: 'refresh', storeId: null }, {})).toEqual({ ok: false, error: 'not_paired' });
    expect(await bg.handlers.ack({ type: 'ack', alertId: 'x' }, {})).toEqual({ ok: false, error: 'not_paired' });
    expect(bg.relay.calls).toHaveLength(0);
  });

  it('moves a token an earlier version kept in storage.local into its own IndexedDB on start, and deletes it there', async () => {
    const bg = await background({ legacyToken: 'tok-legacy' });
    await settle();
    expect(await fakeBrowser.storage.local.get('relayToken')).toEqual({});
    expect(await bg.vault.read()).toBe('tok-legacy');
    await bg.handlers.sync({ type: 'sync' }, {});
    expect(bg.relay.calls[0]?.headers.authorization).toBe('Bearer tok-legacy');
  });

  it('keeps the token out of storage.local and out of every storage change event while it syncs', async () => {
    const bg = await background();
    const events: unknown[] = [];
    fakeBrowser.storage.onChanged.addListener((changes) => void events.push(changes));
    await bg.handlers.sync({ type: 'sync' }, {});
    await bg.handlers.refresh({ type: 'refresh', storeId: 's-warn' }, {});
    await (await bg.services).jobs.settled();
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('tok-1');
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('tok-1');
  });
});
