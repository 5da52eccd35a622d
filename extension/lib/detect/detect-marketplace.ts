/**
 * Which marketplace (and, where the page says, which store) a Seller Central page is showing.
 * Evidence, strongest first:
 *  1. the URL: Seller Central puts the selected marketplace in `mons_sel_mkid` after a switch, and
 *     some pages take `marketplaceId`;
 *  2. the page's marketplace switcher: the selected option of the classic picker (its value is a
 *     `merchant-picker/change-merchant?...&marketplaceId=...` link), any selected element carrying a
 *     `data-marketplace-id`, or the label of the newer account switcher ("Store | Germany");
 *  3. the host, when it serves one marketplace only.
 * The switcher markup is Amazon's and changes without notice: every probe is optional and the
 * fixtures in test/extension/fixtures/ pin what we know. When nothing is sure the panel asks.
 */
import { MARKETPLACES, isKnownMarketplace } from '../../../shared/marketplaces.ts';
import { EVIDENCE_PROBES, type PageEvidence, readEvidence } from './page-evidence.ts';
import { marketplaceIdsOfHost } from './seller-central-hosts.ts';

export interface Detection {
  /** The marketplace shown, or null when the evidence is not conclusive. */
  marketplaceId: string | null;
  /** What the person may pick from when `marketplaceId` is null (or to correct it). */
  candidates: string[];
  source: 'url' | 'switcher' | 'host' | 'none';
  /** Store name as the switcher shows it, when it does. Untrusted page text: display as text only. */
  storeName: string | null;
}

const URL_PARAMS = ['mons_sel_mkid', 'marketplaceId', 'marketplaceID', 'marketplace_id', 'mkid'];

/** Names the switcher may show for a marketplace, beyond our English and Chinese names. */
const LOCAL_NAMES: Readonly<Record<string, readonly string[]>> = {
  DE: ['deutschland', 'amazon.de'],
  FR: ['amazon.fr'],
  IT: ['italia', 'amazon.it'],
  ES: ['españa', 'espana', 'amazon.es'],
  GB: ['uk', 'amazon.co.uk'],
  NL: ['nederland', 'amazon.nl'],
  SE: ['sverige', 'amazon.se'],
  PL: ['polska', 'amazon.pl'],
  BE: ['belgië', 'belgique', 'amazon.com.be'],
  TR: ['türkiye', 'turkiye', 'amazon.com.tr'],
  MX: ['méxico', 'amazon.com.mx'],
  BR: ['brasil', 'amazon.com.br'],
  JP: ['日本', 'amazon.co.jp'],
  US: ['usa', 'amazon.com'],
  CA: ['amazon.ca'],
  AU: ['amazon.com.au'],
  SG: ['amazon.sg'],
  AE: ['amazon.ae'],
  SA: ['amazon.sa'],
  IN: ['amazon.in'],
  IE: ['amazon.ie'],
  EG: ['amazon.eg'],
  ZA: ['amazon.co.za'],
};

function idFromUrl(url: URL): string | null {
  for (const name of URL_PARAMS) {
    const value = url.searchParams.get(name);
    if (value && isKnownMarketplace(value)) return value;
  }
  return null;
}

function idInText(text: string | null | undefined): string | null {
  if (!text) return null;
  for (const m of text.matchAll(/marketplace_?id=([A-Z0-9]{8,20})/gi)) if (m[1] && isKnownMarketplace(m[1])) return m[1];
  return null;
}

/** A country as the switcher label names it: "Germany", "德国", "Deutschland", "www.amazon.de". */
function idByName(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/^www\./, '');
  if (!t) return null;
  for (const m of MARKETPLACES) {
    const names = [m.nameEn.toLowerCase(), m.nameZh, ...(LOCAL_NAMES[m.countryCode] ?? [])];
    if (names.includes(t) || names.includes(t.replace(/站$/, ''))) return m.id;
  }
  return null;
}

/** The switcher's verdict: the classic picker, then a marked entry, then the account switcher's label. */
function fromSwitcher(evidence: PageEvidence): { id: string | null; storeName: string | null } {
  const picked = idInText(evidence.pickerValue) ?? idByName(evidence.pickerText ?? '');
  if (picked) return { id: picked, storeName: null };
  if (evidence.markedId && isKnownMarketplace(evidence.markedId)) return { id: evidence.markedId, storeName: null };
  for (const label of evidence.labels) {
    if (!label) continue;
    // "Acme Store | Germany": store, then marketplace; some layouts show the marketplace alone.
    const parts = label.split('|').map((p) => p.trim()).filter(Boolean);
    const id = idByName(parts[parts.length - 1] ?? '');
    if (id) return { id, storeName: parts.length > 1 ? parts.slice(0, -1).join(' | ') : null };
  }
  return { id: null, storeName: null };
}

/** Reads the page and judges what it read (the full panel, which runs only when opened). */
export function detectMarketplace(location: { href: string }, doc: ParentNode): Detection {
  return judgeEvidence(readEvidence(EVIDENCE_PROBES, location, doc));
}

/** What the page's evidence says, from any side: the background judges what it read in a tab. */
export function judgeEvidence(evidence: PageEvidence): Detection {
  let url: URL;
  try {
    url = new URL(evidence.href);
  } catch {
    return { marketplaceId: null, candidates: MARKETPLACES.map((m) => m.id), source: 'none', storeName: null };
  }
  const hostIds = marketplaceIdsOfHost(url.hostname);
  // On a host we do not know (a new Amazon domain), any marketplace may be the one.
  const candidates = hostIds.length ? hostIds : MARKETPLACES.map((m) => m.id);
  const switcher = fromSwitcher(evidence);
  const fromUrl = idFromUrl(url);
  if (fromUrl) return { marketplaceId: fromUrl, candidates: withId(candidates, fromUrl), source: 'url', storeName: switcher.storeName };
  if (switcher.id) return { marketplaceId: switcher.id, candidates: withId(candidates, switcher.id), source: 'switcher', storeName: switcher.storeName };
  if (hostIds.length === 1) return { marketplaceId: hostIds[0]!, candidates, source: 'host', storeName: null };
  return { marketplaceId: null, candidates, source: 'none', storeName: null };
}

function withId(ids: string[], id: string): string[] {
  return ids.includes(id) ? ids : [...ids, id];
}
