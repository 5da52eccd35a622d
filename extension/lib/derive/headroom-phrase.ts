/**
 * "再有 2 笔缺陷订单将超标" / "2 more defective orders and ODR (MFN) breaks": the same words as the
 * WeChat messages (shared/messages/headroom-phrases.ts), from the metric catalog's names for one defect.
 */
import type { MetricOverview } from '../../../shared/api/index.ts';
import type { Language } from '../../../shared/alerts/rules.ts';
import { headroomPhrases } from '../../../shared/messages/headroom-phrases.ts';
import { METRICS, isMetricId } from '../../../shared/metrics.ts';

/**
 * A breach says how far over it is - the relay's `over`, else `over` as the popup worked it out
 * (lib/derive/urgency.ts overBy) - and, when the relay gives it, the way back (docs/levels.md):
 * "已无余量，超出 5 笔缺陷订单 · 需再有约 40 笔无缺陷订单才能回到目标内".
 */
export function headroomPhrase(
  metricId: string,
  metric: Pick<MetricOverview, 'headroom' | 'level' | 'over' | 'wayBack'>,
  language: Language,
  over: number | null = null,
): string | null {
  if (!isMetricId(metricId)) return null;
  const info = METRICS[metricId];
  const words = { zh: info.defectZh, en: info.defectEn, enPlural: info.defectEnPlural, shortEn: info.shortEn };
  const p = headroomPhrases(language);
  if (metric.level === 'breach') {
    const gone = p.headroomGone(metric.over ?? over, words);
    const back = metric.wayBack && metric.wayBack > 0 && info.goodZh ? p.wayBack(metric.wayBack, { zh: info.goodZh, en: info.goodEn, enPlural: info.goodEnPlural }) : null;
    return back ? `${gone} · ${back}` : gone;
  }
  return metric.headroom === null ? null : p.headroomLeft(metric.headroom, words);
}
