import { defineContentScript } from 'wxt/utils/define-content-script';
import { DEFAULT_ERP_MATCHES } from '../../lib/detect/erp-hosts.ts';
import { startBadge } from '../../lib/panel/start-badge.ts';

// Also registered at run time for the hosts added in options (background/erp-scripts.ts).
export default defineContentScript({
  matches: DEFAULT_ERP_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    startBadge(ctx, 'erp');
  },
});
