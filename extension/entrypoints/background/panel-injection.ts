/**
 * The full panel goes into a page only when the person opens the badge: the background injects
 * the panel script into the badge's own tab and frame. The host permission this needs is the
 * content scripts' own hosts (manifest `host_permissions`) or an ERP host granted in options.
 */
import type { WxtScripting } from 'wxt/browser';

export type PanelInjector = Pick<WxtScripting, 'executeScript'>;

export async function injectPanel(scripting: PanelInjector, tabId: number, frameId: number): Promise<void> {
  // Built by WXT from extension/entrypoints/panel.tsx (an unlisted script).
  await scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/panel.js'] });
}
