import { useState } from 'preact/hooks';
import type { HealthModel } from '../../lib/models/health-model.ts';
import type { LanguageSetting } from '../../lib/i18n/i18n.ts';
import { failureText } from '../../lib/i18n/failure-text.ts';
import { formatAgo } from '../../lib/i18n/format.ts';
import { JOB_ERROR_UNREACHABLE } from '../../lib/derive/job-progress.ts';
import { storesSummary } from '../../lib/derive/levels.ts';
import { popupStores } from '../../lib/derive/profile-scope.ts';
import { ConnectionBanner } from '../../components/connection-banner.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { useT } from '../../components/i18n-context.tsx';
import { JobStatus } from '../../components/job-status.tsx';
import { LanguageSelect } from '../../components/language-select.tsx';
import { ProfileStoreContext } from '../../components/profile-store-context.tsx';
import { StoreCard } from '../../components/store-card.tsx';
import { AlertFeed, StoreGrid } from '../../components/on-demand.ts';
import { VirtualList } from '../../components/virtual-list.tsx';
import { LEVEL_KEYS } from '../../components/labels.ts';
import { groupByLevel, searchStores } from '../../lib/derive/store-search.ts';
import type { StoreOverview } from '../../../shared/api/index.ts';
import type { Level } from '../../../shared/types.ts';

export interface PopupAppProps {
  model: HealthModel;
  language: LanguageSetting;
  onLanguage: (value: LanguageSetting) => void;
  openOptions: () => void;
  /** The store this browser profile is for: the first screen shows it alone, the rest one tap away. */
  profileStoreId?: string | null;
}

type Layout = 'list' | 'grid';

/** A row of the store list: a level's heading or a store. */
type PopupRow = { kind: 'group'; level: Level; count: number } | { kind: 'store'; store: StoreOverview };

/** A collapsed store card's height before it is measured: name, meta line, chips, urgent line. */
const STORE_ROW_ESTIMATE_PX = 96;

/** Offline, the one banner says so: a refresh that could not reach the relay adds no line of its own. */
function jobToShow(model: HealthModel, storeId: string) {
  const job = model.jobs.value.get(storeId) ?? null;
  const offline = model.connection.value.kind === 'offline';
  return offline && job && (job.error === JOB_ERROR_UNREACHABLE || job.error === 'offline') ? null : job;
}

/** The newest time Amazon's data was taken, over every marketplace: how fresh the screen is. */
function newestData(model: HealthModel): number | null {
  let newest: number | null = null;
  for (const s of model.stores.value) for (const m of s.marketplaces) if (m.fetchedAt !== null && (newest === null || m.fetchedAt > newest)) newest = m.fetchedAt;
  return newest;
}

