import type { MarketplaceOverview } from '../../shared/api/index.ts';
import { accountHealthUrl } from '../../shared/marketplaces.ts';
import type { HistorySeries } from '../lib/cache/cache-db.ts';
import { isDataStale } from '../lib/derive/freshness.ts';
import { formatAgo } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';
import { ACCOUNT_STATUS_KEYS, metricOrder } from './labels.ts';
import { MetricRow } from './metric-row.tsx';

/**
 * Everything about one marketplace: account status, AHR, when the report is from, every metric.
 * `openHere` false (another store than this profile's): no link, a note where to open it instead.
 */
export function MarketplaceDetail({ market, history, now, openHere = true }: { market: MarketplaceOverview; history: readonly HistorySeries[] | null; now: number; openHere?: boolean }) {
  const t = useT();
  const ids = metricOrder(Object.keys(market.metrics));
  const link = accountHealthUrl(market.marketplaceId);
  const stale = isDataStale(market.fetchedAt, now);
  const ahr = market.ahr;
  return (
    <section class="sw-market">
      <dl class="sw-facts">
        <div>
          <dt>{t('marketAccountStatus')}</dt>
          <dd class={market.accountStatus === 'NORMAL' ? '' : 'sw-bad'}>{t(ACCOUNT_STATUS_KEYS[market.accountStatus])}</dd>
        </div>
        <div>
          <dt>{t('marketAhr')}</dt>
          <dd>{ahr && (ahr.status || ahr.score !== null) ? [ahr.status, ahr.score].filter((x) => x !== null && x !== '').join(' · ') : '—'}</dd>
        </div>
        <div>
          <dt>{market.fetchedAt === null ? t('marketNeverFetched') : t('marketFetched', { ago: formatAgo(market.fetchedAt, now, t.language) })}</dt>
          <dd>{stale && <span class="sw-stale" title={t('popupStaleHint')}>{t('popupStale')}</span>}</dd>
        </div>
        {market.negativeFeedback && (
          <div>
            <dt>{t('marketNegativeFeedback', { days: market.negativeFeedback.windowDays })}</dt>
            <dd class={market.negativeFeedback.count > 0 ? 'sw-bad' : ''}>{market.negativeFeedback.count}</dd>
          </div>
        )}
      </dl>
      {ids.length ? (
        <ul class="sw-metrics">
          {ids.map((id) => (
            <MetricRow key={id} id={id} metric={market.metrics[id]!} history={history ? (history.find((h) => h.metric === id)?.points ?? []) : null} />
          ))}
        </ul>
      ) : (
        <p class="sw-muted">{t('marketNoMetrics')}</p>
      )}
      {link && openHere && (
        <a class="sw-link" href={link} target="_blank" rel="noopener noreferrer">
          {t('marketOpenAccountHealth')}
        </a>
      )}
      {link && !openHere && <p class="sw-muted sw-open-elsewhere">{t('openInOwnProfile')}</p>}
    </section>
  );
}
