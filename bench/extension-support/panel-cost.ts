/**
 * Main-thread work of one page load, from a Chromium trace of the page's renderer main thread: the
 * top-level tasks' wall time and their thread (CPU) time. What the background injects runs on that
 * same thread (the extension's isolated world), so everything the badge costs the page is there -
 * creating that world, running the injected functions, the style, layout and paint of the badge.
 *
 * CPU time is the figure judged: this machine is shared, and a neighbour that takes the core away
 * mid-task stretches wall time (and DevTools' Performance.getMetrics TaskDuration, which is wall
 * time too) without the page doing any more work.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { type TraceEvent, threadKey, topLevelTasks, trace } from './trace.ts';

export interface LoadCost {
  /** Sum of the top-level tasks' durations (what TaskDuration counts). */
  wallMs: number;
  /** Sum of the same tasks' thread time. */
  cpuMs: number;
  /** CPU time of the tasks in which one of the extension's scripts ran. */
  extensionScriptCpuMs: number;
}

/**
 * How long after navigation start the trace runs, for both sides alike: past the badge being drawn
 * (the tab's load, then the background's two injections) with room to spare. The fixture page
 * names its marketplace, so no second look follows (background/page-badges.ts, RELOOK_AFTER_MS).
 */
export const SETTLE_MS = 2_500;

/** `toplevel` has the tasks; `devtools.timeline` the page URL that tells which renderer is the page's. */
const CATEGORIES = ['toplevel', 'devtools.timeline'];

/** Sums the top-level tasks of the renderer main thread that loaded `url`. */
export function mainThreadCost(events: readonly TraceEvent[], url: string): LoadCost {
  const host = new URL(url).host;
  const mains = rendererMainThreads(events);
  const page = events.find((e) => mains.has(threadKey(e)) && e.args !== undefined && JSON.stringify(e.args).includes(host));
  if (!page) throw new Error(`no renderer main thread for ${url} in the trace`);
  const cost: LoadCost = { wallMs: 0, cpuMs: 0, extensionScriptCpuMs: 0 };
  for (const { task, inside } of topLevelTasks(events, threadKey(page))) {
    cost.wallMs += (task.dur ?? 0) / 1000;
    cost.cpuMs += (task.tdur ?? 0) / 1000;
    if (inside.some((e) => e.args !== undefined && JSON.stringify(e.args).includes('chrome-extension://'))) cost.extensionScriptCpuMs += (task.tdur ?? 0) / 1000;
  }
  return cost;
}

function rendererMainThreads(events: readonly TraceEvent[]): Set<string> {
  return new Set(events.filter((m) => m.ph === 'M' && m.name === 'thread_name' && m.args?.name === 'CrRendererMain').map(threadKey));
}

/** Loads `url` in a new tab and measures its main thread for SETTLE_MS; `badge` says whether the extension's badge must be there. */
export async function loadCost(context: BrowserContext, url: string, badge: boolean): Promise<LoadCost> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    // The same calls on both sides, and no locator or waitForFunction while tracing: those load
    // Playwright's own (large) script into the page, which would be counted.
    const events = await trace(cdp, CATEGORIES, async () => {
      await page.goto(url);
      const since = await page.evaluate(() => performance.now());
      if (since < SETTLE_MS) await page.waitForTimeout(SETTLE_MS - since);
    });
    await cdp.detach();
    // The badge: proof it was drawn (the panel's cost is that of a badge that is there).
    const hasBadge = await page.evaluate(() => document.querySelector('storewatch-badge') !== null);
    if (hasBadge !== badge) throw new Error(`${url}: the badge is ${hasBadge ? '' : 'not '}in the page ${SETTLE_MS} ms after navigation start`);
    return mainThreadCost(events, url);
  } finally {
    await page.close();
  }
}

/**
 * An extension of nothing but an empty content script on Seller Central: what Chromium itself
 * spends on a page for any extension that puts a script there (an isolated world, the extension
 * bindings), the floor under any badge. Returns its directory.
 */
export function emptyContentScriptExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'storewatch-bench-floor-'));
  const manifest = {
    manifest_version: 3,
    name: 'floor',
    version: '1.0.0',
    content_scripts: [{ matches: ['https://sellercentral.amazon.com/*'], js: ['empty.js'], run_at: 'document_idle' }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'empty.js'), 'void 0;\n');
  return dir;
}
