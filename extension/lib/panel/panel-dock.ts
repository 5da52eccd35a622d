/**
 * The open panel is a side sheet, docked left or right as the person chose for this host, and the
 * page is narrowed by the sheet's width while it is open, so none of the page's own controls sit
 * under it. Collapsed, only the badge remains. The choice is kept per host in storage.local.
 */
import type { StorageArea } from '../platform/settings.ts';

export type DockSide = 'left' | 'right';

const KEY = 'panelDocks';

/** The sheet's width in CSS pixels (panel.css `.sw-docked .sw-panel`). */
export const SHEET_WIDTH = 400;

export async function readDock(area: StorageArea, host: string): Promise<DockSide> {
  const raw = (await area.get(KEY))[KEY];
  const side = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[host] : undefined;
  return side === 'left' ? 'left' : 'right';
}

export async function saveDock(area: StorageArea, host: string, side: DockSide): Promise<void> {
  const raw = (await area.get(KEY))[KEY];
  const all = raw && typeof raw === 'object' ? (raw as Record<string, DockSide>) : {};
  await area.set({ [KEY]: { ...all, [host]: side } });
}

/**
 * Narrows the page's root by the sheet's width on `side` (null: gives the room back). Only the
 * margin we set is touched, so the page's own styles come back as they were.
 */
export function reserveSpace(root: HTMLElement, side: DockSide | null, width = SHEET_WIDTH): void {
  for (const s of ['left', 'right'] as const) {
    const property = `margin-${s}`;
    if (s === side) root.style.setProperty(property, `${width}px`, 'important');
    else if (root.dataset.storewatchDock === s) root.style.removeProperty(property);
  }
  if (side) root.dataset.storewatchDock = side;
  else delete root.dataset.storewatchDock;
}
