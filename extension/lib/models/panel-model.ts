/**
 * The injected panel's state: the health model (same data, actions and history as the popup) plus
 * what only the page panel has - collapsed or open, the detected marketplace, and the person's pick
 * for this host when detection is unsure.
 */
import { batch, computed, signal } from '@preact/signals';
import type { Detection } from '../detect/detect-marketplace.ts';
import { resolvePanelSelection, storeNamedInText } from '../derive/panel-selection.ts';
import type { DockSide } from '../panel/panel-dock.ts';
import type { PanelPick } from '../platform/settings.ts';
import type { HealthModel } from './health-model.ts';

export interface PickMemory {
  load(): Promise<PanelPick | null>;
  save(pick: PanelPick): Promise<void>;
}

/** Where the open panel docks on this host. */
export interface DockMemory {
  load(): Promise<DockSide>;
  save(side: DockSide): Promise<void>;
}

export interface PanelOptions {
  mode: 'seller-central' | 'erp';
  /** Reads the page; called again after navigation and when the panel opens. */
  detect: () => Detection;
  picks: PickMemory;
  docks?: DockMemory;
  /** On an ERP page: the texts that may name the store it is about (title, header). Untrusted. */
  pageTexts?: () => string[];
  /** The store this browser profile is for, if any: it decides between stores when the page does not. */
  profileStoreId?: () => Promise<string | null>;
}

export function createPanelModel(health: HealthModel, options: PanelOptions) {
  const expanded = signal(false);
  const detection = signal<Detection | null>(null);
  const pick = signal<PanelPick | null>(null);
  const changing = signal(false);
  const dock = signal<DockSide>('right');
  const profileStoreId = signal<string | null>(null);
  const pageTexts = signal<string[]>([]);
  /** The store an ERP page names, shown first; null lists every store alike. */
  const erpStore = computed(() => (options.mode === 'erp' ? storeNamedInText(health.stores.value, pageTexts.value) : null));

  const selection = computed(() => {
    const d = detection.value;
    if (options.mode !== 'seller-central' || !d) return null;
    return resolvePanelSelection(health.stores.value, d, pick.value, changing.value, profileStoreId.value);
  });

  function showSelected(): void {
    const s = selection.value;
    if (expanded.value && s?.kind === 'market') health.show(s.store.id, s.market.marketplaceId);
  }

  async function remember(next: PanelPick): Promise<void> {
    batch(() => {
      pick.value = next;
      changing.value = false;
    });
    showSelected();
    await options.picks.save(next);
  }

  return {
    mode: options.mode,
    health,
    expanded,
    detection,
    pick,
    profileStoreId,
    erpStore,
    changing,
    selection,
    dock,
    /** Docks the open panel on the other side, remembered for this host. */
    async setDock(side: DockSide): Promise<void> {
      dock.value = side;
      await options.docks?.save(side);
    },
    redetect(): void {
      detection.value = options.detect();
      showSelected();
    },
    async start(): Promise<() => void> {
      pick.value = await options.picks.load();
      if (options.docks) dock.value = await options.docks.load();
      profileStoreId.value = (await options.profileStoreId?.()) ?? null;
      pageTexts.value = options.pageTexts?.() ?? [];
      detection.value = options.detect();
      return health.start();
    },
    toggle(): void {
      expanded.value = !expanded.value;
      if (expanded.value) {
        detection.value = options.detect();
        showSelected();
      }
    },
    change(): void {
      changing.value = true;
    },
    chooseMarketplace: (marketplaceId: string) => remember({ marketplaceId, storeId: pick.value?.storeId ?? null }),
    chooseStore: (marketplaceId: string, storeId: string) => remember({ marketplaceId, storeId }),
  };
}

export type PanelModel = ReturnType<typeof createPanelModel>;
