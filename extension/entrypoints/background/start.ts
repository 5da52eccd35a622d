/**
 * The background service worker, assembled from its parts with the platform passed in, so tests
 * run the real thing against WXT's fake browser, fake-indexeddb and a fake relay.
 * Listeners are added synchronously (MV3 wakes the worker for an event only if its listener was
 * registered in the first turn); the cache opens lazily behind them.
 */
import type { Browser, PublicPath } from 'wxt/browser';
import { type CacheDb, type SyncState, createCache } from '../../lib/cache/cache-db.ts';
import { badgeFor } from '../../lib/derive/badge.ts';
import { resolvePanelSelection } from '../../lib/derive/panel-selection.ts';
import { alertsInScope, storesInScope } from '../../lib/derive/profile-scope.ts';
import type { Translate } from '../../lib/i18n/i18n.ts';
import { credentialStore, migrateLegacyToken } from '../../lib/platform/credentials.ts';
import type { TokenVault } from '../../lib/platform/token-vault.ts';
import { badgeView } from '../../lib/panel/badge-view.ts';
import { KEYS, type StorageArea, bumpCacheVersion, readPairing, readPicks, readSettings, scopedStoreId } from '../../lib/platform/settings.ts';
import { type I18nApi, fetchCatalog, loadTranslator } from '../../lib/platform/translator.ts';
import { failureCode } from '../../lib/i18n/failure-text.ts';
import { createRelayClient } from '../../lib/relay/relay-client.ts';
import { onSyncAlarm, scheduleSync } from './alarms.ts';
import { paintBadge } from './badge.ts';
import { createHistory } from './history.ts';
import { createJobs } from './jobs.ts';
import { type Handlers, listenForRequests } from './messaging.ts';
import { elsewhereNotice, notificationTarget, notificationsFor, showNotifications } from './notifications.ts';
import { type PageBadges, type PageBadgesPlatform, createPageBadges } from './page-badges.ts';
import { createPageProof } from './page-proof.ts';
import { type PanelInjector, injectPanel } from './panel-injection.ts';
import { createSyncer } from './sync.ts';
import { autoEnrol } from './auto-enrol.ts';
import type { Preconfigured } from '../../lib/platform/preconfigured.ts';

export interface BackgroundBrowser {
  runtime: Pick<typeof Browser.runtime, 'onMessage' | 'onInstalled' | 'onStartup' | 'id'> & { getURL(path: PublicPath): string };
  storage: { local: StorageArea; onChanged: Pick<typeof Browser.storage.onChanged, 'addListener'> };
  alarms: Pick<typeof Browser.alarms, 'create' | 'clear' | 'onAlarm'>;
  action: Pick<typeof Browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;
  notifications: Pick<typeof Browser.notifications, 'create' | 'onClicked'>;
  tabs: Pick<typeof Browser.tabs, 'create' | 'query' | 'onUpdated' | 'onRemoved'>;
  i18n: I18nApi;
  /** Absent in WXT's fake browser: tests hand in one that runs the injected functions in happy-dom. */
  scripting?: PageBadgesPlatform['scripting'] & PanelInjector;
}

export interface BackgroundPlatform {
  browser: BackgroundBrowser;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  openDb: () => Promise<CacheDb>;
  /** The relay token's home (lib/platform/token-vault.ts). */
  vault: TokenVault;
  log: (...args: unknown[]) => void;
  /** A preconfigured build's relay and enrolment code (auto-enrol.ts); null in a plain build. */
  preconfigured?: Preconfigured | null;
  /** How this profile names itself when it enrols by itself. */
  deviceLabel?: string;
}

/** A sync the popup asks for on opening is skipped if one ran this recently. */
const POPUP_SYNC_MIN_GAP_MS = 30_000;

