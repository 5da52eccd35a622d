/**
 * The badge in Seller Central and ERP tabs, pushed from here rather than pulled by a content
 * script: once a tab has loaded, the background reads the page's marketplace evidence
 * (readEvidence), judges it, computes the answer from the cache and injects `drawBadge` with it.
 * A page so runs two small functions and nothing else (no extension API, listener or timer) on
 * load, and the badge updates when the cache, the language, the pairing or a pick changes, or the
 * page moves to another address without a load. The tab's address is visible to the extension
 * only on hosts it may run on (manifest host_permissions, or an ERP host granted in options).
 */
import type { Browser, WxtScripting } from 'wxt/browser';
import { SELLER_CENTRAL_HOSTS } from '../../lib/detect/seller-central-hosts.ts';
import { DEFAULT_ERP_MATCHES, urlMatchesPattern } from '../../lib/detect/erp-hosts.ts';
import { type Detection, judgeEvidence } from '../../lib/detect/detect-marketplace.ts';
import { EVIDENCE_PROBES, type PageEvidence, isPageEvidence, readEvidence } from '../../lib/detect/page-evidence.ts';
import type { BadgeView } from '../../lib/panel/badge-view.ts';
import { HANDOFF_KEY, type PanelMode } from '../../lib/panel/handoff.ts';
import { BADGE_STYLE, drawBadge } from '../../lib/panel/page-badge.ts';

/** Seller Central renders its switcher late: when a page did not say, look again after these. */
export const RELOOK_AFTER_MS = [2_000, 6_000] as const;

export interface PageBadgesPlatform {
  scripting: Pick<WxtScripting, 'executeScript'>;
  tabs: Pick<typeof Browser.tabs, 'query'>;
  /** ERP hosts the person added in options (match patterns). */
  addedErpHosts: () => Promise<string[]>;
  /** What the badge says, from the cache, the words and the rules (lib/panel/badge-view.ts). */
  view: (mode: PanelMode, detection: Detection | null, host: string) => Promise<BadgeView>;
  setTimeout: (run: () => void, ms: number) => void;
  log: (...args: unknown[]) => void;
}

interface TabBadge {
  url: string;
  mode: PanelMode;
  evidence: PageEvidence | null;
  /** The view last drawn, to skip a page when nothing it shows changed. */
  drawn: string;
  /** Bumped by every show: an answer computed for an older one is dropped. */
  seq: number;
}

/** The parts of `tabs.onUpdated`'s arguments used here. */
export interface TabChange {
  status?: string;
  url?: string;
}

export function createPageBadges(p: PageBadgesPlatform) {
  const tabs = new Map<number, TabBadge>();

  const modeOf = async (url: string): Promise<PanelMode | null> => {
    let host: string;
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:') return null;
      host = u.hostname;
    } catch {
      return null;
    }
    if (SELLER_CENTRAL_HOSTS.includes(host)) return 'seller-central';
    const erp = [...DEFAULT_ERP_MATCHES, ...(await p.addedErpHosts())];
    return erp.some((pattern) => urlMatchesPattern(url, pattern)) ? 'erp' : null;
  };

  const readPage = async (tabId: number): Promise<PageEvidence | null> => {
    const [frame] = await p.scripting.executeScript({ target: { tabId }, func: readEvidence, args: [EVIDENCE_PROBES] });
    // What a page hands back is input like any other.
    return isPageEvidence(frame?.result) ? frame.result : null;
  };

  /** Draws the badge for a tab; `reread` looks at the page again (a load, a new address, a timer). */
  const show = async (tabId: number, url: string, reread: boolean): Promise<void> => {
    const mode = await modeOf(url);
    if (!mode) {
      tabs.delete(tabId);
      return;
    }
    const known = tabs.get(tabId);
    const state: TabBadge = known?.url === url && known.mode === mode ? known : { url, mode, evidence: null, drawn: '', seq: 0 };
    tabs.set(tabId, state);
    const seq = ++state.seq;
    if (mode === 'seller-central' && (reread || state.evidence === null)) state.evidence = await readPage(tabId);
    const detection = state.evidence ? judgeEvidence(state.evidence) : null;
    const view = await p.view(mode, detection, new URL(url).hostname);
    if (state.seq !== seq || tabs.get(tabId) !== state) return;
    const drawn = JSON.stringify(view);
    if (drawn === state.drawn) return;
    state.drawn = drawn;
    await p.scripting.executeScript({ target: { tabId }, func: drawBadge, args: [view, mode, BADGE_STYLE, HANDOFF_KEY] });
    // A page that did not say which marketplace or store it shows may say so once its switcher
    // renders (the store name lives there, and tells apart stores selling in one marketplace).
    if (mode === 'seller-central' && reread && (detection?.source === 'host' || detection?.source === 'none' || (detection?.storeName ?? null) === null)) {
      for (const ms of RELOOK_AFTER_MS) p.setTimeout(() => relook(tabId, state), ms);
    }
  };

  const relook = (tabId: number, state: TabBadge) => {
    if (tabs.get(tabId) !== state) return;
    readPage(tabId)
      .then(async (evidence) => {
        if (tabs.get(tabId) !== state || JSON.stringify(evidence) === JSON.stringify(state.evidence)) return;
        state.evidence = evidence;
        await show(tabId, state.url, false);
      })
      .catch((error: unknown) => p.log('badge: looking again at tab', tabId, error));
  };

  const guarded = (tabId: number, url: string, reread: boolean) =>
    show(tabId, url, reread).catch((error: unknown) => {
      // A tab that navigated away or shows an error page refuses the script: nothing to draw.
      tabs.delete(tabId);
      p.log('badge: tab', tabId, error);
    });

  return {
    /** tabs.onUpdated: a finished load, or a new address without a load (a single-page app). */
    onTabUpdated(tabId: number, change: TabChange, tab: { url?: string }): Promise<void> {
      if (change.status === 'loading') tabs.delete(tabId);
      const url = tab.url ?? change.url;
      if (!url) return Promise.resolve();
      if (change.status === 'complete' || (change.url !== undefined && change.status === undefined && tabs.has(tabId))) return guarded(tabId, url, true);
      return Promise.resolve();
    },
    onTabRemoved(tabId: number): void {
      tabs.delete(tabId);
    },
    /** Every open tab we may run on: after a change of data, words or pairing, or at start-up. */
    async showAll(reread: boolean): Promise<void> {
      const open = await p.tabs.query({});
      await Promise.all(open.map((tab) => (tab.id !== undefined && tab.url && tab.status === 'complete' ? guarded(tab.id, tab.url, reread) : undefined)));
    },
  };
}

export type PageBadges = ReturnType<typeof createPageBadges>;
