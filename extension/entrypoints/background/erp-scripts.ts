/**
 * The ERP panel on hosts the person added in options. Each host is an optional host permission the
 * options page asked for; the background registers the ERP content script for the granted ones
 * with the scripting API (and unregisters the rest), at start-up and whenever the list changes.
 */
import type { Browser } from 'wxt/browser';
import { type StorageArea, readSettings } from '../../lib/platform/settings.ts';

export const CUSTOM_ERP_SCRIPT_ID = 'storewatch-erp-custom';
/** Built by WXT from extension/entrypoints/erp.content/. */
export const ERP_SCRIPT_FILE = 'content-scripts/erp.js';

export interface ErpPlatform {
  local: StorageArea;
  permissions: Pick<typeof Browser.permissions, 'contains'>;
  scripting: Pick<typeof Browser.scripting, 'getRegisteredContentScripts' | 'registerContentScripts' | 'unregisterContentScripts'>;
}

export async function syncErpScripts(platform: ErpPlatform): Promise<string[]> {
  const { erpHosts } = await readSettings(platform.local);
  const granted: string[] = [];
  for (const pattern of erpHosts) {
    if (await platform.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await platform.scripting.getRegisteredContentScripts({ ids: [CUSTOM_ERP_SCRIPT_ID] });
  if (existing.length) await platform.scripting.unregisterContentScripts({ ids: [CUSTOM_ERP_SCRIPT_ID] });
  if (granted.length) {
    await platform.scripting.registerContentScripts([
      { id: CUSTOM_ERP_SCRIPT_ID, matches: granted, js: [ERP_SCRIPT_FILE], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
  }
  return granted;
}
