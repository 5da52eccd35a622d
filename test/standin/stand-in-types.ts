/** What the runner hands the stand-in and reads back from it. */
import type { HealthProfile, MarketplaceHealth } from './health.ts';
import type { Region } from './marketplaces.ts';
import type { Operation } from './rate-limits.ts';

export interface StandInSeller {
  sellerId: string;
  refreshToken: string;
  region: Region;
  /** Retail marketplaces the seller participates in. */
  marketplaceIds: string[];
  /** The Sellers API's `storeName`. */
  storeName: string;
  /** Health profile per marketplace id; a marketplace not named is `ok`. */
  health: Record<string, HealthProfile>;
}

export interface StandInStats {
  calls: Record<Operation, number>;
  /** 429 answers, per operation. */
  throttled: Record<Operation, number>;
  /** 500/503 answers drawn by the fault rate, per operation. */
  faults: Record<Operation, number>;
  unauthorized: number;
  reportsCreated: number;
  documentsDownloaded: number;
  /** The health last served per `sellerId/marketplaceId`, for checking what the relay shows. */
  served: Map<string, MarketplaceHealth>;
}