export function startBackground(p: BackgroundPlatform) {
  const { browser, now } = p;
  const local = browser.storage.local;
  const relayFor = (baseUrl: string, token: string) => createRelayClient({ baseUrl, token, fetch: p.fetch });
  const changed = () => bumpCacheVersion(local, now());
  const credentialsStore = credentialStore(local, p.vault);
  const credentials = () => credentialsStore.read();
  // An upgrade from a version that kept the token in storage.local moves it out at once, rather
  // than at the first sync: until then every content script could still read it.
  migrateLegacyToken(local, p.vault).catch(p.log);

  // Kept per language setting, which is read afresh each time: the page badges are redrawn from
  // the setting's own change event, perhaps before this worker's other listeners have run.
  let translator: { setting: string; t: Promise<Translate> } | null = null;
  const t = async () => {
    const { language } = await readSettings(local);
    if (translator?.setting !== language) {
      translator = { setting: language, t: loadTranslator(browser.i18n, language, (l) => fetchCatalog(p.fetch, browser.runtime.getURL, l)) };
    }
    return translator.t;
  };

  const services = p.openDb().then((db) => {
    const cache = createCache(db);
    // A store-scoped profile (settings.profileStore) badges and announces its own store only.
    const repaint = async () => {
      const [snap, settings] = await Promise.all([cache.snapshot(), readSettings(local)]);
      const stores = storesInScope(snap.stores, scopedStoreId(settings));
      await paintBadge(browser.action, badgeFor(stores, snap.sync, (await readPairing(local)) !== null), await t());
    };
    const onSynced = async (state: SyncState, newAlerts: Parameters<typeof notificationsFor>[0]) => {
      await scheduleSync(browser.alarms, state, now());
      await repaint();
      const settings = await readSettings(local);
      const announce = alertsInScope(newAlerts, scopedStoreId(settings));
      if (announce.length && settings.notifications) {
        const { stores } = await cache.snapshot();
        await showNotifications(browser.notifications, browser.runtime.getURL('/icon/128.png'), notificationsFor(announce, stores, await t(), now()));
      }
      await changed();
    };
    const syncer = createSyncer({ cache, credentials, relayFor, now, onSynced });
    const jobs = createJobs({ cache, credentials, relayFor, now, sleep: p.sleep, changed, syncNow: () => syncer.syncNow() });
    const history = createHistory({ cache, credentials, relayFor, now, changed });
    // A refresh the browser closed on is picked up where the relay has it, so no button sticks.
    void cache
      .snapshot()
      .then((snap) => jobs.resume(snap.jobs))
      .catch(p.log);
    return { cache, syncer, jobs, history, repaint };
  });

  const learnFromPage = createPageProof({ local, credentials, relayFor, log: p.log });

  /** What a page's badge says: computed here, so the page only draws it (page-badges.ts). */
  const pageBadgeView: PageBadgesPlatform['view'] = async (mode, detection, host) => {
    const { cache } = await services;
    const [snapshot, pairing, picks, settings, translate] = await Promise.all([cache.snapshot(), readPairing(local), readPicks(local), readSettings(local), t()]);
    const pick = picks[host] ?? null;
    const profileStoreId = scopedStoreId(settings);
    if (mode === 'seller-central' && detection && pairing) {
      learnFromPage(resolvePanelSelection(snapshot.stores, detection, pick, false, profileStoreId), detection).catch(p.log);
    }
    return badgeView({ ...snapshot, paired: pairing !== null }, mode, detection, pick, translate, now(), profileStoreId);
  };
  const scripting = browser.scripting;
  const pageBadges: PageBadges | null = scripting
    ? createPageBadges({
        scripting,
        tabs: browser.tabs,
        addedErpHosts: async () => (await readSettings(local)).erpHosts,
        view: pageBadgeView,
        setTimeout: (run, ms) => void setTimeout(run, ms),
        log: p.log,
      })
    : null;

  const handlers: Handlers = {
    snapshot: async () => {
      const { cache } = await services;
      return { ...(await cache.snapshot()), paired: (await readPairing(local)) !== null };
    },
    sync: async () => {
      const { cache, syncer } = await services;
      const state = await cache.syncState();
      if (state.lastAttemptAt === null || now() - state.lastAttemptAt > POPUP_SYNC_MIN_GAP_MS || state.status === 'unpaired') await syncer.syncNow();
      return { ok: true };
    },
    refresh: async ({ storeId }) => {
      const { jobs, syncer } = await services;
      const result = await jobs.refresh(storeId);
      // A refresh the relay never answered says more about the connection than the last sync:
      // sync now so the offline state (and its backoff) shows at once.
      if (!result.ok) await syncer.syncNow();
      return result;
    },
    ack: async ({ alertId }) => {
      const { cache } = await services;
      const paired = await credentials();
      if (!paired) return { ok: false, error: 'not_paired' };
      const r = await relayFor(paired.pairing.relayUrl, paired.token).ack(alertId);
      if (!r.ok) return { ok: false, error: failureCode(r.failure) };
      await cache.mergeAlerts([r.value.alert]);
      await changed();
      return { ok: true };
    },
    history: async ({ storeId, marketplaceId }) => (await (await services).history.forMarketplace(storeId, marketplaceId)).series,
    catalog: ({ language }) => fetchCatalog(p.fetch, browser.runtime.getURL, language),
    paired: async () => {
      const { cache, syncer } = await services;
      // A new pairing may be another workspace: nothing of the old one may show under it.
      await cache.clearAll();
      await syncer.syncNow();
      return { ok: true };
    },
    unpaired: async () => {
      const { cache, syncer } = await services;
      await cache.clearAll();
      await syncer.syncNow();
      return { ok: true };
    },
    'open-panel': async (_request, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined || !browser.scripting) return { ok: false, error: 'no tab' };
      await injectPanel(browser.scripting, tabId, sender.frameId ?? 0);
      return { ok: true };
    },
    'erp-hosts': async () => {
      // A host just granted may already be open in a tab.
      await pageBadges?.showAll(true);
      return { ok: true };
    },
  };

  // One enrolment at a time: start-up, install and the sync alarm may all ask at once.
  let enrolling: Promise<void> | null = null;
  const enrol = (): Promise<void> => {
    enrolling ??= autoEnrol({ local, credentials: credentialsStore, relayFor: (url, token) => createRelayClient({ baseUrl: url, token, fetch: p.fetch }), now, device: p.deviceLabel ?? 'Storewatch' }, p.preconfigured ?? null)
      .then(async (outcome) => {
        if (outcome === 'paired') await handlers.paired({ type: 'paired' }, {});
      })
      .finally(() => {
        enrolling = null;
      });
    return enrolling;
  };
  const syncNow = () => {
    enrol()
      .then(() => services)
      .then((s) => s.syncer.syncNow())
      .catch(p.log);
  };
  listenForRequests(browser.runtime, handlers, p.log);
  onSyncAlarm(browser.alarms, syncNow);
  const wake = () => {
    syncNow();
    // Tabs that were open before this install or start-up get their badge too.
    pageBadges?.showAll(true).catch(p.log);
  };
  browser.runtime.onInstalled.addListener(wake);
  browser.runtime.onStartup.addListener(wake);
  browser.notifications.onClicked.addListener((id) => {
    services
      .then(async ({ cache }) => {
        const [{ alerts, stores }, settings] = await Promise.all([cache.snapshot(), readSettings(local)]);
        const target = notificationTarget(id, alerts, scopedStoreId(settings));
        if (target?.kind === 'open') await browser.tabs.create({ url: target.url });
        // Another store's Seller Central never opens in a store's own profile: say where instead.
        if (target?.kind === 'elsewhere') await showNotifications(browser.notifications, browser.runtime.getURL('/icon/128.png'), [elsewhereNotice(target.storeId, stores, await t())]);
      })
      .catch(p.log);
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local') return;
    if (KEYS.settings in changes) services.then((s) => s.repaint()).catch(p.log);
    // Whatever a badge shows may have changed: the data, the words, the pairing or a pick.
    if (KEYS.settings in changes || KEYS.cacheVersion in changes || KEYS.picks in changes || KEYS.pairing in changes) pageBadges?.showAll(false).catch(p.log);
  });
  if (pageBadges) {
    browser.tabs.onUpdated.addListener((tabId, change, tab) => void pageBadges.onTabUpdated(tabId, change, tab));
    browser.tabs.onRemoved.addListener((tabId) => pageBadges.onTabRemoved(tabId));
  }

  return { services, handlers, pageBadges };
}
