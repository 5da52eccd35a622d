import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StoreView } from '../../../shared/api/index.ts';
import { POLL_INTERVAL_MAX, POLL_INTERVAL_MIN } from '../../../shared/api/stores.ts';
import { REGIONS } from '../../../shared/marketplaces.ts';
import type { Region } from '../../../shared/types.ts';
import { useT } from '../../components/i18n-context.tsx';
import { REGION_KEYS, marketplaceName } from '../../components/labels.ts';
import { createResource } from '../../lib/models/resource.ts';
import { relayFailureText } from '../../lib/i18n/failure-text.ts';
import type { RelayClient } from '../../lib/relay/relay-client.ts';
import { Field, Loaded, Section, inputValue } from './fields.tsx';

const INTERVALS = [15, 30, 60, 120, 360, 720, 1440].filter((m) => m >= POLL_INTERVAL_MIN && m <= POLL_INTERVAL_MAX);

function StoreRow({ store, relay, canEdit, onChanged, openTab }: { store: StoreView; relay: RelayClient; canEdit: boolean; onChanged: () => void; openTab: (url: string) => void }) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const minutes = (m: number) => (m % 60 === 0 ? t('optHours', { count: m / 60 }) : t('optMinutes', { count: m }));
  const intervals = INTERVALS.includes(store.pollIntervalMinutes) ? INTERVALS : [...INTERVALS, store.pollIntervalMinutes].sort((a, b) => a - b);
  return (
    <li class="sw-list-row">
      <div class="sw-grow">
        <strong>{store.name}</strong> <span class="sw-muted">{t(REGION_KEYS[store.region])}</span>{' '}
        {store.marketplaces.map((m) => (
          <Fragment key={m.marketplaceId}>
            <span class="sw-code" title={marketplaceName(m.marketplaceId, m.countryCode, t.language)}>
              {m.countryCode}
            </span>{' '}
          </Fragment>
        ))}
        {store.auth === 'lost' && <p class="sw-problem">{t('storeAuthLost')}</p>}
        {store.paused && <span class="sw-muted"> · {t('optPaused')}</span>}
        {problem && <p class="sw-problem">{problem}</p>}
      </div>
      <label class="sw-inline-label">
        {t('optPollInterval')}
        <select
          disabled={!canEdit}
          value={String(store.pollIntervalMinutes)}
          onChange={async (e) => {
            const r = await relay.patchStore(store.id, { pollIntervalMinutes: Number(inputValue(e)) });
            setProblem(r.ok ? null : relayFailureText(r.failure, t));
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
      {canEdit && store.sellerId && (
        <button
          type="button"
          class="sw-btn"
          onClick={async () => {
            // Renews this store's authorization; a consent as another seller is refused by the relay.
            const started = await relay.oauthStart(store.region, store.id);
            if (started.ok) openTab(started.value.url);
            else setProblem(relayFailureText(started.failure, t));
          }}
        >
          {t('optReconnectAmazon')}
        </button>
      )}
      <button
        type="button"
        class="sw-btn"
        disabled={!canEdit}
        onClick={async () => {
          if (!confirm(t('optRemoveConfirm', { name: store.name }))) return;
          const r = await relay.removeStore(store.id);
          setProblem(r.ok ? null : relayFailureText(r.failure, t));
          onChanged();
        }}
      >
        {t('optRemove')}
      </button>
    </li>
  );
}

/**
 * Connect (Amazon consent per region, or a pasted refresh token), list, interval, remove. Only
 * owners may change stores (the relay answers `403 owners_only`): a member sees the controls
 * disabled, with who can change them, instead of a refusal after the click.
 */
export function StoresSection({ relay, isOwner, openTab, onStoresChanged }: { relay: RelayClient; isOwner: boolean; openTab: (url: string) => void; onStoresChanged: () => void }) {
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
                <StoreRow key={s.id} store={s} relay={relay} canEdit={isOwner} onChanged={changed} openTab={openTab} />
              ))}
            </ul>
          ) : (
            <p class="sw-muted">{t('popupEmptyTitle')}</p>
          )
        }
      </Loaded>
      {!isOwner && <p class="sw-owners-only">{t('optStoresOwnersOnly')}</p>}
      <fieldset class="sw-plain" disabled={!isOwner}>
      <div class="sw-row sw-wrap">
        {REGIONS.map((r) => (
          <button
            type="button"
            key={r}
            class="sw-btn sw-btn-primary"
            onClick={async () => {
              const started = await relay.oauthStart(r);
              if (started.ok) openTab(started.value.url);
              else setMessage({ ok: false, text: relayFailureText(started.failure, t) });
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
          // Without a name the relay names the store as Amazon does.
          const r = await relay.createStore({ ...(name.trim() ? { name: name.trim() } : {}), region, refreshToken: token.trim() });
          if (!r.ok) {
            setMessage({ ok: false, text: relayFailureText(r.failure, t) });
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
          <input id="store-name" value={name} maxLength={60} onInput={(e) => setName(inputValue(e))} />
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
      </fieldset>
      {message && (
        <p class={message.ok ? 'sw-ok-text' : 'sw-problem'} role="status">
          {message.text}
        </p>
      )}
    </Section>
  );
}
