/** The sandbox's Sellers API: Amazon's response model, and the store identity the relay keeps from it. */
import { describe, expect, it } from 'vitest';
import { DEMO_SELLERS, createSandbox } from '../sandbox/amazon.ts';
import { accessToken, spRequest } from '../sandbox/client.ts';
import { swaggerValidator } from '../sandbox/model-schemas.ts';

interface Participation {
  marketplace: { id: string; countryCode: string };
  participation: { isParticipating: boolean; hasSuspendedListings: boolean };
  storeName: string;
}

async function participations(region: 'na' | 'eu'): Promise<{ body: unknown; payload: Participation[] }> {
  const sandbox = createSandbox({ now: () => Date.UTC(2026, 10, 1), reportProcessingMs: 30_000 });
  const token = await accessToken(sandbox, DEMO_SELLERS[region].refreshToken);
  const res = await sandbox.handle(spRequest(token, 'GET', '/sellers/v1/marketplaceParticipations', { region }));
  const body = (await res.json()) as { payload: Participation[] };
  return { body, payload: body.payload };
}

describe('sandbox Sellers API getMarketplaceParticipations', () => {
  it("answers in Amazon's model, with the seller's store name in every marketplace", async () => {
    const { body, payload } = await participations('na');
    const validate = swaggerValidator('sellers.json', 'GetMarketplaceParticipationsResponse');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(new Set(payload.map((p) => p.storeName))).toEqual(new Set(['Lumora Home']));
  });

  it('says which marketplaces have suspended listings (the EU demo seller in Germany)', async () => {
    const { payload } = await participations('eu');
    const suspended = payload.filter((p) => p.participation.hasSuspendedListings).map((p) => p.marketplace.countryCode);
    expect(suspended).toEqual(['DE']);
  });
});
