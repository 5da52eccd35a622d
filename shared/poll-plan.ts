/**
 * Which due stores one cron tick polls, and when each polls next (issue 15: 5,000 stores on one
 * relay). Three rules:
 * - **Spread**: every store has a stable phase in the day (a hash of its id), and its polls fall on
 *   that phase modulo its interval, so stores added together (an agency importing 500) do not poll
 *   together at the top of every hour for ever after.
 * - **Fair share**: candidates come in round-robin order across workspaces (each workspace's most
 *   overdue store, then each one's second...), so one workspace's backlog cannot fill a tick.
 * - **Seller quota**: createReport and getReportDocument allow 15 calls at once and then one a minute,
 *   per application and seller pair (docs/domain/amazon-limits.md). A poll makes one of each per
 *   marketplace. A tick does not start a poll that would take a seller past 15 report requests in a
 *   15-minute window (refreshes included): never more than the burst, whatever the refill adds.
 */

/** A day in milliseconds: a phase is a point in it, and any poll interval (15 to 1,440 min) divides into it. */
const DAY_MS = 86_400_000;

/** Report requests one seller may start per window (createReport's burst). */
export const SELLER_REQUESTS_PER_WINDOW = 15;
export const SELLER_WINDOW_MS = 15 * 60_000;

/** A store's stable phase in the day, from its id (FNV-1a, 32 bits): the same on every tick and relay. */
export function pollPhase(storeId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < storeId.length; i++) {
    hash ^= storeId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % DAY_MS;
}

/** The first time at or after `at` that falls on the store's phase modulo its interval. */
export function firstSlotAtOrAfter(at: number, phase: number, intervalMs: number): number {
  return at + ((((phase - at) % intervalMs) + intervalMs) % intervalMs);
}

/**
 * When a store polls next after a poll picked or a check finished at `now`: on its phase, and at
 * least half an interval away, so a refresh just before a due poll saves that poll.
 */
export function nextPollAt(now: number, phase: number, intervalMs: number): number {
  return firstSlotAtOrAfter(now + Math.floor(intervalMs / 2), phase, intervalMs);
}

export interface DueStore {
  id: string;
  workspace_id: string;
  /** Who Amazon's quota belongs to: the seller id and region (the store itself when unknown). */
  seller: string;
  /** Report requests one poll makes: one per marketplace. */
  marketplaces: number;
}

export interface PollPlan<S extends DueStore> {
  chosen: S[];
  /** Left due for a later tick because their seller's quota is spent for now. */
  deferred: number;
}

/**
 * Takes candidates in the order given (round-robin across workspaces) up to `perTick`, skipping a
 * store whose seller has no quota left in the window. A seller with nothing recent may always
 * start one poll, however many marketplaces it has.
 */
export function planPolls<S extends DueStore>(candidates: readonly S[], recentRequests: ReadonlyMap<string, number>, perTick: number, perWindow = SELLER_REQUESTS_PER_WINDOW): PollPlan<S> {
  const used = new Map(recentRequests);
  const chosen: S[] = [];
  let deferred = 0;
  for (const store of candidates) {
    if (chosen.length >= perTick) break;
    const before = used.get(store.seller) ?? 0;
    const requests = Math.max(1, store.marketplaces);
    if (before > 0 && before + requests > perWindow) {
      deferred++;
      continue;
    }
    used.set(store.seller, before + requests);
    chosen.push(store);
  }
  return { chosen, deferred };
}
