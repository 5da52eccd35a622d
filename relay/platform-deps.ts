/**
 * The platform every feature runs on - clock, ids, outbound HTTP, secrets, message catalog - built
 * in one place by whoever wires (the Worker's entries, the tests, the bench) and passed down, so no
 * feature reaches for `Date.now()`, `crypto.randomUUID()` or the global `fetch` on its own.
 */
import type { MessageCatalog } from '../shared/messages/catalog.ts';
import { defaultCatalog } from '../shared/messages/default-catalog.ts';
import { type SecretBox, secretBoxFromEnv } from './crypto/secrets.ts';
import type { Env } from './env.ts';
import { upstreamFetch } from './upstream-map.ts';

/** What differs between production, a test and the bench: the clock, ids and the network. */
export interface Platform {
  now: () => number;
  /** The network before the local host map (relay/upstream-map.ts) is applied. */
  fetch: typeof fetch;
  /**
   * A fresh unique id (workspaces, members, stores, channels, claim tokens, QR scenes, jobs). UUIDs
   * in production; the store routes only match store ids shaped like one.
   */
  newId: () => string;
}

/** The points between the steps of one delivery, where a test may "kill" the consumer. */
export type DeliveryCheckpoint = 'claimed' | 'sent' | 'recorded';

export interface PlatformDeps extends Platform {
  catalog: MessageCatalog;
  secrets: SecretBox;
  /** Called after each delivery step; a test throws here to simulate the Worker dying at that point. */
  checkpoint?: (step: DeliveryCheckpoint) => void;
}

/** What alert delivery uses: no clock (each step is handed its `now`). */
export type AlertDeps = Pick<PlatformDeps, 'fetch' | 'catalog' | 'secrets' | 'newId' | 'checkpoint'>;

/** The Worker's own platform: the real clock, random UUIDs and the runtime's fetch. */
export const systemPlatform: Platform = {
  now: () => Date.now(),
  fetch: (input, init) => fetch(input, init),
  newId: () => crypto.randomUUID(),
};

/**
 * The dependencies of one invocation for `env`. Outbound fetch honours UPSTREAM_HOST_MAP (set in
 * local runs only: relay/upstream-map.ts), so every path out of the relay is routed the same way.
 */
export function platformDeps(env: Env, platform: Platform, extra: Partial<Pick<PlatformDeps, 'catalog' | 'checkpoint'>> = {}): PlatformDeps {
  return {
    now: platform.now,
    newId: platform.newId,
    fetch: upstreamFetch(env.UPSTREAM_HOST_MAP, platform.fetch),
    catalog: extra.catalog ?? defaultCatalog,
    secrets: secretBoxFromEnv(env),
    ...(extra.checkpoint ? { checkpoint: extra.checkpoint } : {}),
  };
}
