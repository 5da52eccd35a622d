/**
 * The badge in the corner of Seller Central and ERP pages. It costs every page load something,
 * so the page runs as little as possible: no content-script file, no listener, no timer and no
 * extension API until the person clicks. The background injects `drawBadge` with the answer it
 * computed (background/page-badges.ts) once the tab has loaded, and again whenever the answer
 * changes. Text only, in a closed shadow root; it never throws into the page.
 * (bench/extension.ts: a declared content script that asked the background and listened for
 * changes cost a page about 2.5 ms more than this.)
 */
import type { BadgeView } from './badge-view.ts';
import type { PanelHandoff, PanelMode } from './handoff.ts';

/**
 * Each rule here costs every page load, so there are few (bench/extension.ts):
 * - the page's own typeface (Seller Central's, or the ERP's Chinese one): a font of our own made
 *   the page resolve a new font each time, about 1 ms (a bolder weight of the page's would too);
 * - no `all: initial` (it sets every property there is, about 1 ms with a shadow) and no shadow
 *   blur: a button's user-agent style already resets what a page's text styles would pass down
 *   (spacing, transform, indent, shadow), and the rest is set below.
 */
export const BADGE_STYLE = `button{font-family:inherit;font-size:12px;line-height:1;white-space:nowrap;visibility:visible;border:0;border-radius:16px;padding:8px 12px;margin:0;cursor:pointer;color:#fff;background:#5f6368}
.breach{background:#c5221f}.warn{background:#b06000}.ok{background:#137333}
button:focus-visible{outline:2px solid #fff;outline-offset:-4px}`;

export type DrawResult = 'drawn' | 'updated' | 'panel-open';

/**
 * Runs in the page (scripting.executeScript serializes the function alone): it may use only its
 * parameters and the page's globals (`chrome` is the isolated world's), never anything else of
 * this module. `handoffKey` is handoff.ts's HANDOFF_KEY.
 */
export function drawBadge(view: BadgeView, mode: PanelMode, style: string, handoffKey: string): DrawResult {
  const scope = globalThis as unknown as Record<symbol, PanelHandoff | undefined>;
  const key = Symbol.for(handoffKey);
  const existing = scope[key];
  if (existing?.panelMounted) return 'panel-open';
  if (existing) {
    existing.redraw(view);
    return 'updated';
  }
  // A badge left by an earlier install of the extension (its world is gone): one badge only.
  for (const old of document.querySelectorAll('storewatch-badge')) old.remove();
  const host = document.createElement('storewatch-badge');
  host.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;';
  const shadow = host.attachShadow({ mode: 'closed' });
  const sheet = document.createElement('style');
  sheet.textContent = style;
  const button = document.createElement('button');
  button.type = 'button';
  shadow.append(sheet, button);
  const redraw = (next: BadgeView) => {
    button.className = next.level;
    button.textContent = next.text;
    button.title = next.title;
  };
  redraw(view);
  button.addEventListener('click', () => {
    const fail = (error: unknown) => {
      button.title = String(error);
    };
    try {
      // The isolated world's extension API; first touched here, so a page load never pays for it.
      const { runtime } = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string } | undefined> } } }).chrome;
      runtime
        .sendMessage({ type: 'open-panel' })
        .then((r) => {
          if (r && !r.ok) fail(r.error);
        })
        .catch(fail);
    } catch (error) {
      // The extension was updated or removed under this page: nothing left to open.
      fail(error);
      host.remove();
    }
  });
  scope[key] = { mode, panelMounted: false, removeBadge: () => host.remove(), redraw };
  (document.body ?? document.documentElement).append(host);
  return 'drawn';
}
