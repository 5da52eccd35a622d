/**
 * Switchable failures per seller, so the relay's error paths can be exercised on demand
 * (docs/domain/amazon-limits.md lists what real Amazon does: 429s, FATAL/CANCELLED reports,
 * expiring URLs).
 */
import type { Operation } from './rate-limits.ts';

export const FAULT_KINDS = ['throttle', 'fatal', 'cancelled', 'slow', 'revoke', 'malformed', 'server-error', 'expired-url', 'gzip-bomb'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(name: string): name is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(name);
}

export interface Fault {
  sellerId: string;
  fault: FaultKind;
  /** Remaining uses; `revoke` ignores it (it lasts until cleared or the seller re-consents). */
  remaining: number;
  /** throttle / server-error: only this operation (all SP-API operations when absent). */
  operation?: Operation;
  /** slow: processing time multiplier. */
  factor?: number;
  /** gzip-bomb: how many bytes the next document inflates to (default 400 MB). */
  inflatesTo?: number;
}

export interface Faults {
  list(): Fault[];
  add(f: Fault): void;
  /** Consumes one use of a matching fault and returns it, or undefined. */
  take(sellerId: string, fault: FaultKind, operation?: Operation): Fault | undefined;
  has(sellerId: string, fault: FaultKind): boolean;
  clear(sellerId?: string, fault?: FaultKind): void;
}

export function createFaults(): Faults {
  let faults: Fault[] = [];
  return {
    list: () => faults.map((f) => ({ ...f })),
    add(f) {
      faults.push(f);
    },
    take(sellerId, fault, operation) {
      const f = faults.find(
        (x) => x.sellerId === sellerId && x.fault === fault && (x.operation === undefined || x.operation === operation),
      );
      if (!f) return undefined;
      f.remaining -= 1;
      if (f.remaining <= 0) faults = faults.filter((x) => x !== f);
      return { ...f };
    },
    has: (sellerId, fault) => faults.some((x) => x.sellerId === sellerId && x.fault === fault),
    clear(sellerId, fault) {
      faults = faults.filter((x) => (sellerId !== undefined && x.sellerId !== sellerId) || (fault !== undefined && x.fault !== fault));
    },
  };
}
