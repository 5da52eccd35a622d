/**
 * What messages need to know about marketplaces and metrics, as one small interface. The default
 * implementation (default-catalog.ts) reads the shared marketplace table and metric catalog; tests
 * and callers may hand in another.
 */
import type { MetricId } from '../types.ts';

export interface MarketplaceLabel {
  /** Emoji flag, e.g. 🇺🇸. */
  flag: string;
  /** Country as people say it: 美国 / United States. */
  zh: string;
  en: string;
  /** The Account Health page of that marketplace's Seller Central. */
  accountHealthUrl: string;
}

export interface MetricLabel {
  kind: 'rate' | 'count';
  zh: string;
  en: string;
  /** Short English name used in "... and ODR breaks". */
  shortEn: string;
  /** One defect, e.g. 缺陷订单 / defective order, and its plural. */
  defectZh: string;
  defectEn: string;
  defectEnPlural: string;
  /** One order that counts toward the target, for the way back (无缺陷订单 / defect-free order). Optional for older catalogs. */
  goodZh?: string;
  goodEn?: string;
  goodEnPlural?: string;
  /** What to do first when it breaks, one line each. */
  firstStepZh?: string;
  firstStepEn?: string;
  /** Amazon's help page for the metric, a path on the marketplace's Seller Central host. */
  helpPath?: string | null;
}

export interface MessageCatalog {
  marketplace(id: string): MarketplaceLabel | null;
  metric(id: MetricId): MetricLabel | null;
}
