/**
 * The catalog messages use in production: the shared marketplace table and metric catalog.
 */
import { accountHealthUrl, marketplaceById, orderPageUrl } from '../marketplaces.ts';
import { METRIC_GUIDANCE } from '../metric-guidance.ts';
import { METRICS, isMetricId } from '../metrics.ts';
import type { MessageCatalog } from './catalog.ts';

export const defaultCatalog: MessageCatalog = {
  marketplace(id) {
    const m = marketplaceById(id);
    if (!m) return null;
    return {
      flag: m.flag,
      zh: m.nameZh,
      en: m.nameEn,
      accountHealthUrl: accountHealthUrl(id) ?? '',
      orderUrl: (orderId) => orderPageUrl(id, orderId) ?? '',
    };
  },
  metric(id) {
    if (!isMetricId(id)) return null;
    const m = METRICS[id];
    const guidance = METRIC_GUIDANCE[id];
    return {
      kind: m.kind,
      zh: m.labelZh,
      en: m.labelEn,
      shortEn: m.shortEn,
      defectZh: m.defectZh,
      defectEn: m.defectEn,
      defectEnPlural: m.defectEnPlural,
      goodZh: m.goodZh,
      goodEn: m.goodEn,
      goodEnPlural: m.goodEnPlural,
      firstStepZh: guidance.firstStepZh,
      firstStepEn: guidance.firstStepEn,
      helpPath: guidance.helpPath,
    };
  },
};
