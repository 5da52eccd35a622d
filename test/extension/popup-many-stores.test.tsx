// oxlint-disable-next-line import/no-unassigned-import -- the import installs IndexedDB globals in happy-dom; that side effect is its point
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCache, openCacheDb } from '../../extension/lib/cache/cache-db.ts';
import { directSource } from '../../extension/lib/models/health-source.ts';
import type { StoreOverview } from '../../shared/api/index.ts';
import { PopupApp } from '../../extension/entrypoints/popup/popup-app.tsx';
import { INITIAL_SYNC, type SyncState } from '../../extension/lib/cache/cache-db.ts';
import { groupByLevel, searchStores } from '../../extension/lib/derive/store-search.ts';
import { visibleWindow } from '../../extension/lib/derive/virtual-window.ts';
import { createHealthModel } from '../../extension/lib/models/health-model.ts';
import type { HealthData, HealthSource } from '../../extension/lib/models/health-source.ts';
import { DE, JP, NOW, US, market, store } from './helpers/overview-fixtures.ts';
import { mount, settle, texts } from './helpers/render.tsx';

// The popup loads these after its first paint (main.tsx); the tests start with them loaded.
beforeAll(() => preloadOnDemand());

const synced: SyncState = { ...INITIAL_SYNC, status: 'ok', lastAttemptAt: NOW - 60_000, lastSuccessAt: NOW - 60_000, nextAttemptAt: NOW + 240_000 };

