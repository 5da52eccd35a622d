import type { MetricOverview } from '../../shared/api/index.ts';
import type { HistoryPoint } from '../lib/cache/cache-db.ts';
import { headroomPhrase } from '../lib/derive/headroom-phrase.ts';
import { overBy } from '../lib/derive/urgency.ts';
import { formatTarget, formatValue, formatWindow } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';
import { AMAZON_STATUS_KEYS, metricKind, metricLabel } from './labels.ts';
import { LevelPill } from './level-pill.tsx';
import { SparklineChart } from './sparkline-chart.tsx';

/**
 * One metric on two lines: what it is, its value against the target, the level and the trend;
 * then the headroom in words, Amazon's own status and the window it covers.
 */
export function MetricRow({ id, metric, history, atRisk = false }: { id: string; metric: MetricOverview; history: readonly HistoryPoint[] | null; atRisk?: boolean }) {
  const t = useT();
  const kind = metricKind(id);
  const headroom = headroomPhrase(id, metric, t.language, overBy(id, metric));
  const label = metricLabel(id, t.language);
  return (
    // At risk while still ok (one more defect breaks it): highlighted like a warning, pill says ok.
    <li class={`sw-metric sw-${metric.level}${atRisk && metric.level === 'ok' ? ' sw-risk' : ''}`}>
      <div class="sw-metric-main">
        <span class="sw-metric-label">{label}</span>
        <span class="sw-metric-value">{formatValue(metric.value, kind, t.language, metric.target)}</span>
        <span class="sw-metric-target">{formatTarget(metric.target, kind, t.language)}</span>
        <LevelPill level={metric.level} />
        {history && <SparklineChart points={history} target={metric.target?.value ?? null} label={`${t('metricTrend')}: ${label}`} />}
      </div>
      <div class="sw-metric-sub">
        {headroom && <span class="sw-headroom">{headroom}</span>}
        {/* The parser's reason (a JSON path and a clipped value) as a tooltip: text, never markup. */}
        {metric.problem && <span class="sw-problem" title={metric.problem}>{t('metricUnreadable')}</span>}
        <span>
          {t('metricAmazonStatus')}: {t(AMAZON_STATUS_KEYS[metric.amazonStatus])}
        </span>
        <span>
          {t('metricWindow')}: {formatWindow(metric.window, t.language)}
        </span>
      </div>
    </li>
  );
}
