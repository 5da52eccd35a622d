import { defineContentScript } from 'wxt/utils/define-content-script';
import { SELLER_CENTRAL_MATCHES } from '../../lib/detect/seller-central-hosts.ts';
import { startBadge } from '../../lib/panel/start-badge.ts';

export default defineContentScript({
  matches: SELLER_CENTRAL_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    startBadge(ctx, 'seller-central');
  },
});
