/**
 * When to talk to the relay next - load, decide (here, pure), act, save. A relay that does not
 * answer is retried with exponential backoff so a sleeping laptop or a dead relay costs nothing;
 * a refused token stops polling until the person pairs again.
 */
import type { SyncState } from '../cache/cache-db.ts';

export interface SyncPolicy {
  /** Normal cadence. The overview is a 304 when nothing changed, so this is cheap for the relay. */
  intervalMs: number;
  /** First retry after a failure; doubles per consecutive failure up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_SYNC_POLICY: SyncPolicy = { intervalMs: 5 * 60_000, backoffBaseMs: 30_000, backoffMaxMs: 30 * 60_000 };

export type SyncOutcome =
  /** `etag` undefined: 304, the cached overview stands. */
  | { kind: 'ok'; etag?: string | null }
  | { kind: 'offline'; message: string }
  | { kind: 'unauthorized'; message: string }
  /** The relay answered, but not usefully (5xx, a body that broke the contract). */
  | { kind: 'error'; message: string }
  | { kind: 'unpaired' };

/** Delay before attempt `failures + 1`, for `failures` >= 1 consecutive failures. */
export function backoffDelay(failures: number, policy: SyncPolicy = DEFAULT_SYNC_POLICY): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(policy.backoffBaseMs * 2 ** exponent, policy.backoffMaxMs);
}

export function afterSync(state: SyncState, outcome: SyncOutcome, now: number, policy: SyncPolicy = DEFAULT_SYNC_POLICY): SyncState {
  const attempted = { ...state, lastAttemptAt: now };
  switch (outcome.kind) {
    case 'ok':
      return {
        ...attempted,
        status: 'ok',
        etag: outcome.etag === undefined ? state.etag : outcome.etag,
        lastSuccessAt: now,
        failures: 0,
        nextAttemptAt: now + policy.intervalMs,
        lastError: null,
      };
    case 'offline':
    case 'error': {
      const failures = state.failures + 1;
      return { ...attempted, status: outcome.kind, failures, nextAttemptAt: now + backoffDelay(failures, policy), lastError: outcome.message };
    }
    case 'unauthorized':
      // Polling with a dead token only fills the relay's logs: wait for a new pairing.
      return { ...attempted, status: 'unauthorized', nextAttemptAt: null, lastError: outcome.message, etag: null };
    case 'unpaired':
      return { ...attempted, status: 'unpaired', nextAttemptAt: null, failures: 0, lastError: null, etag: null };
  }
}
