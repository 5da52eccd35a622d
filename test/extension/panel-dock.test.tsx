/**
 * The panel never hides the page: open, it is a side sheet on the side chosen for this host and
 * the page is narrowed by its width; collapsed, only the badge stays and the page gets its width
 * back. The ERP panel refreshes one store at a time too.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { preloadOnDemand } from '../../extension/components/on-demand.ts';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PanelApp } from '../../extension/components/panel/panel-app.tsx';
import { INITIAL_SYNC } from '../../extension/lib/cache/cache-db.ts';
import { createHealthModel } from '../../extension/lib/models/health-model.ts';
import type { HealthSource } from '../../extension/lib/models/health-source.ts';
import { createPanelModel } from '../../extension/lib/models/panel-model.ts';
import { SHEET_WIDTH, readDock, reserveSpace, saveDock } from '../../extension/lib/panel/panel-dock.ts';
import { NOW, threeStores } from './helpers/overview-fixtures.ts';
import { buttonNamed, mount, settle } from './helpers/render.tsx';

// The popup loads these after its first paint (main.tsx); the tests start with them loaded.
beforeAll(() => preloadOnDemand());

let unmount: (() => void) | null = null;
beforeEach(() => fakeBrowser.reset());
afterEach(() => {
  unmount?.();
  unmount = null;
  reserveSpace(document.documentElement, null);
});

function source(): HealthSource & { refresh: ReturnType<typeof vi.fn<HealthSource['refresh']>> } {
  const data = { stores: threeStores(), alerts: [], sync: { ...INITIAL_SYNC, status: 'ok' as const, lastSuccessAt: NOW, lastAttemptAt: NOW }, jobs: [], paired: true };
  return {
    load: async () => data,
    history: async () => [],
    subscribe: () => () => undefined,
    refresh: vi.fn<HealthSource['refresh']>(async () => ({ ok: true })),
    ack: async () => ({ ok: true }),
    sync: async () => undefined,
  };
}

describe('panel docking', () => {
  it('remembers the side per host, right by default', async () => {
    const local = fakeBrowser.storage.local;
    expect(await readDock(local, 'sellercentral.amazon.de')).toBe('right');
    await saveDock(local, 'sellercentral.amazon.de', 'left');
    expect(await readDock(local, 'sellercentral.amazon.de')).toBe('left');
    expect(await readDock(local, 'sellercentral.amazon.com')).toBe('right');
  });

  it('narrows the page by the sheet on its side and gives the width back, leaving the page\'s own margin alone', () => {
    const root = document.createElement('html');
    root.style.marginTop = '3px';
    reserveSpace(root, 'right');
    expect(root.style.marginRight).toBe(`${SHEET_WIDTH}px`);
    reserveSpace(root, 'left');
    expect([root.style.marginLeft, root.style.marginRight]).toEqual([`${SHEET_WIDTH}px`, '']);
    reserveSpace(root, null);
    expect([root.style.marginLeft, root.style.marginRight, root.style.marginTop]).toEqual(['', '', '3px']);
  });

  it('docks the open panel to the other side on request and saves it for the host', async () => {
    const saved: string[] = [];
    const health = createHealthModel(source(), () => NOW);
    const panel = createPanelModel(health, {
      mode: 'erp',
      detect: () => ({ marketplaceId: null, candidates: [], source: 'none', storeName: null, merchantId: null }),
      picks: { load: async () => null, save: async () => undefined },
      docks: { load: async () => 'right', save: async (side) => void saved.push(side) },
    });
    const view = mount(<PanelApp panel={panel} />, 'zh-CN');
    unmount = view.unmount;
    await panel.start();
    panel.toggle();
    await settle();
    const sheet = view.root.querySelector('.sw-panel-root');
    expect([sheet?.classList.contains('sw-docked'), sheet?.classList.contains('sw-dock-right')]).toEqual([true, true]);
    buttonNamed(view.root, '停靠左侧').click();
    await settle();
    expect(view.root.querySelector('.sw-panel-root')?.classList.contains('sw-dock-left')).toBe(true);
    expect(saved).toEqual(['left']);
  });

  it('refreshes one store from the ERP panel', async () => {
    const src = source();
    const health = createHealthModel(src, () => NOW);
    const panel = createPanelModel(health, {
      mode: 'erp',
      detect: () => ({ marketplaceId: null, candidates: [], source: 'none', storeName: null, merchantId: null }),
      picks: { load: async () => null, save: async () => undefined },
    });
    const view = mount(<PanelApp panel={panel} />, 'zh-CN');
    unmount = view.unmount;
    await panel.start();
    panel.toggle();
    await settle();
    buttonNamed(view.root, '刷新 Birch Kitchen').click();
    await settle();
    expect(src.refresh).toHaveBeenCalledWith('s-warn');
  });
});
