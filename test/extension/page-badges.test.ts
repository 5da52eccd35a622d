import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PageBadgesPlatform, RELOOK_AFTER_MS, createPageBadges } from '../../extension/entrypoints/background/page-badges.ts';
import type { Detection } from '../../extension/lib/detect/detect-marketplace.ts';
import { SELLER_CENTRAL_HOSTS } from '../../extension/lib/detect/seller-central-hosts.ts';
import { getHandoff } from '../../extension/lib/panel/handoff.ts';
import { MARKETPLACES } from '../../shared/marketplaces.ts';
import { fakeTabs } from './helpers/fake-tabs.ts';

const SC_US = 'https://sellercentral.amazon.com/performance/dashboard';
const SC_EU = 'https://sellercentral-europe.amazon.com/home';

/** The page happy-dom shows: a Seller Central fixture at its real address. */
function showPage(url: string, fixture: string | null) {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const html = fixture ? readFileSync(join(process.cwd(), 'test/extension/fixtures', fixture), 'utf8') : '<html><body></body></html>';
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, 'text/html').documentElement.innerHTML;
}

/** The text the badge shows: its root is closed to the page, so the test keeps the root it made. */
let roots: ShadowRoot[] = [];
const attach = Element.prototype.attachShadow;
beforeEach(() => {
  roots = [];
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    return root;
  };
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('storewatch.panel-handoff')];
});
afterEach(() => {
  Element.prototype.attachShadow = attach;
});
const badgeText = () => roots.at(-1)?.querySelector('button')?.textContent ?? null;

