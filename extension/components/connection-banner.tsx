import type { Connection } from '../lib/derive/freshness.ts';
import { failureText } from '../lib/i18n/failure-text.ts';
import { formatClock } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';

/**
 * The one line that says what is on screen is not live: offline (cached data, and when the last
 * sync was), a refused token, a relay error. How old Amazon's numbers are is said per marketplace,
 * from when Amazon's data was taken, not here.
 */
export function ConnectionBanner({ connection, now }: { connection: Connection; now: number }) {
  const t = useT();
  let text: string | null = null;
  switch (connection.kind) {
    case 'offline':
      text = connection.since === null ? t('popupOfflineNever') : t('popupOffline', { at: formatClock(connection.since, now, t.language) });
      break;
    case 'unauthorized':
      text = t('popupUnauthorized');
      break;
    case 'error':
      text = t('popupSyncError', { reason: failureText(connection.message, t) });
      break;
    default:
      return null;
  }
  return (
    <p class={`sw-banner sw-banner-${connection.kind}`} role="status">
      {text}
    </p>
  );
}
