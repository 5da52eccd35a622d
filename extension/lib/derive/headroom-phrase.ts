/**
 * "再有 2 笔缺陷订单将超标" / "2 more defective orders and ODR (MFN) breaks": the same words as the
 * WeChat messages (shared/messages/phrases.ts), from the metric catalog's names for one defect.
 */
import type { MetricOverview } from '../../../shared/api/index.ts';
import type { Language } from '../../../shared/alerts/rules.ts';
import { phrases } from '../../../shared/messages/phrases.ts';
import { METRICS, isMetricId } from '../../../shared/metrics.ts';

/**
 * `over`: for a broken metric, how many defects past the target (lib/derive/urgency.ts overBy),
 * when the relay's headroom does not say: "已无余量，超出 5 笔缺陷订单".
 */
export function headroomPhrase(metricId: string, metric: Pick<MetricOverview, 'headroom' | 'level'>, language: Language, over: number | null = null): string | null {
  if (!isMetricId(metricId)) return null;
  const info = METRICS[metricId];
  const words = { zh: info.defectZh, en: info.defectEn, enPlural: info.defectEnPlural, shortEn: info.shortEn };
  const p = phrases(language);
  if (metric.level === 'breach') return p.headroomGone(metric.headroom !== null && metric.headroom < 0 ? -metric.headroom : over, words);
  return metric.headroom === null ? null : p.headroomLeft(metric.headroom, words);
}
