import { effect } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { I18nContext } from '../../components/i18n-context.tsx';
import { preloadOnDemand } from '../../components/on-demand.ts';
import { createCacheReader, openCacheDb } from '../../lib/cache/cache-db.ts';
import { createHealthModel } from '../../lib/models/health-model.ts';
import { directSource } from '../../lib/models/health-source.ts';
import { liveTranslator } from '../../lib/platform/live-translator.ts';
import { readSettings, scopedStoreId } from '../../lib/platform/settings.ts';
import { fetchCatalog } from '../../lib/platform/translator.ts';
import { PopupApp } from './popup-app.tsx';

async function main(root: HTMLElement) {
  const local = browser.storage.local;
  const [db, i18n, settings] = await Promise.all([
    openCacheDb(),
    liveTranslator(browser.i18n, local, browser.storage.onChanged, (language) => fetchCatalog(fetch, browser.runtime.getURL, language)),
    readSettings(local),
  ]);
  const profileStoreId = scopedStoreId(settings);
  const model = createHealthModel(directSource(createCacheReader(db), local, browser.storage.onChanged, browser.runtime), () => Date.now());
  const openOptions = () => void browser.runtime.openOptionsPage();
  const App = () => (
    <I18nContext.Provider value={i18n.t.value}>
      <PopupApp model={model} language={i18n.setting.value} onLanguage={(v) => void i18n.choose(v)} openOptions={openOptions} profileStoreId={profileStoreId} />
    </I18nContext.Provider>
  );
  effect(() => {
    document.documentElement.lang = i18n.t.value.language;
    document.title = i18n.t.value('extName');
  });
  // The cached stores are in the first paint: no "loading" flash when there is a cache. A screenful
  // of them, worst first (a profile scoped to one store reads all: its store may rank anywhere);
  // the rest follow once that paint is on screen, so 500 stores paint as soon as 50 do.
  await (profileStoreId ? model.reload() : model.reloadFirstScreen()).catch(() => undefined);
  performance.mark('storewatch:cache-read');
  render(<App />, root);
  // For the first-paint benchmark (bench/extension-support/popup-paint.ts): rendered, before the frame.
  performance.mark('storewatch:rendered');
  // The other cards follow once the first screenful is on screen: when the browser reports the
  // first contentful paint (a task right after the frame's commit would still be ahead of it),
  // or a frame later if no such report comes.
  // With the first screen alone, going live (which reads every store) waits for that paint too.
  const partial = model.partial.value;
  revealAfterFirstPaint(() => {
    model.revealAll();
    if (partial) model.start();
    void preloadOnDemand().catch(() => undefined);
  });
  if (!partial) model.start();
  setInterval(model.tick, 30_000);
}

function revealAfterFirstPaint(reveal: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    setTimeout(reveal, 0);
  };
  try {
    const observer = new PerformanceObserver(() => {
      observer.disconnect();
      once();
    });
    observer.observe({ type: 'paint', buffered: true });
  } catch {
    // No paint timing here: the frame after next is late enough.
  }
  requestAnimationFrame(() => requestAnimationFrame(once));
}

const root = document.getElementById('app');
if (root) void main(root);
