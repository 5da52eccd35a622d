import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMarketplace, judgeEvidence } from '../../extension/lib/detect/detect-marketplace.ts';
import { EVIDENCE_PROBES, isPageEvidence, readEvidence } from '../../extension/lib/detect/page-evidence.ts';
import { SELLER_CENTRAL_HOSTS, SELLER_CENTRAL_MATCHES } from '../../extension/lib/detect/seller-central-hosts.ts';
import { MARKETPLACES } from '../../shared/marketplaces.ts';
import { DE, GB, JP, US } from './helpers/overview-fixtures.ts';

/** Vitest runs from the repository root; happy-dom gives import.meta.url no file path. */
function page(name: string): Document {
  const html = readFileSync(join(process.cwd(), 'test/extension/fixtures', name), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

const blank = (): Document => new DOMParser().parseFromString('<html><body></body></html>', 'text/html');

describe('detectMarketplace', () => {
  it('reads the US marketplace and the store name from the account switcher label', () => {
    const d = detectMarketplace({ href: 'https://sellercentral.amazon.com/performance/dashboard' }, page('seller-central-us.html'));
    expect(d).toMatchObject({ marketplaceId: US, source: 'switcher', storeName: 'Alpha Home' });
  });

  it('reads Germany from the selected option of the classic marketplace picker on the unified European host', () => {
    const d = detectMarketplace({ href: 'https://sellercentral-europe.amazon.com/performance/dashboard' }, page('seller-central-de.html'));
    expect(d).toMatchObject({ marketplaceId: DE, source: 'switcher' });
    expect(d.candidates).toContain(GB);
  });

  it('reads Japan from a switcher label written in Japanese', () => {
    const d = detectMarketplace({ href: 'https://sellercentral.amazon.co.jp/performance/dashboard' }, page('seller-central-jp.html'));
    expect(d).toMatchObject({ marketplaceId: JP, source: 'switcher', storeName: 'Birch Kitchen' });
  });

  it('trusts mons_sel_mkid in the URL over the switcher', () => {
    const d = detectMarketplace({ href: `https://sellercentral-europe.amazon.com/home?mons_sel_mkid=${GB}` }, page('seller-central-de.html'));
    expect(d).toMatchObject({ marketplaceId: GB, source: 'url' });
  });

  it('accepts a marketplaceId parameter too, ignoring ids that are not marketplaces', () => {
    expect(detectMarketplace({ href: `https://sellercentral.amazon.com/x?marketplaceId=${JP}` }, blank()).marketplaceId).toBe(JP);
    expect(detectMarketplace({ href: 'https://sellercentral.amazon.co.jp/x?marketplaceId=NOTAREALID1' }, blank())).toMatchObject({ marketplaceId: JP, source: 'host' });
  });

  it('falls back to the host when it serves one marketplace only', () => {
    expect(detectMarketplace({ href: 'https://sellercentral.amazon.co.jp/home' }, blank())).toMatchObject({ marketplaceId: JP, source: 'host' });
  });

  it('is unsure on the unified European host without a switcher, offering its marketplaces to pick from', () => {
    const d = detectMarketplace({ href: 'https://sellercentral-europe.amazon.com/home' }, page('seller-central-eu-unknown.html'));
    expect(d.marketplaceId).toBeNull();
    expect(d.source).toBe('none');
    expect(d.candidates).toEqual(expect.arrayContaining([DE, GB]));
    expect(d.candidates.length).toBeGreaterThan(2);
  });

  it('never throws on a malformed URL, offering every marketplace instead', () => {
    const d = detectMarketplace({ href: 'not a url' }, blank());
    expect(d).toMatchObject({ marketplaceId: null, source: 'none' });
    expect(d.candidates).toHaveLength(MARKETPLACES.length);
  });
});

const CA = 'A2EUQ1WTGCTBG2';
const FR = 'A13V1IB3VIYZZH';
/** Canada on the unified North America host, as Seller Central writes it after a switch. */
const NA_CANADA =
  'https://sellercentral.amazon.com/home?mons_sel_mkid=amzn1.mp.o.A2EUQ1WTGCTBG2&mons_sel_mcid=amzn1.merchant.o.AAGBKF49IVH4X&mons_sel_dir_mcid=amzn1.merchant.d.ABCDEFGHIJKLMNOPQRSTUVWXYZ12&mons_sel_dir_paid=amzn1.pa.d.ABCDEFGHIJKLMNOPQRSTUVWXYZ&mons_sel_persist=true&stck=NA&ignore_selection_changed=true';

describe('detectMarketplace on real Seller Central addresses and markup', () => {
  it('reads Canada and the merchant from prefixed ids on the unified North America host', () => {
    expect(detectMarketplace({ href: NA_CANADA }, blank())).toMatchObject({ marketplaceId: CA, source: 'url', merchantId: 'AAGBKF49IVH4X' });
  });

  it('names Germany from a prefixed id on the unified European host, without a question', () => {
    const d = detectMarketplace({ href: `https://sellercentral-europe.amazon.com/performance/dashboard?mons_sel_mkid=amzn1.mp.o.${DE}&stck=EU` }, blank());
    expect(d).toMatchObject({ marketplaceId: DE, source: 'url', merchantId: null });
  });

  it('accepts bare ids in mons_sel_mkid and mons_sel_mcid as older links write them', () => {
    expect(detectMarketplace({ href: `https://sellercentral.amazon.com/home?mons_sel_mkid=${CA}&mons_sel_mcid=A31LSP1L7F6XJ2` }, blank())).toMatchObject({ marketplaceId: CA, merchantId: 'A31LSP1L7F6XJ2' });
  });

  it('never takes a directory id (mons_sel_dir_mcid, amzn1.merchant.d.) for the merchant', () => {
    const d = detectMarketplace({ href: 'https://sellercentral.amazon.com/home?cor=mmp_NA&mons_sel_dir_mcid=amzn1.merchant.d.AAI6NGADS5EZQRXZADF5AB4D7DJQ&mons_sel_mkid=ATVPDKIKX0DER' }, blank());
    expect(d).toMatchObject({ marketplaceId: US, merchantId: null });
    expect(detectMarketplace({ href: 'https://sellercentral.amazon.com/home?mons_sel_mcid=amzn1.merchant.d.AAI6NGADS5EZQRXZ' }, blank()).merchantId).toBeNull();
  });

  it('reads the store from the global label and the marketplace from the regional label, which carry no separator', () => {
    const d = detectMarketplace({ href: 'https://sellercentral.amazon.com/home' }, page('seller-central-switcher-ca.html'));
    expect(d).toMatchObject({ marketplaceId: CA, source: 'switcher', storeName: 'Acme Direct' });
  });

  it('reads a Chinese regional label ("德国") nested in its child span', () => {
    const d = detectMarketplace({ href: 'https://sellercentral-europe.amazon.com/home' }, page('seller-central-switcher-zh-de.html'));
    expect(d).toMatchObject({ marketplaceId: DE, source: 'switcher', storeName: 'Cedar Outdoor EU' });
  });

  it('maps the marketplace names the switcher shows, in English and Chinese, with or without "站" and "(当前)"', () => {
    const label = (text: string) =>
      detectMarketplace(
        { href: 'https://sellercentral-europe.amazon.com/home' },
        new DOMParser().parseFromString(`<span class="dropdown-account-switcher-header-label-regional">${text}</span>`, 'text/html'),
      ).marketplaceId;
    expect(label('United Kingdom')).toBe(GB);
    expect(label('英国站')).toBe(GB);
    expect(label('法国 (当前)')).toBe(FR);
    expect(label('France. Selected')).toBe(FR);
    expect(label('Deutschland')).toBe(DE);
    expect(label('Vereinigte Staaten')).toBe(US);
    expect(label('カナダ')).toBe(CA);
  });

  it('takes a region label ("Europe") as a region only: the address names the marketplace', () => {
    const doc = page('seller-central-switcher-europe.html');
    expect(detectMarketplace({ href: `https://sellercentral-europe.amazon.com/home?mons_sel_mkid=amzn1.mp.o.${DE}` }, doc)).toMatchObject({ marketplaceId: DE, source: 'url', storeName: 'Lumen Trading Ltd' });
    const unsure = detectMarketplace({ href: 'https://sellercentral.amazon.com.unknown/home' }, doc);
    expect(unsure.marketplaceId).toBeNull();
    expect(unsure.candidates).toContain(DE);
    expect(unsure.candidates).not.toContain(US);
  });

  it('narrows the candidates to the region stck names', () => {
    const d = detectMarketplace({ href: 'https://sellercentral.amazon.example/home?stck=FE' }, blank());
    expect(d.candidates).toContain(JP);
    expect(d.candidates).not.toContain(DE);
  });

  it('lets the address beat the switcher when they disagree', () => {
    const d = detectMarketplace({ href: `https://sellercentral.amazon.com/home?mons_sel_mkid=amzn1.mp.o.${US}` }, page('seller-central-switcher-ca.html'));
    expect(d).toMatchObject({ marketplaceId: US, source: 'url', storeName: 'Acme Direct' });
  });
});

describe('Seller Central content script matches', () => {
  it('cover the Seller Central host of every marketplace in the shared table', () => {
    for (const m of MARKETPLACES) expect(SELLER_CENTRAL_MATCHES, m.id).toContain(`https://${m.sellerCentralHost}/*`);
  });

  it('list every host explicitly, since a match pattern cannot wildcard a top-level domain', () => {
    for (const host of SELLER_CENTRAL_HOSTS) expect(host).not.toContain('*');
  });

  it('reads a page into short evidence that the background judges the same as the panel does', () => {
    const doc = page('seller-central-de.html');
    const href = 'https://sellercentral-europe.amazon.com/performance/dashboard';
    const evidence = readEvidence(EVIDENCE_PROBES, { href }, doc);
    expect(evidence.pickerValue).toContain(DE);
    expect(judgeEvidence(JSON.parse(JSON.stringify(evidence)))).toEqual(detectMarketplace({ href }, doc));
    const long = new DOMParser().parseFromString(`<div class="dropdown-account-switcher-header-label">${'Acme '.repeat(500)}| Germany</div>`, 'text/html');
    const capped = readEvidence(EVIDENCE_PROBES, { href: `${href}?q=${'x'.repeat(10_000)}` }, long);
    expect(capped.href).toHaveLength(EVIDENCE_PROBES.limits.href);
    expect(capped.labels[0]).toHaveLength(EVIDENCE_PROBES.limits.text);
    expect(isPageEvidence(JSON.parse(JSON.stringify(readEvidence(EVIDENCE_PROBES, { href: NA_CANADA }, page('seller-central-switcher-ca.html')))))).toBe(true);
  });
});
