/**
 * Which marketplace, store and merchant a Seller Central page is showing.
 * Evidence, strongest first:
 *  1. the URL: after a switch Seller Central writes the selection into the address, usually
 *     prefixed - `mons_sel_mkid=amzn1.mp.o.A2EUQ1WTGCTBG2&mons_sel_mcid=amzn1.merchant.o.<id>` -
 *     and bare in older links; some pages take `marketplaceId`. `mons_sel_dir_mcid` /
 *     `mons_sel_dir_paid` are directory ids (not the merchant), `stck=NA|EU|FE` names the region
 *     (docs/domain/seller-central-pages.md);
 *  2. the page's account switcher: its regional label ("United States", "Germany", "美国", or a
 *     region such as "Europe"), its global label (the store name as Amazon's Sellers API calls
 *     it), the classic `#sc-mkt-picker-switcher-select`, a selected `data-marketplace-id` entry,
 *     or an older combined label ("Store | Germany");
 *  3. the host, when it serves one marketplace only.
 * The switcher markup is Amazon's and changes without notice: every probe is optional and the
 * fixtures in test/extension/fixtures/ pin what we know. When nothing is sure the panel asks.
 */
import { MARKETPLACES, isKnownMarketplace, marketplaceById } from '../../../shared/marketplaces.ts';
import type { Region } from '../../../shared/types.ts';
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
  /** The merchant (seller account) id from the address, bare (`mons_sel_mcid` without its prefix). */
  merchantId: string | null;
}

/** Parameters that carry the selected marketplace, in the order they are trusted. */
const MARKETPLACE_PARAMS = ['mons_sel_mkid', 'marketplaceId', 'marketplaceID', 'marketplace_id', 'mkid'];
const MERCHANT_PARAMS = ['mons_sel_mcid'];
const MARKETPLACE_PREFIX = 'amzn1.mp.o.';
const MERCHANT_PREFIX = 'amzn1.merchant.o.';
const BARE_ID = /^[A-Z0-9]{8,20}$/;

/** Names the switcher may show for a marketplace in the page's language, beyond our English and Chinese names. */
const LOCAL_NAMES: Readonly<Record<string, readonly string[]>> = {
  DE: ['deutschland', 'allemagne', 'germania', 'alemania', 'ドイツ', 'amazon.de'],
  FR: ['frankreich', 'francia', 'フランス', 'amazon.fr'],
  IT: ['italia', 'italien', 'italie', 'イタリア', 'amazon.it'],
  ES: ['españa', 'espana', 'spanien', 'espagne', 'spagna', 'スペイン', 'amazon.es'],
  GB: ['uk', 'vereinigtes königreich', 'royaume-uni', 'regno unito', 'reino unido', 'イギリス', 'amazon.co.uk'],
  NL: ['nederland', 'amazon.nl'],
  SE: ['sverige', 'amazon.se'],
  PL: ['polska', 'amazon.pl'],
  BE: ['belgië', 'belgique', 'amazon.com.be'],
  TR: ['türkiye', 'turkiye', 'amazon.com.tr'],
  MX: ['méxico', 'mexiko', 'mexique', 'messico', 'メキシコ', 'amazon.com.mx'],
  BR: ['brasil', 'amazon.com.br'],
  JP: ['日本', 'amazon.co.jp', 'japan'],
  US: ['usa', 'estados unidos', 'vereinigte staaten', 'états-unis', 'stati uniti', 'アメリカ合衆国', 'amazon.com'],
  CA: ['kanada', 'カナダ', 'amazon.ca'],
  AU: ['amazon.com.au'],
  SG: ['amazon.sg'],
  AE: ['uae', 'amazon.ae'],
  SA: ['沙特', 'amazon.sa'],
  IN: ['amazon.in'],
  IE: ['amazon.ie'],
  EG: ['amazon.eg'],
  ZA: ['amazon.co.za'],
};

/** Regions the regional label names instead of a marketplace (a unified European account). */
const REGION_NAMES: Readonly<Record<string, Region>> = {
  europe: 'eu',
  欧洲: 'eu',
  'north america': 'na',
  北美: 'na',
  'far east': 'fe',
  远东: 'fe',
};
const STCK: Readonly<Record<string, Region>> = { NA: 'na', EU: 'eu', FE: 'fe' };

/** A marketplace id as an address writes it, prefixed or bare; null unless it is one we know. */
export function marketplaceIdOf(value: string | null | undefined): string | null {
  const id = value?.trim().replace(MARKETPLACE_PREFIX, '') ?? '';
  return isKnownMarketplace(id) ? id : null;
}

