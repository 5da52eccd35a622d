/** Message keys for the domain's closed vocabularies, so every key in use is a literal. */
import type { MarketplaceOverview, MetricOverview } from '../../shared/api/index.ts';
import { marketplaceById } from '../../shared/marketplaces.ts';
import { METRICS, isMetricId } from '../../shared/metrics.ts';
import type { Level, Region } from '../../shared/types.ts';
import type { Language, MessageKey } from '../lib/i18n/i18n.ts';

export const LEVEL_KEYS: Readonly<Record<Level, MessageKey>> = {
  breach: 'levelBreach',
  warn: 'levelWarn',
  ok: 'levelOk',
  unknown: 'levelUnknown',
};

export const ACCOUNT_STATUS_KEYS: Readonly<Record<MarketplaceOverview['accountStatus'], MessageKey>> = {
  NORMAL: 'accountStatusNormal',
  AT_RISK: 'accountStatusAtRisk',
  DEACTIVATED: 'accountStatusDeactivated',
  UNKNOWN: 'accountStatusUnknown',
};

export const AMAZON_STATUS_KEYS: Readonly<Record<NonNullable<MetricOverview['amazonStatus']>, MessageKey>> = {
  GOOD: 'amazonStatusGood',
  BAD: 'amazonStatusBad',
  NONE: 'amazonStatusNone',
  UNKNOWN: 'amazonStatusUnknown',
};

export const REGION_KEYS: Readonly<Record<Region, MessageKey>> = { na: 'regionNa', eu: 'regionEu', fe: 'regionFe' };

/**
 * "德国" / "Germany"; an id we do not know shows its country code. No emoji flags anywhere in the
 * extension: Linux without a colour-emoji font draws them as boxes, Windows as two letters.
 */
export function marketplaceName(marketplaceId: string, countryCode: string, language: Language): string {
  const m = marketplaceById(marketplaceId);
  return m ? (language === 'en' ? m.nameEn : m.nameZh) : countryCode;
}

/** "US": the two letters sellers and ERPs label a marketplace with. */
export function marketplaceCode(marketplaceId: string, fallback: string = marketplaceId): string {
  return marketplaceById(marketplaceId)?.countryCode ?? fallback;
}

export function metricLabel(metricId: string, language: Language, short = false): string {
  if (!isMetricId(metricId)) return metricId;
  const m = METRICS[metricId];
  if (short) return language === 'en' ? m.shortEn : m.shortZh;
  return language === 'en' ? m.labelEn : m.labelZh;
}

export function metricKind(metricId: string): 'rate' | 'count' {
  return isMetricId(metricId) ? METRICS[metricId].kind : 'rate';
}

