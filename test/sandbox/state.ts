/** The sandbox's in-memory world, shared by the route modules (amazon.ts owns it). */
import type { Region } from './marketplaces.ts';
import type { MarketMetrics } from './metrics.ts';
import type { Faults } from './faults.ts';
import type { RateLimiter } from './rate-limits.ts';

export interface Seller {
  sellerId: string;
  region: Region;
  refreshToken: string;
  /** The Sellers API's `storeName`: what Seller Central's account switcher shows for the store. */
  storeName: string;
  marketplaceIds: string[];
  /** Marketplaces where the Sellers API says `hasSuspendedListings: true` (listings set Inactive). */
  suspendedListings?: string[];
  /** Includes a non-retail participation (the na demo seller). */
  nonRetail: boolean;
  metrics: Map<string, MarketMetrics>;
}

export interface ReportRecord {
  reportId: string;
  sellerId: string;
  reportType: string;
  marketplaceIds: string[];
  createdAt: number;
  queueMs: number;
  processingMs: number;
  outcome: 'DONE' | 'FATAL' | 'CANCELLED';
  reportDocumentId?: string;
}

export interface DocumentRecord {
  reportDocumentId: string;
  sellerId: string;
  region: Region;
  /** Opaque S3 object path the pre-signed URL points at. */
  path: string;
  /** Plain JSON text; gzipped when served. */
  json: string;
}

export interface AuthCode {
  sellerId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface SandboxState {
  now: () => number;
  reportProcessingMs: number;
  defaultRedirectUri: string | undefined;
  /** Signs the simulated S3 URLs (random per sandbox). */
  signingKey: string;
  sellers: Map<string, Seller>;
  accessTokens: Map<string, { sellerId: string; expiresAt: number }>;
  authCodes: Map<string, AuthCode>;
  reports: Map<string, ReportRecord>;
  documents: Map<string, DocumentRecord>;
  /** S3 path -> document id. */
  documentPaths: Map<string, string>;
  nextReportNumber: number;
  faults: Faults;
  limits: RateLimiter;
}

export function sellerByRefreshToken(state: SandboxState, token: string): Seller | undefined {
  for (const s of state.sellers.values()) if (s.refreshToken === token) return s;
  return undefined;
}
