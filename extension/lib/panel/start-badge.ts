/**
 * The content script proper: a small badge in the corner of Seller Central and ERP pages, kept
 * deliberately light (no Preact) because it runs on every page load. It waits for document_idle
 * and then for an idle moment, draws into a closed shadow root with text only, and never throws
 * into the page. Opening it asks the background to inject the full panel (panel.tsx).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { type Detection, detectMarketplace } from '../detect/detect-marketplace.ts';
import { ask } from '../platform/protocol.ts';
import { KEYS } from '../platform/settings.ts';
import { type PanelMode, setHandoff } from './handoff.ts';

const warn = (error: unknown) => console.warn('[storewatch]', error);

/** Seller Central renders its switcher late; look again a little after start. */
const REDETECT_AFTER_MS = [2_000, 6_000];

const CSS = `:host{all:initial}
button{font:600 12px/1 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;border:0;border-radius:16px;padding:8px 12px;cursor:pointer;color:#fff;background:#5f6368;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.breach{background:#c5221f}.warn{background:#b06000}.ok{background:#137333}
button:focus-visible{outline:2px solid #fff;outline-offset:-4px}`;

export function startBadge(ctx: ContentScriptContext, mode: PanelMode): void {
  ctx.requestIdleCallback(() => void mountBadge(ctx, mode).catch(warn), { timeout: 4_000 });
}

async function mountBadge(ctx: ContentScriptContext, mode: PanelMode): Promise<void> {
  const host = document.createElement('storewatch-badge');
  host.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;';
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const button = document.createElement('button');
  button.type = 'button';
  shadow.append(style, button);

  let detection: Detection | null = null;
  /** The detection the badge shows, to tell whether a later look found anything new. */
  let detected = '';
  const update = async () => {
    try {
      detection = mode === 'seller-central' ? detectMarketplace(location, document) : null;
      detected = JSON.stringify(detection);
      // The background reads the cache, the words and the rules: the page only draws the answer.
      const view = await ask(browser.runtime, { type: 'badge', mode, detection, host: location.hostname });
      button.className = view.level;
      button.textContent = view.text;
      button.title = view.title;
    } catch (error) {
      warn(error);
    }
  };
  button.addEventListener('click', () => {
    ask(browser.runtime, { type: 'open-panel' })
      .then((r) => {
        if (!r.ok) button.title = r.error;
      })
      .catch(warn);
  });

  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area !== 'local') return;
    if (KEYS.settings in changes || KEYS.cacheVersion in changes || KEYS.picks in changes || KEYS.pairing in changes) void update();
  };
  browser.storage.onChanged.addListener(onChanged);
  const remove = () => {
    browser.storage.onChanged.removeListener(onChanged);
    host.remove();
  };
  setHandoff(globalThis, { mode, panelMounted: false, removeBadge: remove });
  ctx.onInvalidated(remove);

  await update();
  (document.body ?? document.documentElement).append(host);
  if (mode === 'seller-central') {
    ctx.addEventListener(window, 'wxt:locationchange', () => void update());
    // Asking the background again costs the page a message and its reply: only when the page now
    // says something else (most pages show their marketplace from the start).
    const redetect = () => {
      if (JSON.stringify(detectMarketplace(location, document)) !== detected) void update();
    };
    for (const ms of REDETECT_AFTER_MS) ctx.setTimeout(redetect, ms);
  }
}
