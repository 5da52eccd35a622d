/**
 * Section "extension" of `npm run bench` (issue 6 budgets, issue 7): in the system Chromium with
 * the built extension loaded,
 * - the popup's first paint with fifty cached stores against an empty Preact popup with the same
 *   stylesheet (docs/architecture.md#performance-budgets: under 100 ms, within 1.5x of the
 *   empty popup);
 * - the main-thread time a Seller Central page load costs with the extension and without it
 *   (docs/architecture.md#performance-budgets: the panel adds under 5 ms), and with an extension
 *   of one empty content script (Chromium's own floor);
 * - gzip sizes of the popup, what a page receives on load and (for information) the background and panel.
 * The cache is filled as a person's would be: pairing in options against a relay serving fifty
 * stores, and the background's sync writing them to IndexedDB.
 */
import { rmSync } from 'node:fs';
import { SELLER_CENTRAL_US, servePage } from '../test/e2e/support/pages.ts';
import { serveRelay } from '../test/e2e/support/relay-server.ts';
import { bundleSizes } from './extension-support/bundle-sizes.ts';
import { launchChromium, pairInOptions } from './extension-support/chromium.ts';
import { EXTENSION_DIR, MANY_STORES, STORE_COUNT, ensureBuild, fiftyStoreRelay } from './extension-support/fixture.ts';
import { type LoadCost, SETTLE_MS, emptyContentScriptExtension, loadCost } from './extension-support/panel-cost.ts';
import { POPUP_VIEWPORT, type PopupOpen, extensionWithBaseline, openBaseline, openPopup } from './extension-support/popup-paint.ts';
import { type BenchRow, type BenchSection, percentile } from './rows.ts';

/** docs/architecture.md#performance-budgets. */
const POPUP_MS = 100;
const POPUP_RATIO = 1.5;
const PANEL_ADDED_MS = 5;
const POPUP_KB = 30;
const CONTENT_SCRIPT_KB = 20;

/** Opens of each popup measured (issue 7: at least 15), after WARMUP opens that are not. */
const POPUP_OPENS = 20;
/** Page loads each way (at least 10); each takes SETTLE_MS. */
const PAGE_LOADS = 15;
const WARMUP = 2;
/** A page load's first run in a fresh renderer is slow on every side alike; one is enough. */
const PANEL_WARMUP = 1;

const SELLER_CENTRAL_URL = 'https://sellercentral.amazon.com/performance/dashboard';
const KB = 1024;

const median = (xs: readonly number[]) => percentile(xs, 50);
const round1 = (x: number) => Math.round(x * 10) / 10;

async function sizeRows(): Promise<BenchRow[]> {
  const sizes = await bundleSizes(EXTENSION_DIR);
  const kb = (bytes: number) => Math.round((bytes / KB) * 100) / 100;
  return [
    {
      name: 'popup bundle loaded at open, gzip (HTML scripts, styles, their static imports)',
      value: kb(sizes.popup.bytes),
      unit: 'KB',
      budget: `< ${POPUP_KB} KB`,
      met: sizes.popup.bytes < POPUP_KB * KB,
      note: `gzip -9 of each file, summed: ${sizes.popup.files.join(', ')}`,
    },
    {
      name: 'popup chunks loaded after the first paint (alert feed, detail, grid), gzip',
      value: kb(sizes.popupOnDemand.bytes),
      unit: 'KB',
      note: `for information: fetched once the first paint is on screen (components/on-demand.ts); ${sizes.popupOnDemand.files.join(', ')}`,
    },
    ...sizes.contentScripts.map((c) => ({
      name: `content script: ${c.file}, gzip`,
      value: kb(c.bytes),
      unit: 'KB',
      budget: `< ${CONTENT_SCRIPT_KB} KB`,
      met: c.bytes < CONTENT_SCRIPT_KB * KB,
      note: 'all a Seller Central or ERP page runs on load for the badge (no Preact, no content-script file)',
    })),
    { name: 'panel.js, gzip (injected only when the badge is opened)', value: kb(sizes.panelOnDemand), unit: 'KB', note: 'for information: not run on page load' },
    { name: 'background service worker, gzip', value: kb(sizes.background), unit: 'KB', note: 'for information: no budget' },
  ];
}

/**
 * Store cards the first screen holds: the list renders only the rows in view (components/
 * virtual-list.tsx), so "every card in the DOM" is the first screenful, for 50 stores as for 500.
 */
const FIRST_SCREEN_CARDS = 5;

interface PopupRun {
  rows: BenchRow[];
  /** Median first contentful paint over the empty popup's. */
  ratio: number;
}

