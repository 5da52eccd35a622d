import { describe, expect, it } from 'vitest';
import { marketplacesWorstFirst, storeLevel, storesWorstFirst } from '../../extension/lib/derive/levels.ts';
import { demoStores } from '../e2e/support/demo-data.ts';
import { NOW } from './helpers/fixed-clock.ts';

describe('ordering by trouble', () => {
  it('puts the store in breach first, then warn, then healthy, then by name', () => {
    expect(storesWorstFirst(demoStores(NOW)).map((s) => s.name)).toEqual(['Lumen Europe', 'Acme Home US', 'Sakura JP']);
  });

  it('treats a store whose Amazon authorization was lost as urgent as a breach', () => {
    const [acme] = demoStores(NOW);
    expect(storeLevel({ ...acme!, auth: 'lost' })).toBe('breach');
  });

  it('lets an AT_RISK account status outrank healthy metrics', () => {
    const sakura = demoStores(NOW)[2]!;
    const atRisk = { ...sakura, marketplaces: sakura.marketplaces.map((m) => ({ ...m, accountStatus: 'AT_RISK' as const })) };
    expect(storeLevel(atRisk)).toBe('breach');
  });

  it('orders a store\'s marketplace chips worst first', () => {
    const lumen = demoStores(NOW)[1]!;
    const [de, fr] = lumen.marketplaces;
    expect(marketplacesWorstFirst([fr!, de!]).map((m) => m.countryCode)).toEqual(['DE', 'FR']);
  });
});
