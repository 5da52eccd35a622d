import type { StoreOverview } from '../../shared/api/index.ts';
import type { HistorySeries, JobProgress } from '../lib/cache/cache-db.ts';
import { isJobActive } from '../lib/derive/job-progress.ts';
import { marketplacesWorstFirst, storeLevel } from '../lib/derive/levels.ts';
import { formatAgo } from '../lib/i18n/format.ts';
import { useT } from './i18n-context.tsx';
import { JobStatus } from './job-status.tsx';
import { LevelPill } from './level-pill.tsx';
import { MarketplaceChip } from './marketplace-chip.tsx';
import { MarketplaceDetail } from './on-demand.ts';
import { UrgentLine } from './urgent-line.tsx';
import { ProfileStoreContext } from './profile-store-context.tsx';
import { mayOpenStore } from '../lib/derive/profile-scope.ts';
import { useContext } from 'preact/hooks';

export interface StoreCardProps {
  store: StoreOverview;
  now: number;
  job: JobProgress | null;
  /** The marketplace opened in this card, if any. */
  openMarketplace: string | null;
  history: readonly HistorySeries[] | null;
  onToggle?: (marketplaceId: string) => void;
  onRefresh?: () => void;
}

/**
 * A store: its level and name, then - without a click - the metric that needs action with its
 * value and how far over (or how little room is left), when it was checked, a refresh with live
 * progress, and its marketplaces.
 */
export function StoreCard({ store, now, job, openMarketplace, history, onToggle, onRefresh }: StoreCardProps) {
  const t = useT();
  const level = storeLevel(store);
  const markets = marketplacesWorstFirst(store.marketplaces);
  const open = markets.find((m) => m.marketplaceId === openMarketplace) ?? null;
  const busy = job !== null && isJobActive(job.state);
  const openHere = mayOpenStore(store.id, useContext(ProfileStoreContext));
  return (
    <article class={`sw-store sw-${level}`} data-store-id={store.id}>
      <header class="sw-store-head">
        <LevelPill level={level} />
        <h2 class="sw-store-name" title={store.name}>
          {store.name}
        </h2>
        {onRefresh && (
          <button type="button" class="sw-btn sw-btn-small" disabled={busy} onClick={onRefresh} aria-label={t('popupRefreshStore', { name: store.name })}>
            {t('popupRefresh')}
          </button>
        )}
      </header>
      <UrgentLine store={store} />
      <p class="sw-store-meta">{store.lastCheckedAt === null ? t('storeNeverChecked') : t('storeLastChecked', { ago: formatAgo(store.lastCheckedAt, now, t.language) })}</p>
      {store.auth === 'lost' && <p class="sw-warning">{t('storeAuthLost')}</p>}
      {job && <JobStatus job={job} now={now} />}
      {markets.length ? (
        <div class="sw-chips">
          {markets.map((m) => (
            <MarketplaceChip key={m.marketplaceId} market={m} open={m.marketplaceId === openMarketplace} onToggle={onToggle ? () => onToggle(m.marketplaceId) : undefined} />
          ))}
        </div>
      ) : (
        <p class="sw-muted">{t('storeNoMarketplaces')}</p>
      )}
      {open && <MarketplaceDetail market={open} history={history} now={now} openHere={openHere} />}
    </article>
  );
}
