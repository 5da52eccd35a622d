import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { openPanel } from '../lib/panel/open-panel.tsx';

// Injected into the tab by the background (`open-panel`) when the person opens the badge.
export default defineUnlistedScript(() => {
  openPanel().catch((error: unknown) => console.warn('[storewatch]', error));
});
