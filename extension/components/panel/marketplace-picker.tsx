import type { StoreOverview } from '../../../shared/api/index.ts';
import { useT } from '../i18n-context.tsx';
import { marketplaceCode, marketplaceName } from '../labels.ts';

/** When the page does not say which marketplace it shows: the person's answer is remembered per host. */
export function MarketplacePicker({ candidates, onPick }: { candidates: readonly string[]; onPick: (marketplaceId: string) => void }) {
  const t = useT();
  return (
    <div class="sw-picker">
      <p>{t('panelPickMarketplace')}</p>
      <div class="sw-picker-options">
        {candidates.map((id) => (
          <button type="button" key={id} class="sw-btn sw-btn-small" onClick={() => onPick(id)}>
            <span class="sw-code">{marketplaceCode(id)}</span> {marketplaceName(id, id, t.language)}
          </button>
        ))}
      </div>
    </div>
  );
}

export function StorePicker({ stores, onPick }: { stores: readonly StoreOverview[]; onPick: (storeId: string) => void }) {
  const t = useT();
  return (
    <div class="sw-picker">
      <p>{t('panelPickStore')}</p>
      <div class="sw-picker-options">
        {stores.map((s) => (
          <button type="button" key={s.id} class="sw-btn sw-btn-small" onClick={() => onPick(s.id)}>
            {s.name}
            {s.amazonStoreName && s.amazonStoreName !== s.name ? ` · ${s.amazonStoreName}` : ''}
          </button>
        ))}
      </div>
    </div>
  );
}
