import type { MarketplaceOverview, MetricOverview } from '../../shared/api/index.ts';
import { AHR_SERIES } from '../../shared/api/history-series.ts';
import { accountHealthUrl } from '../../shared/marketplaces.ts';
import type { HistorySeries } from '../lib/cache/cache-db.ts';
import { isDataStale } from '../lib/derive/freshness.ts';
import { detailGroups } from '../lib/derive/urgency.ts';
import { formatAgo, formatNumber } from '../lib/i18n/format.ts';
import type { Translate } from '../lib/i18n/i18n.ts';
import { useT } from './i18n-context.tsx';
import { ACCOUNT_STATUS_KEYS, metricLabel } from './labels.ts';
import { MetricRow } from './metric-row.tsx';
import { SparklineChart } from './sparkline-chart.tsx';

/** Where the gauge turns from at risk to healthy: the dashed line of the score's sparkline. */
const AHR_HEALTHY_FROM = 200;

/**
 * The Account Health Rating as Seller Central's gauge shows it: a score out of 1,000 in three
 * bands - 200-1000 healthy, 100-199 at risk, below 100 unhealthy (the bands as sellers' guides
 * describe the gauge; Amazon's report carries only the score and a status word). The report's
 * status words (GREAT, WARNED...) are not what sellers see, so the band comes from the score.
 */
function ahrText(ahr: MarketplaceOverview['ahr'], t: Translate): { text: string; bad: boolean } {
  if (!ahr || ahr.score === null) return { text: '—', bad: false };
  const band = ahr.score >= 200 ? 'ahrHealthy' : ahr.score >= 100 ? 'ahrAtRisk' : 'ahrUnhealthy';
  return { text: t('ahrScore', { score: formatNumber(ahr.score, t.language), band: t(band) }), bad: ahr.score < 200 };
}

function rows(entries: readonly [string, MetricOverview][], history: readonly HistorySeries[] | null, highlight: boolean) {
  return entries.map(([id, metric]) => (
    <MetricRow key={id} id={id} metric={metric} atRisk={highlight} history={history ? (history.find((h) => h.metric === id)?.points ?? []) : null} />
  ));
}

/**
 * One marketplace, problems first: account status, AHR and how old Amazon's data is; then the
 * metrics that need a look (worst first, at-risk ones highlighted even when still ok); the healthy
 * rates folded under one line; the policy counts as one group naming only the non-zero ones.
 * `openHere` false (another store than this profile's): no link, a note where to open it instead.
 */
export function MarketplaceDetail({ market, history, now, openHere = true }: { market: MarketplaceOverview; history: readonly HistorySeries[] | null; now: number; openHere?: boolean }) {
  const t = useT();
  const groups = detailGroups(market.metrics);
  const link = accountHealthUrl(market.marketplaceId);
  const stale = isDataStale(market.fetchedAt, now);
  const ahr = ahrText(market.ahr, t);
  const ahrPoints = history?.find((h) => h.metric === AHR_SERIES)?.points ?? null;
  const policyTotal = groups.policy.clean + groups.policy.nonZero.length;
  const empty = groups.problems.length + groups.healthy.length + policyTotal === 0;
  return (
    <section class="sw-market">
      <dl class="sw-facts">
        <div>
          <dt>{t('marketAccountStatus')}</dt>
          <dd class={market.accountStatus === 'NORMAL' ? '' : 'sw-bad'}>{t(ACCOUNT_STATUS_KEYS[market.accountStatus])}</dd>
        </div>
        <div>
          <dt>{t('marketAhr')}</dt>
          <dd class={ahr.bad ? 'sw-bad' : ''}>
            {ahr.text}
            {ahrPoints && ahrPoints.length > 0 && <SparklineChart points={ahrPoints} target={AHR_HEALTHY_FROM} label={t('ahrSparkline')} />}
          </dd>
        </div>
        <div>
          <dt>{market.fetchedAt === null ? t('marketNeverFetched') : t('marketFetched', { ago: formatAgo(market.fetchedAt, now, t.language) })}</dt>
          <dd>{stale && market.fetchedAt !== null && <span class="sw-stale" title={t('popupStaleHint')}>{t('popupStale')}</span>}</dd>
        </div>
        {market.negativeFeedback && (
          <div>
            <dt>{t('marketNegativeFeedback', { days: market.negativeFeedback.windowDays })}</dt>
            <dd class={market.negativeFeedback.count > 0 ? 'sw-bad' : ''}>{market.negativeFeedback.count}</dd>
          </div>
        )}
      </dl>
      {empty ? (
        <p class="sw-muted">{t('marketNoMetrics')}</p>
      ) : (
        <>
          {groups.problems.length > 0 && <ul class="sw-metrics sw-problems">{rows(groups.problems, history, true)}</ul>}
          {groups.problems.length === 0 && <p class="sw-all-ok">{t('marketAllOk')}</p>}
          {groups.healthy.length > 0 && (
            <details class="sw-fold">
              <summary>{t('marketHealthyFolded', { count: groups.healthy.length })}</summary>
              <ul class="sw-metrics">{rows(groups.healthy, history, false)}</ul>
            </details>
          )}
          {policyTotal > 0 && (
            <div class="sw-policy">
              <span class="sw-policy-title">{t('marketPolicyGroup')}</span>
              {groups.policy.nonZero.length === 0 ? (
                <span class="sw-muted">{t('marketPolicyAllZero', { count: policyTotal })}</span>
              ) : (
                <span class="sw-policy-hits">
                  {groups.policy.nonZero.map(([id, m]) => t('marketPolicyHit', { name: metricLabel(id, t.language), count: formatNumber(m.value ?? 0, t.language) })).join(t('listSeparator'))}
                  <span class="sw-muted"> · {t('marketPolicyRestZero', { count: groups.policy.clean })}</span>
                </span>
              )}
            </div>
          )}
        </>
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