function Body({ model, openOptions, profileStoreId = null, layout, setLayout }: Pick<PopupAppProps, 'model' | 'openOptions' | 'profileStoreId'> & { layout: Layout; setLayout: (l: Layout) => void }) {
  const t = useT();
  const [showAll, setShowAll] = useState(false);
  const [query, setQuery] = useState('');
  const now = model.clock.value;
  switch (model.view.value) {
    case 'loading':
      return <p class="sw-loading" role="status">{t('popupLoading')}</p>;
    case 'not-paired':
    case 'unauthorized':
      return (
        <EmptyState title={t('popupNotPairedTitle')} body={model.view.value === 'unauthorized' ? t('popupUnauthorized') : t('popupNotPairedBody')}>
          <button type="button" class="sw-btn sw-btn-primary" onClick={openOptions}>
            {t('popupOpenOptions')}
          </button>
        </EmptyState>
      );
    case 'offline-empty':
      return (
        <EmptyState title={t('popupOfflineEmptyTitle')} body={t('popupOfflineEmptyBody')}>
          <button type="button" class="sw-btn" onClick={openOptions}>
            {t('popupOpenOptions')}
          </button>
        </EmptyState>
      );
    case 'empty':
      return (
        <EmptyState title={t('popupEmptyTitle')} body={t('popupEmptyBody')}>
          <button type="button" class="sw-btn sw-btn-primary" onClick={openOptions}>
            {t('popupOpenOptions')}
          </button>
        </EmptyState>
      );
    case 'ready': {
      const open = model.open.value;
      const scoped = popupStores(model.stores.value, profileStoreId, showAll);
      const found = searchStores(scoped.stores, query);
      const search = (
        <input
          type="search"
          class="sw-search"
          value={query}
          placeholder={t('popupSearch')}
          aria-label={t('popupSearch')}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
      );
      const noMatch = query.trim() !== '' && found.length === 0 && <p class="sw-muted sw-no-match">{t('popupSearchNoMatch', { query: query.trim() })}</p>;
      if (layout === 'grid') {
        return (
          <>
            {search}
            {noMatch}
            <StoreGrid
              stores={found}
              onOpen={(storeId, marketplaceId) => {
                setLayout('list');
                model.show(storeId, marketplaceId);
              }}
            />
          </>
        );
      }
      // Worst first, cut into groups by level; only the rows in view are rendered (500 stores).
      const rows: PopupRow[] = groupByLevel(found).flatMap((g): PopupRow[] => [{ kind: 'group', level: g.level, count: g.stores.length }, ...g.stores.map((store) => ({ kind: 'store' as const, store }))]);
      return (
        <div class="sw-stores">
          {search}
          {noMatch}
          <VirtualList
            rows={rows}
            rowKey={(row) => (row.kind === 'group' ? `group:${row.level}` : row.store.id)}
            estimate={STORE_ROW_ESTIMATE_PX}
            resetKey={query}
            renderRow={(row) =>
              row.kind === 'group' ? (
                <h2 class={`sw-group-head sw-${row.level}`}>{t('popupGroupCount', { level: t(LEVEL_KEYS[row.level]), count: row.count })}</h2>
              ) : (
                <StoreCard
                  store={row.store}
                  now={now}
                  job={jobToShow(model, row.store.id)}
                  openMarketplace={open?.storeId === row.store.id ? open.marketplaceId : null}
                  history={open?.storeId === row.store.id ? model.history.value : null}
                  onToggle={(marketplaceId) => model.toggle(row.store.id, marketplaceId)}
                  onRefresh={() => void model.refresh(row.store.id)}
                />
              )
            }
          />
          {scoped.hidden > 0 && (
            <button type="button" class="sw-btn sw-btn-link sw-show-all" onClick={() => setShowAll(true)}>
              {t('popupShowAllStores', { count: scoped.hidden })}
            </button>
          )}
        </div>
      );
    }
  }
}

/** The toolbar popup: summary and refresh-all on top, the stores worst first, the alert feed. */
export function PopupApp({ model, language, onLanguage, openOptions, profileStoreId = null }: PopupAppProps) {
  const t = useT();
  const data = model.data.value;
  const now = model.clock.value;
  const ready = model.view.value === 'ready';
  const summary = storesSummary(model.stores.value);
  const allJob = jobToShow(model, '*');
  const dataAt = newestData(model);
  const [layout, setLayout] = useState<Layout>('list');
  const offline = model.connection.value.kind === 'offline';
  const problem = model.error.value;
  return (
    <div class="sw-popup">
      <header class="sw-top">
        <h1>{t('extName')}</h1>
        {ready && (
          <button type="button" class="sw-btn" onClick={() => void model.refresh(null)}>
            {t('popupRefreshAll')}
          </button>
        )}
      </header>
      {ready && !model.partial.value && (
        <p class="sw-summary">
          <strong>{t(summary.key, { count: summary.count, total: summary.total })}</strong>
          <span class="sw-muted"> · {dataAt === null ? t('popupNeverUpdated') : t('popupUpdatedAgo', { ago: formatAgo(dataAt, now, t.language) })}</span>
          <button type="button" class="sw-btn sw-btn-link sw-layout" aria-pressed={layout === 'grid'} onClick={() => setLayout(layout === 'grid' ? 'list' : 'grid')}>
            {layout === 'grid' ? t('popupShowList') : t('popupShowGrid')}
          </button>
        </p>
      )}
      {data?.paired && <ConnectionBanner connection={model.connection.value} now={now} />}
      {allJob && <JobStatus job={allJob} now={now} />}
      {problem && !(offline && (problem === 'offline' || problem === 'timeout')) && (
        <p class="sw-banner sw-banner-error" role="alert">
          {t('actionFailed', { reason: failureText(problem, t) })}
        </p>
      )}
      <main>
        <ProfileStoreContext.Provider value={profileStoreId}>
          <Body model={model} openOptions={openOptions} profileStoreId={profileStoreId} layout={layout} setLayout={setLayout} />
        </ProfileStoreContext.Provider>
      </main>
      {ready && data && <AlertFeed alerts={data.alerts} stores={data.stores} now={now} onAck={(id) => void model.ack(id)} />}
      <footer class="sw-foot">
        <LanguageSelect value={language} onChange={onLanguage} />
        <button type="button" class="sw-btn sw-btn-link" onClick={openOptions}>
          {t('popupOptions')}
        </button>
      </footer>
    </div>
  );
}
