import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StoreView } from '../../../shared/api/index.ts';
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN } from '../../../shared/api/stores.ts';
import { REGIONS, marketplaceById } from '../../../shared/marketplaces.ts';
import type { Region } from '../../../shared/types.ts';
import { useT } from '../../components/i18n-context.tsx';
import { REGION_KEYS } from '../../components/labels.ts';
import { createResource } from '../../lib/models/resource.ts';
import { type RelayClient, describeFailure } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

const INTERVALS = [15, 30, 60, 120, 360, 720, 1440].filter((m) => m >= POLL_INTERVAL_MIN && m <= POLL_INTERVAL_MAX);

function StoreRow({ store, relay, onChanged, openTab }: { store: StoreView; relay: RelayClient; onChanged: () => void; openTab: (url: string) => void }) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const minutes = (m: number) => (m % 60 === 0 ? t('optHours', { count: m / 60 }) : t('optMinutes', { count: m }));
  const intervals = INTERVALS.includes(store.pollIntervalMinutes) ? INTERVALS : [...INTERVALS, store.pollIntervalMinutes].sort((a, b) => a - b);
  return (
    <li class="sw-list-row">
      <div class="sw-grow">
        <strong>{store.name}</strong> <span class="sw-muted">{t(REGION_KEYS[store.region])}</span>{' '}
        {store.marketplaces.map((m) => marketplaceById(m.marketplaceId)?.flag ?? m.countryCode).join(' ')}
        {store.auth === 'lost' && <p class="sw-problem">{t('storeAuthLost')}</p>}
        {store.paused && <span class="sw-muted"> · {t('optPaused')}</span>}
        {problem && <p class="sw-problem">{problem}</p>}
      </div>
      <label class="sw-inline-label">
        {t('optPollInterval')}
        <select
          value={String(store.pollIntervalMinutes)}
          onChange={async (e) => {
            const r = await relay.patchStore(store.id, { pollIntervalMinutes: Number(inputValue(e)) });
            setProblem(r.ok ? null : describeFailure(r.failure));
            onChanged();
          }}
        >
          {intervals.map((m) => (
            <option key={m} value={String(m)}>
              {minutes(m)}
            </option>
          ))}
        </select>
      </label>
      {store.sellerId && (
        <button
          type="button"
          class="sw-btn"
          onClick={async () => {
            // Renews this store's authorization; a consent as another seller is refused by the relay.
            const started = await relay.oauthStart(store.region, store.id);
            if (started.ok) openTab(started.value.url);
            else setProblem(describeFailure(started.failure));
          }}
        >
          {t('optReconnectAmazon')}
        </button>
      )}
      <button
        type="button"
        class="sw-btn"
        onClick={async () => {
          if (!confirm(t('optRemoveConfirm', { name: store.name }))) return;
          const r = await relay.removeStore(store.id);
          setProblem(r.ok ? null : describeFailure(r.failure));
          onChanged();
        }}
      >
        {t('optRemove')}
      </button>
    </li>
  );
}

/** Connect (Amazon consent per region, or a pasted refresh token), list, interval, remove. */
export function StoresSection({ relay, openTab, onStoresChanged }: { relay: RelayClient; openTab: (url: string) => void; onStoresChanged: () => void }) {
  const t = useT();
  const stores = useMemo(() => createResource(() => relay.stores()), [relay]);
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('na');
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => void stores.reload(), [stores]);
  const changed = () => {
    void stores.reload();
    onStoresChanged();
  };
  return (
    <Section id="stores" title={t('optStoresSection')}>
      <Loaded state={stores.state.value}>
        {(value) =>
          value.stores.length ? (
            <ul class="sw-list">
              {value.stores.map((s) => (
                <StoreRow key={s.id} store={s} relay={relay} onChanged={changed} openTab={openTab} />
              ))}
            </ul>
          ) : (
            <p class="sw-muted">{t('popupEmptyTitle')}</p>
          )
        }
      </Loaded>
      <div class="sw-row sw-wrap">
        {REGIONS.map((r) => (
          <button
            type="button"
            key={r}
            class="sw-btn sw-btn-primary"
            onClick={async () => {
              const started = await relay.oauthStart(r);
              if (started.ok) openTab(started.value.url);
              else setMessage({ ok: false, text: describeFailure(started.failure) });
            }}
          >
            {t('optConnectAmazon', { region: t(REGION_KEYS[r]) })}
          </button>
        ))}
      </div>
      <p class="sw-muted">{t('optConnectAmazonHint')}</p>
      <form
        class="sw-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await relay.createStore({ name: name.trim(), region, refreshToken: token.trim() });
          if (!r.ok) {
            setMessage({ ok: false, text: describeFailure(r.failure) });
            return;
          }
          setMessage({ ok: true, text: t('optStoreAdded', { name: r.value.name, count: r.value.marketplaces.length }) });
          setName('');
          setToken('');
          changed();
        }}
      >
        <h3>{t('optPasteToken')}</h3>
        <Field id="store-name" label={t('optStoreName')}>
          <input id="store-name" value={name} maxLength={60} onInput={(e) => setName(inputValue(e))} required />
        </Field>
        <Field id="store-region" label={t('optRegion')}>
          <select id="store-region" value={region} onChange={(e) => setRegion(inputValue(e) as Region)}>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(REGION_KEYS[r])}
              </option>
            ))}
          </select>
        </Field>
        <Field id="store-token" label={t('optRefreshToken')}>
          <input id="store-token" type="password" autoComplete="off" spellcheck={false} value={token} placeholder="Atzr|…" onInput={(e) => setToken(inputValue(e))} required />
        </Field>
        <button type="submit" class="sw-btn sw-btn-primary">
          {t('optAddStore')}
        </button>
      </form>
      {message && (
        <p class={message.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
          {message.text}
        </p>
      )}
    </Section>
  );
}
