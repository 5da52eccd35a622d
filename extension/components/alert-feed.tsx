import type { AlertView, StoreOverview } from '../../shared/api/index.ts';
import { openAlerts } from '../lib/derive/alert-feed.ts';
import { alertFacts, alertLine } from '../lib/derive/alert-text.ts';
import { formatAgo } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';

/** How many alerts the popup lists; the rest are a count (the relay has them all). */
const SHOWN = 20;

/** The alert feed, newest first, each open problem with its Acknowledge button. */
export function AlertFeed({ alerts, stores, now, onAck }: { alerts: readonly AlertView[]; stores: readonly StoreOverview[]; now: number; onAck: (id: string) => void }) {
  const t = useT();
  const names = new Map(stores.map((s) => [s.id, s.name]));
  const open = openAlerts(alerts).length;
  return (
    <section class="sw-alerts" aria-labelledby="sw-alerts-title">
      <h2 id="sw-alerts-title" class="sw-section-title">
        {t('alertsTitle')} {open > 0 && <span class="sw-count">{t('alertsOpenCount', { count: open })}</span>}
      </h2>
      {alerts.length === 0 ? (
        <p class="sw-muted">{t('alertsEmpty')}</p>
      ) : (
        <ul class="sw-alert-list">
          {alerts.slice(0, SHOWN).map((a) => {
            const store = names.get(a.storeId) ?? a.storeId;
            const facts = alertFacts(a, store, t.language, now);
            const tone = a.category === 'recovery' ? 'ok' : a.severity === 'critical' ? 'breach' : a.severity === 'warning' ? 'warn' : 'unknown';
            return (
              <li key={a.id} class={`sw-alert sw-${tone}${a.acknowledgedAt === null ? '' : ' sw-acked'}`}>
                <div class="sw-alert-where">
                  {store}
                  {facts?.marketplacePlain ? ` · ${facts.marketplacePlain}` : ''}
                  <span class="sw-muted"> · {formatAgo(a.createdAt, now, t.language)}</span>
                </div>
                {/* A kind newer than this build: a plain line, never its code. */}
                <div class="sw-alert-what">{facts ? alertLine(facts) : t('alertOther')}</div>
                {a.category === 'recovery' ? (
                  <span class="sw-muted">{t('alertRecovered')}</span>
                ) : a.acknowledgedAt === null ? (
                  <button type="button" class="sw-btn sw-btn-small" onClick={() => onAck(a.id)}>
                    {t('alertAck')}
                  </button>
                ) : (
                  <span class="sw-muted">{t('alertAcked')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
