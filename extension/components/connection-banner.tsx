import type { Connection } from '../lib/derive/freshness.ts';
import { formatAgo, formatIn } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';

/** Says plainly when what is on screen is not live: offline (cached data), refused token, relay error. */
export function ConnectionBanner({ connection, now }: { connection: Connection; now: number }) {
  const t = useT();
  let text: string | null = null;
  switch (connection.kind) {
    case 'offline': {
      const when = connection.retryAt === null ? '—' : formatIn(connection.retryAt, now, t.language);
      text = connection.since === null ? t('popupOfflineNever', { when }) : t('popupOffline', { ago: formatAgo(connection.since, now, t.language), when });
      break;
    }
    case 'unauthorized':
      text = t('popupUnauthorized');
      break;
    case 'error':
      text = t('popupSyncError', { message: connection.message ?? '' });
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
