import type { MarketplaceOverview, StoreOverview } from '../../../shared/api/index.ts';
import { isJobActive } from '../../lib/derive/job-progress.ts';
import { failureText } from '../../lib/i18n/failure-text.ts';
import { sameStoreName } from '../../lib/derive/panel-selection.ts';
import type { PanelModel } from '../../lib/models/panel-model.ts';
import { badgeView } from '../../lib/panel/badge-view.ts';
import { ConnectionBanner } from '../connection-banner.tsx';
import { useT } from '../i18n-context.tsx';
import { marketplaceName } from '../labels.ts';
import { ProfileStoreContext } from '../profile-store-context.tsx';
import { StoreCard } from '../store-card.tsx';
import { MarketplacePicker, StorePicker } from './marketplace-picker.tsx';

/** Amazon's name of the store shown, when it says more than the team's own name. */
function amazonStoreName(store: StoreOverview, market: MarketplaceOverview): string | null {
  const name = market.storeName ?? store.amazonStoreName ?? null;
  return name && !sameStoreName(name, store.name) ? name : null;
}

/** The collapsed badge, worded by the same function as the page's small badge script. */
function Badge({ panel }: { panel: PanelModel }) {
  const t = useT();
  const health = panel.health;
  const view = badgeView(health.data.value, panel.mode, panel.detection.value, panel.pick.value, t, health.clock.value, panel.profileStoreId.value);
  return (
    <button type="button" class={`sw-badge sw-${view.level}`} aria-expanded={panel.expanded.value} title={view.title} onClick={panel.toggle}>
      {view.text}
    </button>
  );
}

function SellerCentralBody({ panel }: { panel: PanelModel }) {
  const t = useT();
  const health = panel.health;
  const s = panel.selection.value;
  const now = health.clock.value;
  if (!s) return <p class="sw-muted">{t('panelLoading')}</p>;
  switch (s.kind) {
    case 'pick-marketplace':
      return <MarketplacePicker candidates={s.candidates} onPick={(id) => void panel.chooseMarketplace(id)} />;
    case 'pick-store':
      return <StorePicker stores={s.stores} onPick={(id) => void panel.chooseStore(s.marketplaceId, id)} />;
    case 'no-store':
      return (
        <div>
          <p>{t('panelNoStore', { marketplace: marketplaceName(s.marketplaceId, s.marketplaceId, t.language) })}</p>
          <button type="button" class="sw-btn sw-btn-small" onClick={panel.change}>
            {t('panelChange')}
          </button>
        </div>
      );
    case 'market': {
      const job = health.jobs.value.get(s.store.id) ?? null;
      const amazonName = amazonStoreName(s.store, s.market);
      return (
        <div>
          {amazonName && <p class="sw-muted sw-amazon-name">{t('panelAmazonName', { name: amazonName })}</p>}
          <StoreCard
            store={{ ...s.store, marketplaces: [s.market] }}
            now={now}
            job={job}
            openMarketplace={s.market.marketplaceId}
            history={health.history.value}
            onRefresh={job && isJobActive(job.state) ? undefined : () => void health.refresh(s.store.id)}
          />
          <button type="button" class="sw-btn sw-btn-link" onClick={panel.change}>
            {t('panelChange')}
          </button>
        </div>
      );
    }
  }
}

function ErpBody({ panel }: { panel: PanelModel }) {
  const t = useT();
  const health = panel.health;
  const open = health.open.value;
  const named = panel.erpStore.value;
  const stores = named ? [named, ...health.stores.value.filter((s) => s.id !== named.id)] : health.stores.value;
  return (
    <div>
      {named && <p class="sw-erp-named">{t('panelErpPageStore', { name: named.name })}</p>}
      <div class="sw-panel-actions">
        <strong>{t('panelAllStores')}</strong>
        <button type="button" class="sw-btn sw-btn-small" onClick={() => void health.refresh(null)}>
          {t('popupRefreshAll')}
        </button>
      </div>
      {stores.map((store) => (
        <StoreCard
          key={store.id}
          store={store}
          now={health.clock.value}
          job={health.jobs.value.get(store.id) ?? null}
          openMarketplace={open?.storeId === store.id ? open.marketplaceId : null}
          history={open?.storeId === store.id ? health.history.value : null}
          onToggle={(id) => health.toggle(store.id, id)}
          onRefresh={() => void health.refresh(store.id)}
        />
      ))}
    </div>
  );
}

/** The panel injected into Seller Central and ERP pages: a badge that opens into the details. */
export function PanelApp({ panel }: { panel: PanelModel }) {
  const t = useT();
  const health = panel.health;
  const data = health.data.value;
  return (
    <div class={`sw-root sw-panel-root sw-dock-${panel.dock.value}${panel.expanded.value ? ' sw-docked' : ''}`} lang={t.language}>
      {panel.expanded.value && (
        <section class="sw-panel" aria-label={t('extName')}>
          <header class="sw-panel-head">
            <strong>{t('extName')}</strong>
            <span class="sw-panel-tools">
              <button type="button" class="sw-btn sw-btn-small" onClick={() => void panel.setDock(panel.dock.value === 'right' ? 'left' : 'right')}>
                {panel.dock.value === 'right' ? t('panelDockLeft') : t('panelDockRight')}
              </button>
              <button type="button" class="sw-btn sw-btn-small" onClick={panel.toggle}>
                {t('panelCollapse')}
              </button>
            </span>
          </header>
          {data?.paired && <ConnectionBanner connection={health.connection.value} now={health.clock.value} />}
          {health.error.value && <p class="sw-banner sw-banner-error">{t('actionFailed', { reason: failureText(health.error.value, t) })}</p>}
          {!data ? (
            <p class="sw-muted">{t('panelLoading')}</p>
          ) : !data.paired ? (
            <p>{t('panelNotPaired')}</p>
          ) : (
            <ProfileStoreContext.Provider value={panel.profileStoreId.value}>
              {panel.mode === 'erp' ? <ErpBody panel={panel} /> : <SellerCentralBody panel={panel} />}
            </ProfileStoreContext.Provider>
          )}
        </section>
      )}
      <Badge panel={panel} />
    </div>
  );
}
