import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { openCacheDb } from '../../lib/cache/cache-db.ts';
import { preconfigured } from '../../lib/platform/preconfigured.ts';
import { indexedDbVault } from '../../lib/platform/token-vault.ts';
import { startBackground } from './start.ts';

export default defineBackground(() => {
  startBackground({
    browser,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    openDb: () => openCacheDb(),
    vault: indexedDbVault(),
    log: (...args) => console.warn('[storewatch]', ...args),
    preconfigured: preconfigured(),
    // Profiles of one fingerprint browser look alike: a short random tag tells them apart in the members list.
    deviceLabel: `Storewatch · ${navigator.platform || 'browser'} · ${crypto.randomUUID().slice(0, 4)}`,
  });
});