/** An agency's workspace: 500 stores, one in ten breached, one in five warned, the rest ok; some sell in Germany or Japan. */
function agency(count = 500): StoreOverview[] {
  return Array.from({ length: count }, (_, i) => {
    const level = i % 10 === 0 ? 'breach' : i % 5 === 0 ? 'warn' : 'ok';
    const second = i % 3 === 0 ? market(DE, 'DE', 'ok') : market(JP, 'JP', 'ok');
    return store(`s-${i}`, `Shop ${String(i).padStart(3, '0')}`, [market(US, 'US', level), second]);
  });
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

async function popup(stores: StoreOverview[]) {
  const data: HealthData = { stores, alerts: [], sync: synced, jobs: [], paired: true };
  const source: HealthSource = {
    load: async () => data,
    history: async () => [],
    subscribe: () => () => undefined,
    refresh: vi.fn<HealthSource['refresh']>(async () => ({ ok: true })),
    ack: vi.fn<HealthSource['ack']>(async () => ({ ok: true })),
    sync: vi.fn<HealthSource['sync']>(async () => undefined),
  };
  const model = createHealthModel(source, () => NOW);
  const view = mount(<PopupApp model={model} language="auto" onLanguage={() => undefined} openOptions={() => undefined} />, 'en');
  unmount = view.unmount;
  model.start();
  await settle();
  return view.root;
}

async function type(root: HTMLElement, text: string): Promise<void> {
  const input = root.querySelector<HTMLInputElement>('input.sw-search')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

describe('the popup with 500 stores', () => {
  it('renders only the cards in view (and a screen around them), worst group first with its count', async () => {
    const root = await popup(agency());
    const cards = root.querySelectorAll('.sw-store');
    expect(cards.length).toBeGreaterThan(3);
    expect(cards.length).toBeLessThan(20);
    expect(texts(root, '.sw-group-head')[0]).toBe('Breach · 50');
    expect(texts(root, '.sw-store-name')[0]).toBe('Shop 000');
    // The rest of the list is there as height, so the scrollbar tells how long it is.
    const spacer = root.querySelector<HTMLElement>('.sw-vlist > .sw-vspace:last-child');
    expect(Number.parseInt(spacer!.style.height, 10)).toBeGreaterThan(400 * 90);
  });

  it('renders the rows further down once scrolled there', async () => {
    const root = await popup(agency());
    const list = root.querySelector<HTMLElement>('.sw-vlist')!;
    list.scrollTop = 300 * 96;
    list.dispatchEvent(new Event('scroll'));
    await settle();
    const names = texts(root, '.sw-store-name');
    expect(names).not.toContain('Shop 000');
    expect(names.length).toBeLessThan(20);
    expect(texts(root, '.sw-group-head')).not.toContain('Breach · 50');
  });

  it('finds stores by name and by marketplace, in any case, and says when nothing matches', async () => {
    const root = await popup(agency());
    await type(root, 'SHOP 333');
    expect(texts(root, '.sw-store-name')).toEqual(['Shop 333']);
    // Worst first within the matches: 120 is breached, 125 warned, the rest ok.
    await type(root, 'shop 12');
    expect(texts(root, '.sw-store-name').slice(0, 2)).toEqual(['Shop 120', 'Shop 125']);
    expect(texts(root, '.sw-group-head')).toEqual(['Breach · 1', 'Warning · 1', 'OK · 13']);
    await type(root, 'germany shop 00');
    expect(texts(root, '.sw-store-name')).toEqual(['Shop 000', 'Shop 300', 'Shop 003', 'Shop 006', 'Shop 009']);
    await type(root, 'atlantis');
    expect(root.querySelectorAll('.sw-store')).toHaveLength(0);
    expect(texts(root, '.sw-no-match')).toEqual(['No store or marketplace matches “atlantis”.']);
  });
});

describe('the first screen read alone', () => {
  it('reads the first stores worst first from the cache, and ranks again when a delta moves one', async () => {
    const cache = createCache(await openCacheDb('first-screen-test'));
    await cache.replaceStores(agency());
    const head = await cache.firstScreen(12);
    expect(head.complete).toBe(false);
    expect(head.stores.map((s) => s.name).slice(0, 3)).toEqual(['Shop 000', 'Shop 010', 'Shop 020']);
    expect(head.stores).toHaveLength(12);
    // Store 499 breaks (and, among equals, its name sorts first): it moves from last to first.
    await cache.mergeStores([store('s-499', 'Aster 499', [market(US, 'US', 'breach')])], ['s-0']);
    const again = await cache.firstScreen(12);
    expect(again.stores[0]!.name).toBe('Aster 499');
    expect(again.stores.map((s) => s.name)).not.toContain('Shop 000');
    expect((await cache.firstScreen(1000)).complete).toBe(true);
  });

  it('paints the popup from the first screen, without counts over all stores, then loads the rest', async () => {
    const cache = createCache(await openCacheDb('first-screen-model'));
    await cache.replaceStores(agency());
    const changes = { addListener: () => undefined, removeListener: () => undefined };
    const source = directSource(cache, fakeBrowser.storage.local, changes, fakeBrowser.runtime);
    const model = createHealthModel(source, () => NOW);
    await model.reloadFirstScreen();
    expect(model.partial.value).toBe(true);
    expect(model.stores.value).toHaveLength(12);
    await model.reload();
    expect(model.partial.value).toBe(false);
    expect(model.stores.value).toHaveLength(500);
  });
});

describe('search, grouping and the visible window', () => {
  it('matches every word against the name, Amazon store name, country code and marketplace names', () => {
    const stores = [store('a', 'Alpha Home', [market(US, 'US', 'ok')], { amazonStoreName: 'AlphaHome Official' }), store('b', '宝贝家居', [market(JP, 'JP', 'warn')])];
    expect(searchStores(stores, 'official').map((s) => s.id)).toEqual(['a']);
    expect(searchStores(stores, 'jp').map((s) => s.id)).toEqual(['b']);
    expect(searchStores(stores, '日本 宝贝').map((s) => s.id)).toEqual(['b']);
    expect(searchStores(stores, '  ').map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('groups by level worst first, keeping the order within a group and leaving out empty groups', () => {
    const groups = groupByLevel(agency(20));
    expect(groups.map((g) => [g.level, g.stores.length])).toEqual([
      ['breach', 2],
      ['warn', 2],
      ['ok', 16],
    ]);
    expect(groups[0]!.stores.map((s) => s.name)).toEqual(['Shop 000', 'Shop 010']);
  });

  it('covers the viewport and the overscan, with the rest as spacer heights, measured rows counting as measured', () => {
    const heights = new Map([[0, 300]]);
    const w = visibleWindow({ count: 500, heightOf: (i) => heights.get(i), estimate: 100, scrollTop: 1000, viewport: 600, overscan: 200 });
    // Rows: 0 is 300 px, the rest 100; the window is 800..1800 px.
    expect(w).toEqual({ start: 6, end: 16, before: 800, after: 484 * 100 });
    expect(visibleWindow({ count: 3, heightOf: () => undefined, estimate: 100, scrollTop: 0, viewport: 600, overscan: 200 })).toEqual({ start: 0, end: 3, before: 0, after: 0 });
  });
});
