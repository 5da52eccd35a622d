/**
 * What a Seller Central page says about the marketplace it shows, read without judging it: the
 * address and the few elements of the marketplace switcher. The background injects
 * `readEvidence` into each Seller Central tab and judges the answer (detect-marketplace.ts), so a
 * page load runs a handful of querySelector calls and no tables. The selectors are Amazon's markup
 * and change without notice.
 */
export interface PageEvidence {
  href: string;
  /** The classic picker's selected option: its value (a change-merchant link) and its label. */
  pickerValue: string | null;
  pickerText: string | null;
  /** `data-marketplace-id` of a switcher entry marked as the selected one. */
  markedId: string | null;
  /** The account switcher's global label (the store name) and regional label (marketplace or region); "" where absent. */
  store: string;
  market: string;
  /** Texts of older combined switcher labels ("Store | Germany"), in `labels` order ("" where absent). */
  labels: string[];
}

export interface EvidenceProbes {
  picker: string;
  marked: string;
  store: string;
  market: string;
  labels: readonly string[];
  /**
   * Page text is of any length; the switcher's is short and the marketplace parameters sit early
   * in an address, so nothing past these is needed (and the background refuses longer).
   */
  limits: { href: number; text: number };
}

export const EVIDENCE_PROBES: EvidenceProbes = {
  picker: '#sc-mkt-picker-switcher-select, select[name="sc-mkt-picker-switcher-select"]',
  marked: '[data-marketplace-id][aria-selected="true"], [data-marketplace-id].selected, [data-marketplace-id][aria-current="true"]',
  // The current account switcher splits its header label in two spans (public scrapers of
  // Seller Central read `.dropdown-account-switcher-header-label-global` for the store name and
  // `...-regional` / `...-regional-child` for the marketplace shown).
  store: '.dropdown-account-switcher-header-label-global',
  market: '.dropdown-account-switcher-header-label-regional-child, .dropdown-account-switcher-header-label-regional',
  labels: ['.dropdown-account-switcher-header-label', '.partner-dropdown-button', '#partner-switcher .dropdown-button', '[data-test-id="account-switcher-label"]'],
  limits: { href: 4_096, text: 400 },
};

/**
 * Runs in the page (scripting.executeScript serializes the function alone): it may use only its
 * parameters and the page's globals, never anything else of this module.
 */
export function readEvidence(probes: EvidenceProbes, loc: { href: string } = location, doc: ParentNode = document): PageEvidence {
  const max = probes.limits.text;
  const text = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, max);
  const picker = doc.querySelector<HTMLSelectElement>(probes.picker);
  const option = picker ? (picker.querySelector<HTMLOptionElement>('option[selected]') ?? picker.options[picker.selectedIndex] ?? null) : null;
  return {
    href: loc.href.slice(0, probes.limits.href),
    pickerValue: option ? option.value.slice(0, max) : null,
    pickerText: option ? text(option) : null,
    markedId: doc.querySelector(probes.marked)?.getAttribute('data-marketplace-id')?.slice(0, max) ?? null,
    store: text(doc.querySelector(probes.store)),
    market: text(doc.querySelector(probes.market)),
    labels: probes.labels.map((selector) => text(doc.querySelector(selector))),
  };
}

const isText = (v: unknown) => typeof v === 'string' && v.length <= EVIDENCE_PROBES.limits.text;
const isTextOrNull = (v: unknown) => v === null || isText(v);

/** What came back from a page is checked like any input: short strings in the expected shape. */
export function isPageEvidence(value: unknown): value is PageEvidence {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.href === 'string' &&
    e.href.length <= EVIDENCE_PROBES.limits.href &&
    isTextOrNull(e.pickerValue) &&
    isTextOrNull(e.pickerText) &&
    isTextOrNull(e.markedId) &&
    isText(e.store) &&
    isText(e.market) &&
    Array.isArray(e.labels) &&
    e.labels.length <= EVIDENCE_PROBES.labels.length &&
    e.labels.every(isText)
  );
}
