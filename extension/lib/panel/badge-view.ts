/**
 * What the collapsed badge on a page says: for Seller Central, the level of the marketplace the
 * page shows; for an ERP page, how many stores need attention. One pure function for both the
 * small badge script and the full panel, so they never disagree.
 */
import type { Level } from '../../../shared/types.ts';
import { LEVEL_KEYS } from '../../components/labels.ts';
import type { Detection } from '../detect/detect-marketplace.ts';
import { connectionOf } from '../derive/freshness.ts';
import { marketplaceLevel, storesSummary, worstOf } from '../derive/levels.ts';
import { resolvePanelSelection } from '../derive/panel-selection.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { HealthData } from '../models/health-source.ts';
import type { PanelPick } from '../platform/settings.ts';
import type { PanelMode } from './handoff.ts';

export interface BadgeView {
  level: Level;
  text: string;
  title: string;
}

export function badgeView(
  data: HealthData | null,
  mode: PanelMode,
  detection: Detection | null,
  pick: PanelPick | null,
  t: Translate,
  now: number,
  profileStoreId: string | null = null,
): BadgeView {
  const name = t('extName');
  if (!data) return { level: 'unknown', text: name, title: t('panelLoading') };
  if (!data.paired) return { level: 'unknown', text: `${name} ?`, title: t('panelNotPaired') };
  const offline = connectionOf(data.sync, now).kind === 'offline';
  // Offline is about our link to the relay, not the data's age (that is Amazon's fetchedAt).
  const suffix = offline ? ` · ${t('badgeOffline')}` : '';
  const title = offline ? t('badgeTitleOffline') : t('panelExpand');
  if (mode === 'erp') {
    const summary = storesSummary(data.stores);
    return { level: worstOf(data.stores), text: t(summary.key, { count: summary.count, total: summary.total }) + suffix, title };
  }
  const selection = detection ? resolvePanelSelection(data.stores, detection, pick, false, profileStoreId) : null;
  if (selection?.kind !== 'market') return { level: 'unknown', text: name + suffix, title };
  const level = marketplaceLevel(selection.market);
  // No flag emoji: drawing one makes the page look up a colour-emoji font (about 1.5 ms of its
  // main thread on every load, bench/extension.ts), and Windows shows flags as two letters anyway.
  return { level, text: `${selection.market.countryCode} · ${t(LEVEL_KEYS[level])}${suffix}`, title: `${selection.store.name} - ${title}` };
}
