/**
 * Desktop notifications for new alerts (opt-out in options). A few at most per sync - a burst
 * becomes one summary - and clicking one opens that marketplace's Account Health page, unless this
 * profile belongs to another store: then a notice says to open it in that store's own profile.
 */
import type { Browser } from 'wxt/browser';
import type { AlertView, StoreOverview } from '../../../shared/api/index.ts';
import { accountHealthUrl } from '../../../shared/marketplaces.ts';
import { NOTIFY_AT_MOST } from '../../lib/derive/alert-feed.ts';
import { alertFacts, alertLine } from '../../lib/derive/alert-text.ts';
import { mayOpenStore } from '../../lib/derive/profile-scope.ts';
import type { Translate } from '../../lib/i18n/i18n.ts';

type Notifications = Pick<typeof Browser.notifications, 'create'>;

const PREFIX = 'alert:';

export interface NotificationSpec {
  id: string;
  title: string;
  message: string;
  priority: number;
}

/** Pure: what to show for a set of new alerts. */
export function notificationsFor(alerts: readonly AlertView[], stores: readonly StoreOverview[], t: Translate, now: number): NotificationSpec[] {
  const names = new Map(stores.map((s) => [s.id, s.name]));
  const specs: NotificationSpec[] = alerts.slice(0, NOTIFY_AT_MOST).map((alert) => {
    const storeName = names.get(alert.storeId) ?? alert.storeId;
    const facts = alertFacts(alert, storeName, t.language, now);
    const where = facts?.marketplacePlain ? `${storeName} · ${facts.marketplacePlain}` : storeName;
    return {
      id: `${PREFIX}${alert.id}`,
      title: where,
      message: facts ? alertLine(facts) : `${alert.kind}: ${alert.from ?? '—'} → ${alert.to ?? '—'}`,
      priority: alert.severity === 'critical' ? 2 : 1,
    };
  });
  const rest = alerts.length - specs.length;
  if (rest > 0) specs.push({ id: `${PREFIX}more`, title: t('extName'), message: t('notifyMore', { count: rest }), priority: 0 });
  return specs;
}

export async function showNotifications(notifications: Notifications, iconUrl: string, specs: readonly NotificationSpec[]): Promise<void> {
  for (const s of specs) {
    await notifications.create(s.id, { type: 'basic', iconUrl, title: s.title, message: s.message, priority: s.priority });
  }
}

export type NotificationTarget = { kind: 'open'; url: string } | { kind: 'elsewhere'; storeId: string };

/** Where a click on notification `id` should lead, or null for the summary and for notices. */
export function notificationTarget(id: string, alerts: readonly AlertView[], profileStoreId: string | null = null): NotificationTarget | null {
  if (!id.startsWith(PREFIX)) return null;
  const alert = alerts.find((a) => a.id === id.slice(PREFIX.length));
  const url = alert?.marketplaceId ? accountHealthUrl(alert.marketplaceId) : null;
  if (!alert || !url) return null;
  return mayOpenStore(alert.storeId, profileStoreId) ? { kind: 'open', url } : { kind: 'elsewhere', storeId: alert.storeId };
}

/** The notice shown instead of opening another store's Seller Central in this store's profile. */
export function elsewhereNotice(storeId: string, stores: readonly StoreOverview[], t: Translate): NotificationSpec {
  const store = stores.find((s) => s.id === storeId);
  return { id: `notice:elsewhere:${storeId}`, title: store?.name ?? t('extName'), message: t('openInOwnProfile'), priority: 0 };
}
