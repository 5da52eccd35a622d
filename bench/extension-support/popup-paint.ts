/**
 * The popup's first paint with a filled cache, against its baseline: an empty Preact page with the
 * popup's own stylesheet (docs/architecture.md#performance-budgets: "within 1.5x of an empty Preact
 * popup"), both served from the same copy of the built extension so both pay the same
 * extension-page costs.
 *
 * "First paint" is read two ways, because the popup draws the first screenful of store cards at
 * once and the rest a frame later (extension/lib/models/health-model.ts, FIRST_SCREEN_STORES):
 * - first contentful paint (PerformancePaintTiming): nothing is on screen before the cached stores,
 *   so this is the paint that shows them;
 * - every store in the DOM, and the frame after it (rAF then a task: the frame has been produced),
 *   the stricter reading of "first paint of 50 cached stores".
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { type TraceEvent, threadKey, topLevelTasks, trace } from './trace.ts';

/** What one popup open measured, in ms from navigation start. */
export interface PopupOpen {
  fcp: number;
  /** Main-thread CPU time from navigation to the first contentful paint (see paintWithCpu). */
  cpuToFcp: number;
  /** The extension's own mark, right after its synchronous render (extension/entrypoints/popup/main.tsx). */
  rendered: number | null;
  /** Store cards in the DOM after the first render (the cards the first paint shows). */
  storesAtFirstRender: number;
  /** When those first cards reached the DOM (observed by a MutationObserver). */
  firstInDom: number;
  allInDom: number;
  allPainted: number;
}

/** A popup the size Chrome gives one (at most 800 x 600), not the desktop tab's. */
export const POPUP_VIEWPORT = { width: 420, height: 600 };

/**
 * A copy of the build with `baseline.html` added: Preact's own ES module, a component that draws
 * the popup's header, and the popup's stylesheet. Returns the copy's directory.
 */
export function extensionWithBaseline(extensionDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'storewatch-bench-ext-'));
  cpSync(extensionDir, dir, { recursive: true });
  // The browser build of Preact (package.json exports "browser"), as the popup's bundle has it.
  const preactDir = dirname(fileURLToPath(import.meta.resolve('preact')));
  cpSync(join(preactDir, 'preact.module.js'), join(dir, 'baseline-preact.js'));
  const css = readdirSync(join(dir, 'assets')).find((f) => f.startsWith('popup-') && f.endsWith('.css'));
  if (!css) throw new Error(`no popup stylesheet in ${extensionDir}/assets`);
  writeFileSync(
    join(dir, 'baseline.js'),
    `import { h, render } from './baseline-preact.js';
render(h('div', { class: 'sw-popup' }, h('header', { class: 'sw-top' }, h('h1', null, 'Storewatch'))), document.getElementById('app'));
`,
  );
  writeFileSync(
    join(dir, 'baseline.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/assets/${css}"><script type="module" src="/baseline.js"></script></head><body><div id="app"></div></body></html>\n`,
  );
  // The popup's HTML must not have changed shape under us: the baseline copies its structure.
  if (!readFileSync(join(dir, 'popup.html'), 'utf8').includes('id="app"')) throw new Error('popup.html has no #app');
  return dir;
}

// Runs in the page before its own scripts: notes when the first cards and then every card are in
// the DOM, and the frame after. A string, because it runs in the browser, not in Node. The page is
// then read with plain evaluate calls only: Playwright's locators and waitForFunction load its own
// (large) script into the page, which would be measured with it.
const WATCH_STORES = (expected: number) => `(() => {
  let done;
  const seen = { firstCards: 0, firstInDom: null, allInDom: null, allPainted: null, done: new Promise((resolve) => (done = resolve)) };
  Object.defineProperty(globalThis, 'storewatchBench', { value: seen });
  const observer = new MutationObserver(() => {
    const cards = document.querySelectorAll('.sw-store').length;
    if (cards > 0 && seen.firstInDom === null) Object.assign(seen, { firstCards: cards, firstInDom: performance.now() });
    if (seen.allInDom !== null || cards < ${expected}) return;
    seen.allInDom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => done((seen.allPainted = performance.now())), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const read = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
        const at = read();
        if (at !== undefined) return resolve(at);
        new PerformanceObserver(() => {
          const later = read();
          if (later !== undefined) resolve(later);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => reject(new Error('no first-contentful-paint within 10 s')), 10_000);
      }),
  );
}

/**
 * Thread (CPU) time of the page's main thread until its first contentful paint, the task that
 * paints included: the work the paint waited for, which a busy neighbour on a shared machine does
 * not stretch the way it stretches the paint's wall-clock time.
 */
function cpuUntilFirstContentfulPaint(events: readonly TraceEvent[]): number {
  const paint = events.find((e) => e.name === 'firstContentfulPaint');
  if (!paint) throw new Error('no firstContentfulPaint in the trace');
  return topLevelTasks(events, threadKey(paint))
    .filter(({ task }) => task.ts <= paint.ts)
    .reduce((sum, { task }) => sum + (task.tdur ?? 0) / 1000, 0);
}

/**
 * Navigates and reads the first contentful paint, in wall time and in main-thread CPU time. Now
 * and then the trace ends before Chromium flushed the paint event into it: that open is repeated
 * (at most twice more) rather than the whole benchmark lost.
 */
async function paintWithCpu(page: Page, url: string): Promise<{ fcp: number; cpuToFcp: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await paintWithCpuOnce(page, url);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function paintWithCpuOnce(page: Page, url: string): Promise<{ fcp: number; cpuToFcp: number }> {
  const cdp = await page.context().newCDPSession(page);
  let fcp = 0;
  // `toplevel` has the tasks, `loading` the paint timing events.
  const events = await trace(cdp, ['toplevel', 'loading'], async () => {
    await page.goto(url);
    fcp = await firstContentfulPaint(page);
  });
  await cdp.detach();
  return { fcp, cpuToFcp: cpuUntilFirstContentfulPaint(events) };
}

async function newPopupPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(POPUP_VIEWPORT);
  return page;
}

export async function openPopup(context: BrowserContext, url: string, stores: number): Promise<PopupOpen> {
  const page = await newPopupPage(context);
  try {
    await page.addInitScript(WATCH_STORES(stores));
    const paint = await paintWithCpu(page, url);
    const observed = await page.evaluate(
      async () => {
        type Seen = { firstCards: number; firstInDom: number; allInDom: number; allPainted: number; done: Promise<number> };
        const seen = (globalThis as unknown as { storewatchBench: Seen }).storewatchBench;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('not every store card reached the DOM within 15 s')), 15_000)));
        await Promise.race([seen.done, timeout]).finally(() => clearTimeout(timer));
        const rendered = performance.getEntriesByName('storewatch:rendered')[0]?.startTime ?? null;
        return { rendered, storesAtFirstRender: seen.firstCards, firstInDom: seen.firstInDom, allInDom: seen.allInDom, allPainted: seen.allPainted };
      },
    );
    return { ...paint, ...observed };
  } finally {
    await page.close();
  }
}

export async function openBaseline(context: BrowserContext, url: string): Promise<{ fcp: number; cpuToFcp: number }> {
  const page = await newPopupPage(context);
  try {
    return await paintWithCpu(page, url);
  } finally {
    await page.close();
  }
}
