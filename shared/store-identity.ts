/**
 * Amazon's identity of a store read again (the Sellers API's getMarketplaceParticipations, once a
 * day): what changed against what the relay keeps - store names, marketplaces that appeared or
 * went, suspended listings turning on or off - and the events that brings
 * (docs/levels.md, `suspended_listings`). Pure: the relay reads and writes.
 */
import { suspendedListingsEvents } from './diff.ts';
import type { HealthEvent } from './types.ts';

/** One watched marketplace with Amazon's identity of the store in it. */
export interface IdentityReading {
  marketplaceId: string;
  countryCode: string;
  /** Sellers API `storeName`; null when Amazon gave none. */
  storeName: string | null;
  /** Sellers API `participation.hasSuspendedListings`; null until known. */
  hasSuspendedListings: boolean | null;
}

export interface IdentityUpdate {
  /** The marketplaces to keep, in the answer's order, with their identity merged. */
  marketplaces: IdentityReading[];
  added: string[];
  removed: string[];
  /** Whether anything the overview shows differs from before. */
  changed: boolean;
  events: HealthEvent[];
}

const DAY_MS = 86_400_000;

/**
 * The first daily slot on the store's phase at least half a day after `now`: re-reads fall on the
 * store's own point of the day (shared/poll-plan.ts `pollPhase`), spread over the day.
 */
export function nextIdentityAt(now: number, phase: number): number {
  const from = now + DAY_MS / 2;
  return from + ((((phase - from) % DAY_MS) + DAY_MS) % DAY_MS);
}

function same(a: IdentityReading, b: IdentityReading): boolean {
  return a.countryCode === b.countryCode && a.storeName === b.storeName && a.hasSuspendedListings === b.hasSuspendedListings;
}

/**
 * Merges a fresh answer (`listed`: the retail marketplaces Amazon lists as participating) into the
 * kept ones (`before`). A value the answer leaves out (a null name or flag) keeps the one known: a
 * partial answer never erases what was read. A marketplace that is new is watched from the next
 * poll; one no longer listed stops being watched - unless the answer lists none at all, which is
 * taken as a bad answer and changes nothing. `readingKey` makes the events' keys (the same reading
 * gives the same keys, so a redelivered message repeats nothing).
 *
 * @example
 * identityUpdate([{ marketplaceId: US, countryCode: 'US', storeName: 'Old', hasSuspendedListings: false }],
 *   [{ marketplaceId: US, countryCode: 'US', storeName: 'New', hasSuspendedListings: true }], 'k')
 * // { changed: true, marketplaces: [{ ..., storeName: 'New', hasSuspendedListings: true }], events: [suspended_listings false>true] }
 */
export function identityUpdate(before: readonly IdentityReading[], listed: readonly IdentityReading[], readingKey: string): IdentityUpdate {
  if (listed.length === 0) return { marketplaces: [...before], added: [], removed: [], changed: false, events: [] };
  const kept = new Map(before.map((m) => [m.marketplaceId, m]));
  const listedIds = new Set(listed.map((m) => m.marketplaceId));
  const marketplaces: IdentityReading[] = [];
  const added: string[] = [];
  const events: HealthEvent[] = [];
  let changed = false;
  for (const fresh of listed) {
    const old = kept.get(fresh.marketplaceId) ?? null;
    const merged: IdentityReading = {
      marketplaceId: fresh.marketplaceId,
      countryCode: fresh.countryCode,
      storeName: fresh.storeName ?? old?.storeName ?? null,
      hasSuspendedListings: fresh.hasSuspendedListings ?? old?.hasSuspendedListings ?? null,
    };
    if (!old) added.push(merged.marketplaceId);
    if (!old || !same(old, merged)) changed = true;
    events.push(...suspendedListingsEvents(old, merged, readingKey));
    marketplaces.push(merged);
  }
  const removed = before.filter((m) => !listedIds.has(m.marketplaceId)).map((m) => m.marketplaceId);
  return { marketplaces, added, removed, changed: changed || removed.length > 0, events };
}
