import type { StoreOverview } from '../../shared/api/index.ts';
import { marketplaceLevel, storeLevel } from '../lib/derive/levels.ts';
import { urgentOfMarket } from '../lib/derive/urgency.ts';
import { formatValue } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';
import { LEVEL_KEYS, metricKind, metricLabel } from './labels.ts';

/**
 * Many stores at once, as ERP dashboards show them: one row per store (worst first), one column
 * per marketplace, each cell coloured by its level with the number of its worst metric inside.
 * A cell opens that marketplace's detail in the list.
 */
export function StoreGrid({ stores, onOpen }: { stores: readonly StoreOverview[]; onOpen: (storeId: string, marketplaceId: string) => void }) {
  const t = useT();
  const codes = [...new Set(stores.flatMap((s) => s.marketplaces.map((m) => m.countryCode)))].sort();
  return (
    <table class="sw-grid">
      <thead>
        <tr>
          <th scope="col">{t('gridStore')}</th>
          {codes.map((code) => (
            <th key={code} scope="col">
              {code}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {stores.map((store) => (
          <tr key={store.id} class={`sw-${storeLevel(store)}`}>
            <th scope="row" title={store.name}>
              {store.name}
            </th>
            {codes.map((code) => {
              const market = store.marketplaces.find((m) => m.countryCode === code);
              if (!market) return <td key={code} class="sw-cell-none" />;
              const level = marketplaceLevel(market);
              const u = urgentOfMarket(market);
              const value = u ? formatValue(u.metric.value, metricKind(u.metricId), t.language, u.metric.target) : '—';
              const label = `${store.name} · ${code} · ${u ? `${metricLabel(u.metricId, t.language, true)} ${value}` : ''} · ${t(LEVEL_KEYS[level])}`;
              return (
                <td key={code} class={`sw-cell sw-${level}`}>
                  <button type="button" title={label} aria-label={label} onClick={() => onOpen(store.id, market.marketplaceId)}>
                    {u && level !== 'ok' && level !== 'unknown' ? (
                      <>
                        <small>{metricLabel(u.metricId, t.language, true)}</small> {value}
                      </>
                    ) : (
                      value
                    )}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