function setup(options: { added?: string[]; label?: (d: Detection | null) => string } = {}) {
  const world = fakeTabs();
  const asked: { mode: string; detection: Detection | null; host: string }[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  let data = 'v1';
  const platform: PageBadgesPlatform = {
    scripting: world.scripting as unknown as PageBadgesPlatform['scripting'],
    tabs: world.tabs as unknown as PageBadgesPlatform['tabs'],
    addedErpHosts: async () => options.added ?? [],
    view: async (mode, detection, host) => {
      asked.push({ mode, detection, host });
      const where = detection?.marketplaceId ? `${detection.marketplaceId}/${detection.source}/${detection.storeName ?? '-'}` : 'unsure';
      return { level: 'warn', text: `${mode} ${where} ${data}`, title: host };
    },
    setTimeout: (run, ms) => void timers.push({ run, ms }),
    log: () => undefined,
  };
  const badges = createPageBadges(platform);
  world.tabs.onUpdated.addListener((id, change, tab) => void badges.onTabUpdated(id, change, tab));
  world.tabs.onRemoved.addListener((id) => badges.onTabRemoved(id));
  return { world, badges, asked, timers, setData: (next: string) => (data = next) };
}

describe('page badges, drawn by the background into the tabs it may run on', () => {
  it('reads a loaded Seller Central page, judges it here and draws the answer into the page', async () => {
    const { world, asked } = setup();
    showPage(SC_US, 'seller-central-us.html');
    await world.update({ id: 1, url: SC_US, status: 'complete' }, { status: 'complete' });
    expect(world.injections.map((i) => i.name)).toEqual(['readEvidence', 'drawBadge']);
    expect(asked).toEqual([{ mode: 'seller-central', detection: expect.objectContaining({ source: 'switcher', storeName: 'Alpha Home' }), host: 'sellercentral.amazon.com' }]);
    expect(world.injections[1]!.result).toBe('drawn');
    expect(badgeText()).toBe('seller-central ATVPDKIKX0DER/switcher/Alpha Home v1');
    expect(document.querySelectorAll('storewatch-badge')).toHaveLength(1);
    expect(getHandoff(globalThis)?.mode).toBe('seller-central');
  });

  it('covers every Seller Central host of docs/domain/seller-central-pages.md#hosts and the country hosts sellers bookmark', async () => {
    const { world } = setup();
    showPage(SC_US, null);
    let id = 0;
    for (const host of SELLER_CENTRAL_HOSTS) await world.update({ id: ++id, url: `https://${host}/home`, status: 'complete' }, { status: 'complete' });
    expect(new Set(world.injections.filter((i) => i.name === 'drawBadge').map((i) => i.tabId)).size).toBe(SELLER_CENTRAL_HOSTS.length);
    for (const m of MARKETPLACES) expect(SELLER_CENTRAL_HOSTS, m.countryCode).toContain(m.sellerCentralHost);
  });

  it('sums up ERP pages on the default hosts and on hosts added in options, and leaves every other page alone', async () => {
    const { world } = setup({ added: ['https://*.erp.example.com/*'] });
    showPage('https://www.dianxiaomi.com/order', null);
    await world.update({ id: 1, url: 'https://www.dianxiaomi.com/order', status: 'complete' }, { status: 'complete' });
    await world.update({ id: 2, url: 'https://shop.erp.example.com/x', status: 'complete' }, { status: 'complete' });
    await world.update({ id: 3, url: 'https://news.example.com/', status: 'complete' }, { status: 'complete' });
    await world.update({ id: 4, url: 'http://www.dianxiaomi.com/', status: 'complete' }, { status: 'complete' });
    // A tab on a host the extension may not see arrives without an address.
    await world.update({ id: 5, status: 'complete' }, { status: 'complete' });
    expect(world.injections.map((i) => `${i.tabId}:${i.name}`)).toEqual(['1:drawBadge', '2:drawBadge']);
    expect(world.injections[0]!.args[0]).toMatchObject({ text: 'erp unsure v1' });
  });

  it('redraws open badges only when what they show changed', async () => {
    const { world, badges, setData } = setup();
    showPage(SC_US, 'seller-central-us.html');
    await world.update({ id: 1, url: SC_US, status: 'complete' }, { status: 'complete' });
    await badges.showAll(false);
    expect(world.drawn(1)).toHaveLength(1);
    setData('v2');
    await badges.showAll(false);
    expect(world.drawn(1).map((d) => d.result)).toEqual(['drawn', 'updated']);
    expect(badgeText()).toContain('v2');
    // The page was read once: a change of data does not look at the page again.
    expect(world.injections.filter((i) => i.name === 'readEvidence')).toHaveLength(1);
    expect(document.querySelectorAll('storewatch-badge')).toHaveLength(1);
  });

  it('looks again at a page that did not say its marketplace, and follows an address change without a load', async () => {
    const { world, timers } = setup();
    showPage(SC_EU, 'seller-central-eu-unknown.html');
    await world.update({ id: 1, url: SC_EU, status: 'complete' }, { status: 'complete' });
    expect(badgeText()).toBe('seller-central unsure v1');
    expect(timers.map((t) => t.ms)).toEqual([...RELOOK_AFTER_MS]);
    // The switcher renders late.
    showPage(SC_EU, 'seller-central-de.html');
    timers[0]!.run();
    await world.update({ id: 1, url: SC_EU, status: 'complete' }, {});
    expect(badgeText()).toBe('seller-central A1PA6795UKMFR9/switcher/- v1');
    // A single-page app moves to another marketplace: Chrome reports the new address alone.
    const gb = `${SC_EU}?mons_sel_mkid=A1F83G8C2ARO7P`;
    showPage(gb, 'seller-central-de.html');
    await world.update({ id: 1, url: gb, status: 'complete' }, { url: gb });
    expect(badgeText()).toBe('seller-central A1F83G8C2ARO7P/url/- v1');
  });

  it('looks again at a page whose address names the marketplace while its switcher has not named the store yet', async () => {
    const { world, timers } = setup();
    const ca = 'https://sellercentral.amazon.com/home?mons_sel_mkid=amzn1.mp.o.A2EUQ1WTGCTBG2&stck=NA';
    showPage(ca, null);
    await world.update({ id: 1, url: ca, status: 'complete' }, { status: 'complete' });
    expect(badgeText()).toBe('seller-central A2EUQ1WTGCTBG2/url/- v1');
    expect(timers.map((t) => t.ms)).toEqual([...RELOOK_AFTER_MS]);
    showPage(ca, 'seller-central-switcher-ca.html');
    timers[0]!.run();
    await world.update({ id: 1, url: ca, status: 'complete' }, {});
    expect(badgeText()).toBe('seller-central A2EUQ1WTGCTBG2/url/Acme Direct v1');
  });

  it('does not look again at a page that said both its marketplace and its store', async () => {
    const { world, timers } = setup();
    showPage(SC_US, 'seller-central-switcher-ca.html');
    await world.update({ id: 1, url: SC_US, status: 'complete' }, { status: 'complete' });
    expect(badgeText()).toBe('seller-central A2EUQ1WTGCTBG2/switcher/Acme Direct v1');
    expect(timers).toEqual([]);
  });

  it('stays out of the way once the full panel is open, and after the tab goes', async () => {
    const { world, badges, setData } = setup();
    showPage(SC_US, 'seller-central-us.html');
    await world.update({ id: 1, url: SC_US, status: 'complete' }, { status: 'complete' });
    getHandoff(globalThis)!.panelMounted = true;
    setData('v2');
    await badges.showAll(false);
    expect(world.drawn(1).at(-1)?.result).toBe('panel-open');
    await world.remove(1);
    setData('v3');
    await badges.showAll(false);
    expect(world.drawn(1)).toHaveLength(2);
  });

  it('treats what a page hands back as input: odd evidence is no evidence, and a refusing tab is skipped', async () => {
    const { world, asked } = setup();
    showPage(SC_US, null);
    const title = document.createElement('div');
    title.className = 'dropdown-account-switcher-header-label';
    title.textContent = `${'Acme '.repeat(200)}| United States`;
    document.body.append(title);
    await world.update({ id: 1, url: SC_US, status: 'complete' }, { status: 'complete' });
    // The label is cut to the limit in the page, so it no longer names a marketplace: the host decides.
    expect(asked[0]!.detection).toMatchObject({ source: 'host' });
    world.refusing.add(2);
    await world.update({ id: 2, url: SC_US, status: 'complete' }, { status: 'complete' });
    expect(world.drawn(2)).toHaveLength(0);
  });
});
