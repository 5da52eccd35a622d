/**
 * What the extension is measured against: the end-to-end tests' fake relay (test/e2e/support)
 * serving fifty stores, and the built extension, rebuilt when its sources are newer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StoreOverview } from '../../shared/api/index.ts';
import { demoStores } from '../../test/e2e/support/demo-data.ts';
import { type FakeRelay, createFakeRelay } from '../../test/e2e/support/fake-relay.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');

/** The relay's data is stamped with a fixed time; the extension runs on the browser's own clock. */
const RELAY_NOW = Date.UTC(2025, 2, 14, 9, 30);

export const STORE_COUNT = 50;
/** An agency's workspace (issue 15): the popup's first paint must hold its ratio to the empty popup. */
export const MANY_STORES = 500;

/** The demo stores (warn, breach, ok; one to two marketplaces each) repeated under distinct names. */
export function manyStores(count: number, now: number): StoreOverview[] {
  const base = demoStores(now);
  return Array.from({ length: count }, (_, i) => ({ ...base[i % base.length]!, id: `st-${i}`, name: `Store ${String(i + 1).padStart(String(count).length, '0')}` }));
}

export function fiftyStoreRelay(count = STORE_COUNT): FakeRelay {
  const relay = createFakeRelay({ now: () => RELAY_NOW });
  relay.state.stores = manyStores(count, RELAY_NOW);
  return relay;
}

function newestMtime(dir: string, depth = 0): number {
  // The source tree is a few levels deep; the bound guards against a symlink loop.
  if (depth > 10) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, depth + 1) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds .output/chrome-mv3 when it is missing or older than extension/ (sizes must match the sources). */
export function ensureBuild(): void {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= newestMtime(join(ROOT, 'extension'))) return;
  console.info('bench: building the extension (npx wxt build) ...');
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
