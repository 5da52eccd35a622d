/**
 * Main-thread work of one page load, from the DevTools protocol's Performance.getMetrics: the
 * renderer main thread's task time (TaskDuration), which counts the content script's isolated world
 * too - parsing, running, its idle callback, the microtasks of its messages, and the style and
 * layout of the badge it adds. Chromium gives a cross-site navigation a fresh renderer process, so
 * the counters start at zero for every load (checked: about:blank reads ~0).
 */
import type { BrowserContext } from 'playwright-core';

export interface LoadCost {
  taskMs: number;
  scriptMs: number;
  layoutAndStyleMs: number;
}

/**
 * How long after navigation start the counters are read, for both sides alike: past the badge's
 * mount (document_idle, then an idle callback) and its first re-detection of the marketplace two
 * seconds later (extension/lib/panel/start-badge.ts, REDETECT_AFTER_MS); the one at six seconds is
 * left out.
 */
export const SETTLE_MS = 3_000;

type Metrics = { metrics: { name: string; value: number }[] };

/** Loads `url` in a new tab and reads its main-thread counters SETTLE_MS after navigation start; `badge` says whether the extension's badge must be there. */
export async function loadCost(context: BrowserContext, url: string, badge: boolean): Promise<LoadCost> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url);
    // The same calls on both sides, and no locator or waitForFunction before the counters are
    // read: those load Playwright's own (large) script into the page, which would be counted.
    const since = await page.evaluate(() => performance.now());
    if (since < SETTLE_MS) await page.waitForTimeout(SETTLE_MS - since);
    const { metrics } = (await cdp.send('Performance.getMetrics')) as Metrics;
    const read = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    await cdp.detach();
    // The content script's badge: proof it ran (the panel's cost is that of a badge that is there).
    const hasBadge = await page.evaluate(() => document.querySelector('storewatch-badge') !== null);
    if (hasBadge !== badge) throw new Error(`${url}: the badge is ${hasBadge ? '' : 'not '}in the page ${SETTLE_MS} ms after navigation start`);
    return { taskMs: read('TaskDuration'), scriptMs: read('ScriptDuration'), layoutAndStyleMs: read('LayoutDuration') + read('RecalcStyleDuration') };
  } finally {
    await page.close();
  }
}
