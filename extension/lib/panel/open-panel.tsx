/**
 * The full panel (Preact), injected by the background when the person opens the badge - most page
 * loads never need it, so the page pays for the small badge script only. Its DOM and CSS live in a
 * shadow root (WXT's shadow-root UI), so neither the page's styles nor ours cross over, and it
 * never throws into the page: every step is guarded and rendering sits behind an error boundary.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { I18nContext } from '../../components/i18n-context.tsx';
import { PanelApp } from '../../components/panel/panel-app.tsx';
import panelCss from '../../components/panel/panel.css?inline';
import { type Detection, detectMarketplace } from '../detect/detect-marketplace.ts';
import { createHealthModel } from '../models/health-model.ts';
import { messageSource } from '../models/health-source.ts';
import { createPanelModel } from '../models/panel-model.ts';
import { liveTranslator } from '../platform/live-translator.ts';
import { ask } from '../platform/protocol.ts';
import { readPicks, readSettings, savePick, scopedStoreId } from '../platform/settings.ts';
import { getHandoff } from './handoff.ts';
import { readDock, reserveSpace, saveDock } from './panel-dock.ts';

const warn = (error: unknown) => console.warn('[storewatch]', error);

export async function openPanel(): Promise<void> {
  const handoff = getHandoff(globalThis);
  if (!handoff || handoff.panelMounted) return;
  handoff.panelMounted = true;
  const mode = handoff.mode;
  const ctx = new ContentScriptContext('storewatch-panel');
  const local = browser.storage.local;
  const host = location.hostname;
  const i18n = await liveTranslator(browser.i18n, local, browser.storage.onChanged, (language) => ask(browser.runtime, { type: 'catalog', language }));
  const health = createHealthModel(messageSource(browser.runtime, browser.storage.onChanged), () => Date.now());
  const none: Detection = { marketplaceId: null, candidates: [], source: 'none', storeName: null, merchantId: null };
  const panel = createPanelModel(health, {
    mode,
    detect: () => {
      try {
        return mode === 'seller-central' ? detectMarketplace(location, document) : none;
      } catch (error) {
        warn(error);
        return none;
      }
    },
    picks: {
      load: async () => (await readPicks(local))[host] ?? null,
      save: (pick) => savePick(local, host, pick),
    },
    docks: {
      load: () => readDock(local, host),
      save: (side) => saveDock(local, host, side),
    },
    profileStoreId: async () => scopedStoreId(await readSettings(local)),
    // ERPs name the store of a store-level page in its title or main heading, if anywhere.
    pageTexts: () => [document.title, document.querySelector('h1')?.textContent ?? ''].map((text) => text.slice(0, 300)),
  });
  const stop = await panel.start();
  // Open, the panel is a side sheet the page is narrowed for; collapsed, the page has its width back.
  const stopDock = effect(() => reserveSpace(document.documentElement, panel.expanded.value ? panel.dock.value : null));
  const ui = await createShadowRootUi(ctx, {
    name: 'storewatch-panel',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    css: panelCss,
    // Page scripts cannot read a closed root: on a third-party ERP page the panel lists every store.
    mode: 'closed',
    // Keys typed into our fields must not trigger the page's shortcuts.
    isolateEvents: true,
    onMount(container) {
      const App = () => (
        <ErrorBoundary onError={warn}>
          <I18nContext.Provider value={i18n.t.value}>
            <PanelApp panel={panel} />
          </I18nContext.Provider>
        </ErrorBoundary>
      );
      render(<App />, container);
      return container;
    },
    onRemove(container) {
      stopDock();
      reserveSpace(document.documentElement, null);
      stop();
      if (container) render(null, container);
    },
  });
  ui.mount();
  handoff.removeBadge();
  panel.toggle();
  ctx.setInterval(health.tick, 30_000);
  if (mode === 'seller-central') ctx.addEventListener(window, 'wxt:locationchange', () => panel.redetect());
}
