import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMarketplace, judgeEvidence } from '../../extension/lib/detect/detect-marketplace.ts';
import { EVIDENCE_PROBES, readEvidence } from '../../extension/lib/detect/page-evidence.ts';
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
  });
});
