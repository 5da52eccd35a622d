/** Sellers API: which marketplaces a seller sells in (docs/domain/reports.md#sellers-api). */
import { marketplaceById } from '../../shared/marketplaces.ts';
import type { Region } from '../../shared/types.ts';
import { describeSpApiErrors, spApiRequest } from './sp-api.ts';

export interface Participation {
  marketplaceId: string;
  countryCode: string;
  isParticipating: boolean;
}

export type ParticipationsResult = { ok: true; participations: Participation[] } | { ok: false; status: number; description: string };

/** `GET /sellers/v1/marketplaceParticipations`, every row as Amazon gives it. */
export async function listMarketplaceParticipations(region: Region, accessToken: string, fetcher: typeof fetch): Promise<ParticipationsResult> {
  const res = await spApiRequest(region, accessToken, 'GET', '/sellers/v1/marketplaceParticipations', null, fetcher);
  if (res.status !== 200) return { ok: false, status: res.status, description: describeSpApiErrors(res.body) };
  const payload = (res.body as { payload?: unknown } | null)?.payload;
  if (!Array.isArray(payload)) return { ok: false, status: res.status, description: 'the answer has no payload list' };
  const participations: Participation[] = [];
  for (const item of payload as Array<{ marketplace?: { id?: unknown; countryCode?: unknown }; participation?: { isParticipating?: unknown } }>) {
    if (typeof item.marketplace?.id !== 'string') continue;
    participations.push({
      marketplaceId: item.marketplace.id,
      countryCode: typeof item.marketplace.countryCode === 'string' ? item.marketplace.countryCode : '',
      isParticipating: item.participation?.isParticipating === true,
    });
  }
  return { ok: true, participations };
}

/**
 * The retail marketplaces worth watching: participating, in our table (which drops non-retail ones
 * such as Amazon's non-Amazon or test marketplaces), and in the store's region.
 */
export function retailMarketplaces(participations: readonly Participation[], region: Region): Array<{ marketplaceId: string; countryCode: string }> {
  const out: Array<{ marketplaceId: string; countryCode: string }> = [];
  for (const p of participations) {
    const known = marketplaceById(p.marketplaceId);
    if (!p.isParticipating || !known || known.region !== region) continue;
    if (!out.some((o) => o.marketplaceId === known.id)) out.push({ marketplaceId: known.id, countryCode: known.countryCode });
  }
  return out;
}
