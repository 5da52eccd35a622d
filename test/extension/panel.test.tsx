import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import { PanelApp } from '../../extension/components/panel/panel-app.tsx';
import { INITIAL_SYNC } from '../../extension/lib/cache/cache-db.ts';
import { type Detection, detectMarketplace } from '../../extension/lib/detect/detect-marketplace.ts';
import { provenStore, resolvePanelSelection, storeNamedInText } from '../../extension/lib/derive/panel-selection.ts';
import { createHealthModel } from '../../extension/lib/models/health-model.ts';
import type { HealthData, HealthSource } from '../../extension/lib/models/health-source.ts';
import { type PickMemory, createPanelModel } from '../../extension/lib/models/panel-model.ts';
import type { PanelPick } from '../../extension/lib/platform/settings.ts';
import { DE, GB, NOW, US, market, store, threeStores } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle, texts } from './helpers/render.tsx';

// The popup loads these after its first paint (main.tsx); the tests start with them loaded.
beforeAll(() => preloadOnDemand());

const europe = () => [
  store('s-eu', 'Cedar Outdoor', [market(DE, 'DE', 'breach'), market(GB, 'GB', 'ok')], { region: 'eu' }),
  store('s-us', 'Alpha Home', [market(US, 'US', 'ok')]),
];

function data(stores = europe()): HealthData {
  return { stores, alerts: [], sync: { ...INITIAL_SYNC, status: 'ok', lastSuccessAt: NOW, lastAttemptAt: NOW }, jobs: [], paired: true };
}

function source(d: HealthData): HealthSource {
  return {
    load: async () => d,
    history: async () => [],
    subscribe: () => () => undefined,
    refresh: async () => ({ ok: true }),
    ack: async () => ({ ok: true }),
    sync: async () => undefined,
  };
}

/** The picks of one host, as storage.local would keep them. */
function memory(initial: PanelPick | null = null): PickMemory & { saved: PanelPick[] } {
  const saved: PanelPick[] = [];
  return { saved, load: async () => initial, save: async (p) => void saved.push(p) };
}

