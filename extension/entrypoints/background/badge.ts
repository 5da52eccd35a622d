/** The toolbar badge, from the cache (lib/derive/badge.ts decides; this only paints). */
import type { Browser } from 'wxt/browser';
import type { Badge } from '../../lib/derive/badge.ts';
import type { Translate } from '../../lib/i18n/i18n.ts';

type Action = Pick<typeof Browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

export async function paintBadge(action: Action, badge: Badge, t: Translate): Promise<void> {
  await Promise.all([
    action.setBadgeText({ text: badge.text }),
    action.setBadgeBackgroundColor({ color: badge.color }),
    action.setTitle({ title: `${t('extName')} - ${t(badge.title, { count: badge.count })}` }),
  ]);
}
