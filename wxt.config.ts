import { defineConfig } from 'wxt';
import { DEFAULT_ERP_MATCHES } from './extension/lib/detect/erp-hosts.ts';
import { SELLER_CENTRAL_MATCHES } from './extension/lib/detect/seller-central-hosts.ts';
import { normalizeRelayUrl } from './extension/lib/platform/settings.ts';

/**
 * A preconfigured build (README, "Teams on fingerprint browsers"): with STOREWATCH_RELAY_URL and
 * STOREWATCH_ENROL_CODE set, every profile the zip is installed in pairs itself with that code on
 * first start (extension/entrypoints/background/auto-enrol.ts). Both or neither.
 */
function preconfiguredBuild(env: NodeJS.ProcessEnv): { relayUrl: string; enrolCode: string } {
  const url = env.STOREWATCH_RELAY_URL?.trim() ?? '';
  const code = env.STOREWATCH_ENROL_CODE?.trim() ?? '';
  if (!url && !code) return { relayUrl: '', enrolCode: '' };
  const relayUrl = normalizeRelayUrl(url);
  if (!relayUrl) throw new Error(`STOREWATCH_RELAY_URL must be an https:// address of your relay (got "${url}")`);
  if (!code) throw new Error('STOREWATCH_ENROL_CODE is missing: create one with POST /v1/invites {"devices": N} or in options, "Members and devices"');
  return { relayUrl, enrolCode: code };
}

// The extension's sources live in extension/; WXT builds them to .output/chrome-mv3.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  imports: false,
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    // storage: settings and the relay token; alarms: the sync loop; notifications: new alerts;
    // scripting: the badge the background draws into Seller Central and ERP tabs once they load
    // (no declared content script: background/page-badges.ts says why), and the full panel when
    // a badge is opened.
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // The pages the badge goes into, no more. They also let the background see those tabs'
    // addresses (tabs.onUpdated), so no "tabs" permission is needed.
    host_permissions: [...SELLER_CENTRAL_MATCHES, ...DEFAULT_ERP_MATCHES],
    // Asked for one host at a time from options ("ERP pages"), never at install.
    optional_host_permissions: ['https://*/*'],
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    // Pages load their chunks from the extension's own files, where a preload gains nothing; Vite's
    // preload helper would add half a kilobyte to the popup's first paint (its budget: 30 KB gzip).
    build: { modulePreload: false },
    define: { STOREWATCH_PRECONFIGURED: JSON.stringify(preconfiguredBuild(process.env)) },
  }),
});