/** A merchant id as `mons_sel_mcid` writes it (`amzn1.merchant.o.<ID>` or bare), bare; else null. */
export function merchantIdOf(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  const id = text.startsWith(MERCHANT_PREFIX) ? text.slice(MERCHANT_PREFIX.length) : text;
  return BARE_ID.test(id) ? id : null;
}

function firstParam(url: URL, names: readonly string[], read: (v: string) => string | null): string | null {
  for (const name of names) {
    const value = read(url.searchParams.get(name) ?? '');
    if (value) return value;
  }
  return null;
}

function idInText(text: string | null | undefined): string | null {
  if (!text) return null;
  for (const m of text.matchAll(/marketplace_?id=((?:amzn1\.mp\.o\.)?[A-Z0-9]{8,20})/gi)) {
    const id = marketplaceIdOf(m[1]);
    if (id) return id;
  }
  return null;
}

/** A label as people read it: "美国站 (当前)" and "Germany. Selected" name the marketplace alone. */
function normalName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[（(]\s*当前\s*[)）]/g, '')
    .replace(/\.\s*selected$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^www\./, '')
    .replace(/站$/, '');
}

/** A country as the switcher label names it: "Germany", "德国", "德国站", "Deutschland", "www.amazon.de". */
function idByName(text: string): string | null {
  const t = normalName(text);
  if (!t) return null;
  for (const m of MARKETPLACES) {
    const names = [m.nameEn.toLowerCase(), m.nameZh, ...(LOCAL_NAMES[m.countryCode] ?? [])];
    if (names.includes(t)) return m.id;
  }
  return null;
}

interface SwitcherVerdict {
  id: string | null;
  storeName: string | null;
  region: Region | null;
}

/** The switcher's verdict: the regional label, the classic picker, a marked entry, then older combined labels. */
function fromSwitcher(evidence: PageEvidence): SwitcherVerdict {
  const storeName = evidence.store || null;
  const region = REGION_NAMES[normalName(evidence.market)] ?? null;
  const regional = idByName(evidence.market);
  if (regional) return { id: regional, storeName, region };
  const picked = idInText(evidence.pickerValue) ?? idByName(evidence.pickerText ?? '');
  if (picked) return { id: picked, storeName, region };
  if (evidence.markedId && isKnownMarketplace(evidence.markedId)) return { id: evidence.markedId, storeName, region };
  for (const label of evidence.labels) {
    if (!label) continue;
    // "Acme Store | Germany": store, then marketplace; some layouts show the marketplace alone.
    const parts = label.split('|').map((p) => p.trim()).filter(Boolean);
    const id = idByName(parts[parts.length - 1] ?? '');
    if (id) return { id, storeName: storeName ?? (parts.length > 1 ? parts.slice(0, -1).join(' | ') : null), region };
  }
  return { id: null, storeName, region };
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
    return { marketplaceId: null, candidates: MARKETPLACES.map((m) => m.id), source: 'none', storeName: null, merchantId: null };
  }
  const hostIds = marketplaceIdsOfHost(url.hostname);
  const switcher = fromSwitcher(evidence);
  const merchantId = firstParam(url, MERCHANT_PARAMS, merchantIdOf);
  const storeName = switcher.storeName;
  // On a host we do not know (a new Amazon domain), any marketplace may be the one; a region the
  // page names (`stck=EU`, a regional label "Europe") narrows the choice.
  const region = STCK[url.searchParams.get('stck')?.toUpperCase() ?? ''] ?? switcher.region;
  const all = hostIds.length ? hostIds : MARKETPLACES.map((m) => m.id);
  const inRegion = region ? all.filter((id) => marketplaceById(id)?.region === region) : all;
  const candidates = inRegion.length ? inRegion : all;
  const fromUrl = firstParam(url, MARKETPLACE_PARAMS, marketplaceIdOf);
  if (fromUrl) return { marketplaceId: fromUrl, candidates: withId(candidates, fromUrl), source: 'url', storeName, merchantId };
  if (switcher.id) return { marketplaceId: switcher.id, candidates: withId(candidates, switcher.id), source: 'switcher', storeName, merchantId };
  if (candidates.length === 1) return { marketplaceId: candidates[0]!, candidates, source: 'host', storeName, merchantId };
  return { marketplaceId: null, candidates, source: 'none', storeName, merchantId };
}

function withId(ids: string[], id: string): string[] {
  return ids.includes(id) ? ids : [...ids, id];
}
