import type { StoreOverview } from '../../shared/api/index.ts';
import { METRICS, isMetricId } from '../../shared/metrics.ts';
import { headroomPhrase } from '../lib/derive/headroom-phrase.ts';
import { marketplaceLevel } from '../lib/derive/levels.ts';
import { type UrgentMetric, urgentOfStore } from '../lib/derive/urgency.ts';
import { formatOvershoot, formatTarget, formatValue } from '../lib/i18n/format.ts';
import type { Translate } from '../lib/i18n/i18n.ts';
import { useT } from './i18n-context.tsx';
import { ACCOUNT_STATUS_KEYS, metricKind, metricLabel } from './labels.ts';

/** "2 笔" / "2 次" / "2 defective orders": a number of the metric's own defects. */
function defects(metricId: string, n: number, t: Translate): string {
  if (!isMetricId(metricId)) return String(n);
  const info = METRICS[metricId];
  if (t.language === 'en') return `${n} ${n === 1 ? info.defectEn : info.defectEnPlural}`;
  return `${n} ${info.defectZh.endsWith('订单') ? '笔' : '次'}`;
}

/**
 * The line that says what needs action: "US · ODR (自配送) 1.4%（超出目标 0.4 个百分点 / 超出 2 笔）",
 * or for one still inside its target, the room left ("再有 1 笔缺陷订单将超标").
 */
export function urgentText(u: UrgentMetric, t: Translate): string {
  const { market, metricId, metric } = u;
  if (marketplaceLevel(market) === 'breach' && market.level !== 'breach' && market.accountStatus !== 'NORMAL') {
    return t('cardAccountStatus', { code: market.countryCode, status: t(ACCOUNT_STATUS_KEYS[market.accountStatus]) });
  }
  const kind = metricKind(metricId);
  const vars = { code: market.countryCode, metric: metricLabel(metricId, t.language, true), value: formatValue(metric.value, kind, t.language, metric.target) };
  if (metric.level === 'breach' && metric.target && metric.value !== null) {
    const gap = formatOvershoot(metric.value, metric.target, kind, t.language);
    const count = kind === 'rate' && u.overBy !== null ? t('cardOverCount', { count: defects(metricId, u.overBy, t) }) : '';
    return t('cardOver', { ...vars, gap: gap ?? '', count });
  }
  const room = headroomPhrase(metricId, metric, t.language);
  const target = formatTarget(metric.target, kind, t.language);
  return room ? t('cardNear', { ...vars, target, room }) : t('cardNearPlain', { ...vars, target });
}

/** The store card's lead line, or nothing when every marketplace is fine. */
export function UrgentLine({ store }: { store: StoreOverview }) {
  const t = useT();
  const u = urgentOfStore(store);
  if (!u || (!u.atRisk && marketplaceLevel(u.market) !== 'breach')) return null;
  const level = u.metric.level === 'breach' || marketplaceLevel(u.market) === 'breach' ? 'breach' : 'warn';
  return <p class={`sw-urgent sw-${level}`}>{urgentText(u, t)}</p>;
}
