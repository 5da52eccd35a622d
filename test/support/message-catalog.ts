import type { MessageCatalog, MetricLabel } from '../../shared/messages/catalog.ts';
import type { MetricId } from '../../shared/types.ts';

/** A fixed catalog, so message tests pin exact text independent of the shared tables' wording. */
const MARKETS: Record<string, { flag: string; zh: string; en: string; host: string }> = {
  ATVPDKIKX0DER: { flag: '🇺🇸', zh: '美国', en: 'United States', host: 'sellercentral.amazon.com' },
  A1PA6795UKMFR9: { flag: '🇩🇪', zh: '德国', en: 'Germany', host: 'sellercentral-europe.amazon.com' },
  A1VC38T7YXB528: { flag: '🇯🇵', zh: '日本', en: 'Japan', host: 'sellercentral.amazon.co.jp' },
};

const METRICS: Partial<Record<MetricId, MetricLabel>> = {
  odrMfn: {
    kind: 'rate',
    zh: '订单缺陷率（自配送）',
    en: 'Order defect rate (seller-fulfilled)',
    shortEn: 'ODR',
    defectZh: '缺陷订单',
    defectEn: 'defective order',
    defectEnPlural: 'defective orders',
  },
  lateShipmentRate: {
    kind: 'rate',
    zh: '迟发率',
    en: 'Late shipment rate',
    shortEn: 'LSR',
    defectZh: '延迟发货',
    defectEn: 'late shipment',
    defectEnPlural: 'late shipments',
  },
  listingPolicyViolations: {
    kind: 'count',
    zh: '违反商品政策',
    en: 'Listing policy violations',
    shortEn: 'listing policy',
    defectZh: '违规',
    defectEn: 'violation',
    defectEnPlural: 'violations',
  },
};

export const fixtureCatalog: MessageCatalog = {
  marketplace(id) {
    const m = MARKETS[id];
    return m ? { flag: m.flag, zh: m.zh, en: m.en, accountHealthUrl: `https://${m.host}/performance/account/health` } : null;
  },
  metric(id) {
    return METRICS[id] ?? null;
  },
};
