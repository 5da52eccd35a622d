import type { MarketplaceOverview } from '../../shared/api/index.ts';
import { marketplaceLevel } from '../lib/derive/levels.ts';
import { useT } from './i18n-context.tsx';
import { LEVEL_KEYS, marketplaceName } from './labels.ts';

/** A marketplace as a chip coloured by its level: its country code, the level for screen readers. */
export function MarketplaceChip({ market, open, onToggle }: { market: MarketplaceOverview; open: boolean; onToggle?: () => void }) {
  const t = useT();
  const level = marketplaceLevel(market);
  const label = `${marketplaceName(market.marketplaceId, market.countryCode, t.language)}: ${t(LEVEL_KEYS[level])}`;
  return (
    <button type="button" class={`sw-chip sw-${level}${open ? ' sw-open' : ''}`} aria-expanded={onToggle ? open : undefined} aria-label={label} title={label} onClick={onToggle}>
      {market.countryCode}
    </button>
  );
}
