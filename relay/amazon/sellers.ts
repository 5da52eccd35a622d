/**
 * Sellers API: which marketplaces a seller sells in, and what Amazon calls the store there.
 * Shape from Amazon's model (sellers.json, `MarketplaceParticipation`): `{marketplace{id, name,
 * countryCode, ...}, participation{isParticipating, hasSuspendedListings}, storeName}`, all three
 * required; `storeName` is "the name of the seller's store as displayed in the marketplace" - what
 * Seller Central's account switcher shows (docs/domain/reports.md#sellers-api).
 */
import { marketplaceById } from '../../shared/marketplaces.ts';
import type { Region } from '../../shared/types.ts';
import { describeSpApiErrors, spApiRequest } from './sp-api.ts';

export interface Participation {
  marketplaceId: string;
  countryCode: string;
  isParticipating: boolean;
  /** null when the answer leaves it out (the model requires it; we do not rely on that). */
  hasSuspendedListings: boolean | null;
  /** Trimmed; null when absent or blank. */
  storeName: string | null;
}

/** A watched marketplace with Amazon's identity of the store in it. */
export interface MarketplaceIdentity {
  marketplaceId: string;
  countryCode: string;
  storeName: string | null;
  hasSuspendedListings: boolean | null;
}

export type ParticipationsResult = { ok: true; participations: Participation[] } | { ok: false; status: number; description: string };

/** `GET /sellers/v1/marketplaceParticipations`, every row as Amazon gives it. */
export async function listMarketplaceParticipations(region: Region, accessToken: string, fetcher: typeof fetch): Promise<ParticipationsResult> {
  const res = await spApiRequest(region, accessToken, 'GET', '/sellers/v1/marketplaceParticipations', null, fetcher);
  if (res.status !== 200) return { ok: false, status: res.status, description: describeSpApiErrors(res.body) };
  const payload = (res.body as { payload?: unknown } | null)?.payload;
  if (!Array.isArray(payload)) return { ok: false, status: res.status, description: 'the answer has no payload list' };
  const participations: Participation[] = [];
  type Item = { marketplace?: { id?: unknown; countryCode?: unknown }; participation?: { isParticipating?: unknown; hasSuspendedListings?: unknown }; storeName?: unknown };
  for (const item of payload as Item[]) {
    if (typeof item.marketplace?.id !== 'string') continue;
    const suspended = item.participation?.hasSuspendedListings;
    const name = typeof item.storeName === 'string' ? item.storeName.trim() : '';
    participations.push({
      marketplaceId: item.marketplace.id,
      countryCode: typeof item.marketplace.countryCode === 'string' ? item.marketplace.countryCode : '',
      isParticipating: item.participation?.isParticipating === true,
      hasSuspendedListings: typeof suspended === 'boolean' ? suspended : null,
      // Stored and shown as text only; 200 characters is far beyond any store name Amazon allows.
      storeName: name ? name.slice(0, 200) : null,
    });
  }
  return { ok: true, participations };
}

/**
 * The retail marketplaces worth watching: participating, in our table (which drops non-retail ones
 * such as Amazon's non-Amazon or test marketplaces), and in the store's region.
 */
export function retailMarketplaces(participations: readonly Participation[], region: Region): MarketplaceIdentity[] {
  const out: MarketplaceIdentity[] = [];
  for (const p of participations) {
    const known = marketplaceById(p.marketplaceId);
    if (!p.isParticipating || !known || known.region !== region) continue;
    if (!out.some((o) => o.marketplaceId === known.id)) {
      out.push({ marketplaceId: known.id, countryCode: known.countryCode, storeName: p.storeName, hasSuspendedListings: p.hasSuspendedListings });
    }
  }
  return out;
}

/** The store's name as Amazon shows it: the first watched marketplace that has one. */
export function amazonStoreName(marketplaces: readonly MarketplaceIdentity[]): string | null {
  return marketplaces.find((m) => m.storeName !== null)?.storeName ?? null;
}
