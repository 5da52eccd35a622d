import { defineConfig } from 'wxt';
import { DEFAULT_ERP_MATCHES } from './extension/lib/detect/erp-hosts.ts';
import { SELLER_CENTRAL_MATCHES } from './extension/lib/detect/seller-central-hosts.ts';

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
    // scripting: the full panel injected when a badge is opened, and the ERP badge on hosts the
    // person adds in options (registered at run time).
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // The content scripts' own hosts, no more: the background injects the full panel into them
    // when the person opens the badge (the install prompt is the same as for the content scripts).
    host_permissions: [...SELLER_CENTRAL_MATCHES, ...DEFAULT_ERP_MATCHES],
    // Asked for one host at a time from options ("ERP pages"), never at install.
    optional_host_permissions: ['https://*/*'],
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  }),
});