function docOf(name: string): Document {
  return new DOMParser().parseFromString(readFileSync(join(process.cwd(), 'test/extension/fixtures', name), 'utf8'), 'text/html');
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function panel(mode: 'seller-central' | 'erp', href: string, page: Document, picks = memory(), stores = europe()) {
  const health = createHealthModel(source(data(stores)), () => NOW);
  const model = createPanelModel(health, { mode, detect: () => detectMarketplace({ href }, page), picks });
  const view = mount(<PanelApp panel={model} />);
  unmount = view.unmount;
  await model.start();
  await settle();
  return { model, root: view.root, picks };
}

describe('panel selection', () => {
  const unsure: Detection = { marketplaceId: null, candidates: [DE, GB, 'A13V1IB3VIYZZH'], source: 'none', storeName: null, merchantId: null };

  it('offers only the marketplaces the stores sell in when the page is unclear', () => {
    expect(resolvePanelSelection(europe(), unsure, null)).toEqual({ kind: 'pick-marketplace', candidates: [DE, GB] });
  });

  it('uses the pick remembered for this host when the page is unclear', () => {
    expect(resolvePanelSelection(europe(), unsure, { marketplaceId: GB, storeId: null })).toMatchObject({ kind: 'market', market: { marketplaceId: GB } });
  });

  it('lets the page overrule a remembered pick when its URL names the marketplace', () => {
    const fromUrl: Detection = { ...unsure, marketplaceId: DE, source: 'url' };
    expect(resolvePanelSelection(europe(), fromUrl, { marketplaceId: GB, storeId: null })).toMatchObject({ kind: 'market', market: { marketplaceId: DE } });
  });

  it('asks which store when two stores sell in the marketplace and the page does not name one', () => {
    const twoInUs = [store('a', 'Alpha Home', [market(US, 'US', 'ok')]), store('b', 'Birch Kitchen', [market(US, 'US', 'warn')])];
    const host: Detection = { marketplaceId: US, candidates: [US], source: 'host', storeName: null, merchantId: null };
    expect(resolvePanelSelection(twoInUs, host, null)).toMatchObject({ kind: 'pick-store', marketplaceId: US });
    expect(resolvePanelSelection(twoInUs, { ...host, storeName: 'birch kitchen' }, null)).toMatchObject({ kind: 'market', store: { id: 'b' } });
  });
});

describe('store resolution by what Amazon calls the store', () => {
  const CA = 'A2EUQ1WTGCTBG2';
  const twoNa = () => [
    store('a03', 'A03-美国', [market(US, 'US', 'ok'), market(CA, 'CA', 'ok')], { amazonStoreName: 'Acme Direct', merchantIds: ['AAGBKF49IVH4X'] }),
    store('b07', 'B07-美国', [market(US, 'US', 'warn', { storeName: 'Birch  Goods' }), market(CA, 'CA', 'warn')], { amazonStoreName: null }),
  ];
  const page = (patch: Partial<Detection>): Detection => ({ marketplaceId: CA, candidates: [US, CA], source: 'url', storeName: null, merchantId: null, ...patch });

  it("finds the store by Amazon's store name on the page, ignoring case and spaces, where the team typed another name", () => {
    expect(resolvePanelSelection(twoNa(), page({ storeName: 'ACME direct' }), null)).toMatchObject({ kind: 'market', store: { id: 'a03' }, proof: 'name' });
    expect(resolvePanelSelection(twoNa(), page({ marketplaceId: US, storeName: 'birch goods' }), null)).toMatchObject({ kind: 'market', store: { id: 'b07' }, proof: 'name' });
  });

  it('finds the store by the merchant id in the address alone', () => {
    expect(resolvePanelSelection(twoNa(), page({ merchantId: 'AAGBKF49IVH4X' }), null)).toMatchObject({ kind: 'market', store: { id: 'a03' }, market: { marketplaceId: CA }, proof: 'merchant' });
  });

  it('follows the page when it names another store than the remembered pick', () => {
    expect(resolvePanelSelection(twoNa(), page({ storeName: 'Birch Goods' }), { marketplaceId: CA, storeId: 'a03' })).toMatchObject({ store: { id: 'b07' }, proof: 'name' });
  });

  it("asks only when the page does not say, and otherwise prefers the pick, then the profile's store", () => {
    expect(resolvePanelSelection(twoNa(), page({}), null)).toMatchObject({ kind: 'pick-store', stores: [{ id: 'a03' }, { id: 'b07' }] });
    expect(resolvePanelSelection(twoNa(), page({}), { marketplaceId: CA, storeId: 'a03' })).toMatchObject({ store: { id: 'a03' }, proof: 'pick' });
    expect(resolvePanelSelection(twoNa(), page({}), null, false, 'b07')).toMatchObject({ store: { id: 'b07' }, proof: 'profile' });
  });

  it('reports a merchant id to record only when the page proved the store and the relay does not know it', () => {
    const named = page({ storeName: 'Birch Goods', merchantId: 'A31LSP1L7F6XJ2' });
    expect(provenStore(resolvePanelSelection(twoNa(), named, null), named)).toEqual({ storeId: 'b07', newMerchantId: 'A31LSP1L7F6XJ2' });
    const known = page({ merchantId: 'AAGBKF49IVH4X' });
    expect(provenStore(resolvePanelSelection(twoNa(), known, null), known)).toEqual({ storeId: 'a03', newMerchantId: null });
    const picked = page({ merchantId: 'A31LSP1L7F6XJ2' });
    expect(provenStore(resolvePanelSelection(twoNa(), picked, { marketplaceId: CA, storeId: 'b07' }), picked)).toBeNull();
  });
});

describe('Seller Central panel', () => {
  it('starts collapsed, as a badge naming the level of the marketplace the page shows', async () => {
    const { root } = await panel('seller-central', 'https://sellercentral.amazon.com/home', docOf('seller-central-us.html'));
    expect(root.querySelector('.sw-panel')).toBeNull();
    const badge = root.querySelector('.sw-badge');
    expect(badge?.textContent).toContain('US');
    expect(badge?.className).toContain('sw-ok');
  });

  it('opens to the store and marketplace on the page, German marketplace on the European host', async () => {
    const { root, model } = await panel('seller-central', 'https://sellercentral-europe.amazon.com/home', docOf('seller-central-de.html'));
    model.toggle();
    await settle();
    expect(texts(root, '.sw-store-name')).toEqual(['Cedar Outdoor']);
    expect(root.querySelector('.sw-metric')?.className).toContain('sw-breach');
  });

  it('asks which marketplace when unsure, and remembers the answer for this host', async () => {
    const { root, model, picks } = await panel('seller-central', 'https://sellercentral-europe.amazon.com/home', docOf('seller-central-eu-unknown.html'));
    model.toggle();
    await settle();
    expect(root.textContent).toContain('Which marketplace is this page?');
    const options = [...root.querySelectorAll('.sw-picker-options button')];
    expect(options).toHaveLength(2);
    (options.find((b) => /United Kingdom|UK/.test(b.textContent ?? '')) as HTMLButtonElement).click();
    await settle();
    expect(picks.saved).toEqual([{ marketplaceId: GB, storeId: null }]);
    expect(root.querySelector('.sw-chip')?.textContent).toContain('GB');
  });

  it('starts from the remembered pick on the next visit', async () => {
    const { root, model } = await panel('seller-central', 'https://sellercentral-europe.amazon.com/home', docOf('seller-central-eu-unknown.html'), memory({ marketplaceId: GB, storeId: null }));
    model.toggle();
    await settle();
    expect(root.querySelector('.sw-picker')).toBeNull();
    expect(root.querySelector('.sw-chip')?.textContent).toContain('GB');
  });

  it("names the store it shows by the team's name and Amazon's, found from Amazon's name on the page", async () => {
    const stores = [
      store('a03', 'A03-美国', [market(US, 'US', 'ok')], { amazonStoreName: 'Acme Direct' }),
      store('b07', 'B07-美国', [market(US, 'US', 'warn')], { amazonStoreName: 'Alpha Home' }),
    ];
    const { root, model } = await panel('seller-central', 'https://sellercentral.amazon.com/home', docOf('seller-central-us.html'), memory({ marketplaceId: US, storeId: 'a03' }), stores);
    model.toggle();
    await settle();
    expect(texts(root, '.sw-store-name')).toEqual(['B07-美国']);
    expect(root.querySelector('.sw-amazon-name')?.textContent).toBe('On Amazon: Alpha Home');
    expect(root.querySelector('.sw-picker')).toBeNull();
  });

  it('renders store names from the relay as text, never as markup', async () => {
    const hostile = [store('x', '<img src=x onerror=alert(1)>', [market(US, 'US', 'warn')])];
    const { root, model } = await panel('seller-central', 'https://sellercentral.amazon.com/home', docOf('seller-central-us.html'), memory(), hostile);
    model.toggle();
    await settle();
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('ERP panel', () => {
  it('summarises every store worst first, with refresh all', async () => {
    const refresh = vi.fn<HealthSource['refresh']>(async () => ({ ok: true }));
    const health = createHealthModel({ ...source(data(threeStores())), refresh }, () => NOW);
    const model = createPanelModel(health, { mode: 'erp', detect: () => ({ marketplaceId: null, candidates: [], source: 'none', storeName: null, merchantId: null }), picks: memory() });
    const view = mount(<PanelApp panel={model} />);
    unmount = view.unmount;
    await model.start();
    await settle();
    expect(view.root.querySelector('.sw-badge')?.textContent).toBe('2 of 3 stores need attention');
    model.toggle();
    await settle();
    expect(texts(view.root, '.sw-store-name')).toEqual(['Cedar Outdoor', 'Birch Kitchen', 'Alpha Home']);
    buttonNamed(view.root, 'Refresh all').click();
    expect(refresh).toHaveBeenCalledWith(null);
  });

  it('puts first the store an ERP page names in its title, saying so', async () => {
    const health = createHealthModel(source(data(threeStores())), () => NOW);
    const none = (): Detection => ({ marketplaceId: null, candidates: [], source: 'none', storeName: null, merchantId: null });
    const model = createPanelModel(health, { mode: 'erp', detect: none, picks: memory(), pageTexts: () => ['积加ERP - alpha  home - 订单管理', ''] });
    const view = mount(<PanelApp panel={model} />);
    unmount = view.unmount;
    await model.start();
    model.toggle();
    await settle();
    expect(view.root.querySelector('.sw-erp-named')?.textContent).toBe('This page is about Alpha Home');
    expect(texts(view.root, '.sw-store-name')).toEqual(['Alpha Home', 'Cedar Outdoor', 'Birch Kitchen']);
  });

  it('names no store when the page names none or several, or only by a too short name', () => {
    const stores = threeStores();
    expect(storeNamedInText(stores, ['店小秘 - 订单'])).toBeNull();
    expect(storeNamedInText(stores, ['Alpha Home / Birch Kitchen'])).toBeNull();
    expect(storeNamedInText([store('x', 'US', [market(US, 'US', 'ok')])], ['US orders'])).toBeNull();
    expect(storeNamedInText(stores, ['Amazon: Birch Kitchen'])?.id).toBe('s-warn');
  });
});