async function popupRows(extensionDir: string, storeCount = STORE_COUNT): Promise<PopupRun> {
  const relay = fiftyStoreRelay(storeCount);
  const server = await serveRelay(relay);
  const browser = await launchChromium(extensionDir);
  try {
    await pairInOptions(browser, server.url, relay.state.pairingCode, `Store ${storeCount}`);
    const popups: PopupOpen[] = [];
    const baselines: { fcp: number; cpuToFcp: number }[] = [];
    // Interleaved, so both sides see the same neighbours on a shared machine. The warm-up opens
    // also wait until the background's first sync has put all the stores in the cache.
    for (let run = 0; run < WARMUP + POPUP_OPENS; run++) {
      const popup = await openPopup(browser.context, browser.url('popup.html'), Math.min(storeCount, FIRST_SCREEN_CARDS));
      const baseline = await openBaseline(browser.context, browser.url('baseline.html'));
      if (run < WARMUP) continue;
      popups.push(popup);
      baselines.push(baseline);
    }
    // A popup that rendered before the cache was read would paint "loading": not what is measured.
    const fromCache = popups.filter((p) => p.storesAtFirstRender > 0 && p.rendered !== null && p.rendered <= p.fcp).length;
    if (fromCache !== popups.length) throw new Error(`only ${fromCache} of ${popups.length} popup opens painted cached stores first`);
    const fcp = popups.map((p) => p.fcp);
    const baselineFcp = baselines.map((b) => b.fcp);
    const firstCards = Math.min(...popups.map((p) => p.storesAtFirstRender));
    const setup = `${POPUP_OPENS} opens each after ${WARMUP} warm-up, interleaved, popup.html in a ${POPUP_VIEWPORT.width}x${POPUP_VIEWPORT.height} tab of the same extension`;
    const fcpRow = (p: number, label: string): BenchRow => {
      const value = round1(percentile(fcp, p));
      const base = round1(percentile(baselineFcp, p));
      return {
        name: `popup first contentful paint, ${storeCount} cached stores, ${label}`,
        value,
        unit: 'ms',
        baseline: { name: `empty Preact popup, same stylesheet, ${label}`, value: base },
        budget: `< ${POPUP_MS} ms, <= ${POPUP_RATIO}x baseline`,
        met: value < POPUP_MS && value <= POPUP_RATIO * base,
        note: `PerformancePaintTiming from navigation start; the first paint shows the first ${firstCards} store cards read from IndexedDB (nothing is drawn before them; the list renders only the rows in view); ${setup}`,
      };
    };
    const allPainted = popups.map((p) => p.allPainted);
    const cpu = median(popups.map((p) => p.cpuToFcp));
    const baselineCpu = median(baselines.map((b) => b.cpuToFcp));
    const rows: BenchRow[] = [
      fcpRow(50, 'median'),
      fcpRow(95, 'p95'),
      {
        name: `popup main-thread CPU time to first contentful paint, ${storeCount} cached stores, median`,
        value: round1(cpu),
        unit: 'ms',
        baseline: { name: 'empty Preact popup, same stylesheet, median', value: round1(baselineCpu) },
        note: `for information (the budget is on the paint, above): thread time of the page's main thread from navigation to the paint, from a trace - the work the paint waits for, which a busy neighbour on this shared machine does not stretch`,
      },
      {
        name: `popup first store cards in the DOM (first render), ${storeCount} cached stores, median`,
        value: round1(median(popups.map((p) => p.firstInDom))),
        unit: 'ms',
        note: `MutationObserver from before the page's scripts; the extension's own mark after render() reads ${round1(median(popups.map((p) => p.rendered ?? 0)))} ms`,
      },
      {
        name: `popup first screen of store cards (${Math.min(storeCount, FIRST_SCREEN_CARDS)}) in the DOM and the next frame, ${storeCount} cached stores, median`,
        value: round1(median(allPainted)),
        unit: 'ms',
        baseline: { name: 'empty Preact popup first contentful paint, median', value: round1(median(baselineFcp)) },
        budget: `< ${POPUP_MS} ms`,
        met: median(allPainted) < POPUP_MS,
        note: `the strict reading of "first paint of the cached stores": what the first screen shows, drawn; p95 ${round1(percentile(allPainted, 95))} ms, in DOM (median) ${round1(median(popups.map((p) => p.allInDom)))} ms`,
      },
    ];
    return { rows, ratio: median(fcp) / median(baselineFcp) };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function panelRows(extensionDir: string): Promise<BenchRow[]> {
  const relay = fiftyStoreRelay();
  const server = await serveRelay(relay);
  const floorDir = emptyContentScriptExtension();
  const [withExtension, without, floor] = [await launchChromium(extensionDir), await launchChromium(null), await launchChromium(floorDir)];
  try {
    // The badge reads the cache through the background: the same paired, synced state as a person's.
    await pairInOptions(withExtension, server.url, relay.state.pairingCode, `Store ${STORE_COUNT}`);
    for (const b of [withExtension, without, floor]) await servePage(b.context, 'https://sellercentral.amazon.com/**', SELLER_CENTRAL_US);
    const costs = { with: [] as LoadCost[], without: [] as LoadCost[], floor: [] as LoadCost[] };
    for (let run = 0; run < PANEL_WARMUP + PAGE_LOADS; run++) {
      const a = await loadCost(withExtension.context, SELLER_CENTRAL_URL, true);
      const b = await loadCost(without.context, SELLER_CENTRAL_URL, false);
      const c = await loadCost(floor.context, SELLER_CENTRAL_URL, false);
      if (run < PANEL_WARMUP) continue;
      costs.with.push(a);
      costs.without.push(b);
      costs.floor.push(c);
    }
    const med = (side: LoadCost[], key: keyof LoadCost) => median(side.map((c) => c[key]));
    const added = med(costs.with, 'cpuMs') - med(costs.without, 'cpuMs');
    const addedWall = med(costs.with, 'wallMs') - med(costs.without, 'wallMs');
    const floorAdded = med(costs.floor, 'cpuMs') - med(costs.without, 'cpuMs');
    const setup = `median of ${PAGE_LOADS} loads each after ${PANEL_WARMUP} warm-up, interleaved, one Chromium with the extension and one without; top-level tasks of the page's renderer main thread in a trace of the first ${SETTLE_MS / 1000} s`;
    return [
      {
        name: 'Seller Central fixture page load, main-thread CPU time with the extension',
        value: round1(med(costs.with, 'cpuMs')),
        unit: 'ms',
        baseline: { name: 'same page, Chromium without the extension', value: round1(med(costs.without, 'cpuMs')) },
        note: `${setup}; thread time, which a busy neighbour on a shared machine does not stretch`,
      },
      {
        name: 'Seller Central fixture page load, main-thread task (wall) time with the extension',
        value: round1(med(costs.with, 'wallMs')),
        unit: 'ms',
        baseline: { name: 'same page, Chromium without the extension', value: round1(med(costs.without, 'wallMs')) },
        note: `${setup}; wall time, as DevTools' TaskDuration counts it: stretched by whatever else runs on the machine`,
      },
      {
        name: 'panel (the badge the background draws): main-thread CPU time added to a page load',
        value: round1(added),
        unit: 'ms',
        budget: `< ${PANEL_ADDED_MS} ms`,
        met: added < PANEL_ADDED_MS,
        note: `difference of the CPU medians above (wall: ${round1(addedWall)} ms); of it, ${round1(med(costs.with, 'extensionScriptCpuMs'))} ms in tasks where the extension's scripts ran, the rest the badge's style, layout and paint and Chromium's own work for a script in an isolated world (next row)`,
      },
      {
        name: 'the same for an empty content script (Chromium\'s floor for any content script)',
        value: round1(floorAdded),
        unit: 'ms',
        note: `an extension of one empty declared content script, same loads: the part of the figure above no extension code can remove; ${setup}`,
      },
    ];
  } finally {
    await withExtension.close();
    await without.close();
    await floor.close();
    await server.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

export const extensionSection: BenchSection = {
  name: 'extension',
  async run() {
    ensureBuild();
    const rows = await sizeRows();
    const dir = extensionWithBaseline(EXTENSION_DIR);
    try {
      const fifty = await popupRows(dir);
      const many = await popupRows(dir, MANY_STORES);
      rows.push(...fifty.rows, ...many.rows, {
        name: `popup first paint: ratio to the empty popup, ${MANY_STORES} stores against ${STORE_COUNT}`,
        value: Math.round(many.ratio * 100) / 100,
        unit: 'x',
        baseline: { name: `${STORE_COUNT} stores`, value: Math.round(fifty.ratio * 100) / 100 },
        budget: `within the ${STORE_COUNT}-store ratio (+10 % for a shared machine's noise)`,
        met: many.ratio <= fifty.ratio * 1.1,
        note: 'median first contentful paint over the empty popup\'s median, both counts measured in this run',
      });
      rows.push(...(await panelRows(dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
